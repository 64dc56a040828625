import { describe, expect, it } from 'vitest';
import { nativeStreamEventBound } from '../apis/native.js';
import { openaiStreamEventBound } from '../apis/openai-driver.js';
import { DEFAULT_LIMITS, makeLimits, type TransportResult } from '../transport/index.js';
import { caseLimits } from './case-limits.js';

const cut = (message: string): TransportResult => ({
  connected: true,
  status: 200,
  failure: { kind: 'too-many-events', message, afterBytes: 5000 },
  timings: { startedAt: 0, totalMs: 1, eventMs: [] },
  bytes: 5000,
});

describe('stream event bounds of a request', () => {
  it('native: twice max_new_tokens plus 16; none without max_new_tokens', () => {
    expect(nativeStreamEventBound({ inputs: 'Hi', parameters: { max_new_tokens: 16 } })).toEqual({ max: 48, because: 'max_new_tokens 16' });
    expect(nativeStreamEventBound({ inputs: 'Hi', parameters: { max_new_tokens: 0 } })?.max).toBe(16);
    expect(nativeStreamEventBound({ inputs: 'Hi', parameters: {} })).toBeUndefined();
    expect(nativeStreamEventBound({ inputs: 'Hi' })).toBeUndefined();
    expect(nativeStreamEventBound({ inputs: 'Hi', parameters: { max_new_tokens: 'eight' } })).toBeUndefined();
    expect(nativeStreamEventBound({ inputs: 'Hi', parameters: { max_new_tokens: -1 } })).toBeUndefined();
    expect(nativeStreamEventBound(undefined)).toBeUndefined();
  });

  it('openai: per choice the role, one a token, the finish; then usage and [DONE]: twice that plus 16', () => {
    expect(openaiStreamEventBound({ messages: [], max_tokens: 16 })).toEqual({ max: 2 * 18 + 16, because: 'max_tokens 16' });
    expect(openaiStreamEventBound({ messages: [], max_tokens: 48, n: 2 })).toEqual({ max: 2 * 2 * 50 + 16, because: 'max_tokens 48 and n 2' });
    expect(openaiStreamEventBound({ messages: [], max_completion_tokens: 8 })?.because).toBe('max_completion_tokens 8');
    expect(openaiStreamEventBound({ messages: [] })).toBeUndefined();
    expect(openaiStreamEventBound({ messages: [], max_tokens: 8, n: 0 })).toBeUndefined();
  });
});

describe('caseLimits', () => {
  const bound = nativeStreamEventBound;
  const body = { inputs: 'Hi', parameters: { max_new_tokens: 8 } };

  it('bounds maxEvents by the request while --max-events is the default, and names the bound when hit', () => {
    const c = caseLimits(DEFAULT_LIMITS, bound, body);
    expect(c.limits.maxEvents).toBe(32);
    expect(c.limits.maxBodyBytes).toBe(DEFAULT_LIMITS.maxBodyBytes);
    const result = cut('More than maxEvents (32) data events');
    c.explain(result);
    expect(result.failure?.message).toMatch(/^more than 32 data events \(the bound for max_new_tokens 8: .*--max-events N sets another bound/);
  });

  it('a --max-events the user gave is used as given; a request without a bound keeps the run limits', () => {
    const mine = makeLimits({ maxEvents: 10 });
    expect(caseLimits(mine, bound, body).limits).toBe(mine);
    expect(caseLimits(DEFAULT_LIMITS, bound, { inputs: 'Hi' }).limits).toBe(DEFAULT_LIMITS);
    expect(caseLimits(DEFAULT_LIMITS, undefined, body).limits).toBe(DEFAULT_LIMITS);
    const other = cut('the stream exceeded maxBodyBytes');
    other.failure = { kind: 'body-too-large', message: 'x', afterBytes: 1 };
    caseLimits(DEFAULT_LIMITS, bound, body).explain(other);
    expect(other.failure?.message).toBe('x');
  });
});

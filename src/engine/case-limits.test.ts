import { describe, expect, it } from 'vitest';
import { nativeBodyByteBound, nativeStreamEventBound } from '../apis/native.js';
import { openaiBodyByteBound, openaiStreamEventBound } from '../apis/openai-driver.js';
import { DEFAULT_LIMITS, makeLimits, type TransportResult } from '../transport/index.js';
import { caseLimits, ERROR_BODY_BASE_BYTES, errorBodyBound } from './case-limits.js';

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

describe('body byte bounds of a request', () => {
  it('native: (max_new_tokens + 16) tokens, each a kilobyte in the text, its entry and one more place, per sequence; the prompt; 64 KiB', () => {
    const base = 64 * 1024;
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: { max_new_tokens: 16 } })).toEqual({
      max: base + 32 * 3 * 1024 + (6 + 16) * 512 + 12,
      because: 'max_new_tokens 16, inputs of 2 characters',
    });
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: { max_new_tokens: 16, best_of: 2 } })).toEqual({
      max: base + 2 * (32 * 3 * 1024 + (6 + 16) * 512 + 12),
      because: 'max_new_tokens 16, best_of 2, inputs of 2 characters',
    });
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: {} })).toBeUndefined();
    expect(nativeBodyByteBound({ inputs: 'Hi' })).toBeUndefined();
    expect(nativeBodyByteBound({ inputs: ['Hi'], parameters: { max_new_tokens: 4 } })).toBeUndefined();
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: { max_new_tokens: 4, best_of: -1 } })).toBeUndefined();
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: { max_new_tokens: 4, best_of: null, top_n_tokens: null } })?.max).toBe(base + 20 * 3 * 1024 + 22 * 512 + 12);
    // Top tokens list every token tied with the n-th: up to the vocabulary, no bound.
    expect(nativeBodyByteBound({ inputs: 'Hi', parameters: { max_new_tokens: 4, top_n_tokens: 2 } })).toBeUndefined();
  });

  it('openai: (max_tokens + 16) tokens, 2 KiB at each place, per choice and prompt; none without a token limit, with echo or top logprobs', () => {
    const base = 64 * 1024;
    expect(openaiBodyByteBound({ messages: [], max_tokens: 16 })).toEqual({ max: base + 32 * 3 * 2048, because: 'max_tokens 16' });
    expect(openaiBodyByteBound({ messages: [], max_completion_tokens: 8, n: 2, logprobs: true })).toEqual({ max: base + 2 * 24 * 3 * 2048, because: 'max_completion_tokens 8, n 2' });
    expect(openaiBodyByteBound({ prompt: ['a', 'b', 'c'], max_tokens: 4 })).toEqual({ max: base + 3 * 20 * 3 * 2048, because: 'max_tokens 4, 3 prompts' });
    expect(openaiBodyByteBound({ prompt: [1, 2, 3], max_tokens: 4 })?.max).toBe(base + 20 * 3 * 2048);
    expect(openaiBodyByteBound({ prompt: 'a', max_tokens: 4, echo: true })).toBeUndefined();
    expect(openaiBodyByteBound({ prompt: 'a', max_tokens: 4, logprobs: 2 })).toBeUndefined();
    expect(openaiBodyByteBound({ messages: [], max_tokens: 4, logprobs: true, top_logprobs: 3 })).toBeUndefined();
    expect(openaiBodyByteBound({ messages: [] })).toBeUndefined();
    expect(openaiBodyByteBound({ messages: [], max_tokens: 'x' })).toBeUndefined();
  });

  it('a correct answer stays far under it: max_new_tokens 64, best_of 2, details, prefill', () => {
    // A generous answer: 64 tokens of 40 characters, two sequences, prefill.
    const token = { id: 123456, text: 'x'.repeat(40), logprob: -1.2345678, special: false };
    const sequence = {
      generated_text: 'x'.repeat(64 * 40),
      finish_reason: 'length',
      generated_tokens: 64,
      seed: 1,
      prefill: Array.from({ length: 10 }, () => token),
      tokens: Array.from({ length: 64 }, () => token),
    };
    const answer = JSON.stringify({ generated_text: sequence.generated_text, details: { ...sequence, best_of_sequences: [sequence] } });
    const bound = nativeBodyByteBound({ inputs: 'x'.repeat(40), parameters: { max_new_tokens: 64, best_of: 2, details: true, decoder_input_details: true } });
    expect(answer.length * 10).toBeLessThan(bound?.max ?? 0);
  });
});

describe('caseLimits', () => {
  const bound = { events: nativeStreamEventBound };
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
    expect(caseLimits(DEFAULT_LIMITS, {}, body).limits).toBe(DEFAULT_LIMITS);
    const other = cut('the stream exceeded maxBodyBytes');
    other.failure = { kind: 'body-too-large', message: 'x', afterBytes: 1 };
    caseLimits(DEFAULT_LIMITS, bound, body).explain(other);
    expect(other.failure?.message).toBe('x');
  });

  it('bounds a 2xx body by the request while --max-body-bytes is the default, and names the bound when hit', () => {
    const bytes = { events: nativeStreamEventBound, bodyBytes: nativeBodyByteBound };
    const c = caseLimits(DEFAULT_LIMITS, bytes, body);
    const max = nativeBodyByteBound(body)?.max;
    expect(c.maxOkBodyBytes).toBe(max);
    expect(c.limits.maxBodyBytes).toBe(DEFAULT_LIMITS.maxBodyBytes);
    const flood = cut('x');
    flood.failure = { kind: 'body-too-large', message: `the body exceeded ${String(max)} bytes, the bound its request sets; --max-body-bytes raises it`, afterBytes: 200_000 };
    c.explain(flood);
    expect(flood.failure.message).toBe(
      `the body exceeded ${String(max)} bytes (the bound for max_new_tokens 8, inputs of 2 characters: a correct answer shows each token in a few places, ` +
        'and the bound allows each a kilobyte or more, with room); reading stopped after 200000 bytes; --max-body-bytes N sets another bound for every body',
    );
    const declared = { ...cut('x'), headers: { 'content-length': '2147483648' } };
    declared.failure = { kind: 'body-too-large', message: 'the body declares Content-Length 2147483648, more than 1 bytes; not read', afterBytes: 0 };
    c.explain(declared);
    expect(declared.failure.message).toMatch(/^the body declares Content-Length 2147483648, more than \d+ bytes \(the bound for max_new_tokens 8.*\); not read; --max-body-bytes N/);
    // An error status keeps maxBodyBytes: its failure is not the bound's.
    const page = { ...cut('x'), status: 502 };
    page.failure = { kind: 'body-too-large', message: 'the body exceeded maxBodyBytes (10485760 bytes); --max-body-bytes raises it', afterBytes: 1 };
    c.explain(page);
    expect(page.failure.message).toBe('the body exceeded maxBodyBytes (10485760 bytes); --max-body-bytes raises it');
    // --max-body-bytes given (any value other than the default): no bound.
    expect(caseLimits(makeLimits({ maxBodyBytes: 1000 }), bytes, body).maxOkBodyBytes).toBeUndefined();
    expect(caseLimits(DEFAULT_LIMITS, { events: nativeStreamEventBound }, body).maxOkBodyBytes).toBeUndefined();
  });

  it('bounds a body of any other status by 1 MiB plus four times the request, and names the bound when hit', () => {
    const c = caseLimits(DEFAULT_LIMITS, { errorBytes: errorBodyBound }, body, 1000);
    expect(c.maxErrorBodyBytes).toBe(ERROR_BODY_BASE_BYTES + 4000);
    expect(c.maxOkBodyBytes).toBeUndefined();
    const page = { ...cut('x'), status: 500 };
    page.failure = { kind: 'body-too-large', message: 'the body exceeded 1052576 bytes, the bound its request sets', afterBytes: 1_100_000 };
    c.explain(page);
    expect(page.failure.message).toBe(
      `the body exceeded ${ERROR_BODY_BASE_BYTES + 4000} bytes (the bound for an answer that is not 2xx, to a request of 1000 bytes: ` +
        '1 MiB, plus four times the request, which an error may quote); reading stopped after 1100000 bytes; --max-body-bytes N sets another bound for every body',
    );
    // A 2xx failure is not this bound's; --max-body-bytes given: no bound; one above maxBodyBytes: none either.
    const ok = { ...cut('x'), status: 200 };
    ok.failure = { kind: 'body-too-large', message: 'y', afterBytes: 1 };
    c.explain(ok);
    expect(ok.failure.message).toBe('y');
    expect(caseLimits(makeLimits({ maxBodyBytes: 1000 }), { errorBytes: errorBodyBound }, body, 10).maxErrorBodyBytes).toBeUndefined();
    expect(caseLimits(DEFAULT_LIMITS, { errorBytes: errorBodyBound }, body, 4 * 1024 * 1024).maxErrorBodyBytes).toBeUndefined();
  });
});

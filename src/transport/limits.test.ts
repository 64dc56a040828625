import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitProblems, makeLimits, withLimitFlag } from './limits.js';

describe('limits', () => {
  it('has the documented defaults, frozen', () => {
    expect(DEFAULT_LIMITS).toEqual({
      connectTimeoutMs: 5_000,
      timeoutMs: 30_000,
      streamIdleMs: 30_000,
      streamTotalMs: 120_000,
      maxBodyBytes: 10_485_760,
      maxEvents: 100_000,
      maxEventBytes: 1_048_576,
    });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
    expect(limitProblems(DEFAULT_LIMITS)).toEqual([]);
  });

  it('makeLimits applies overrides and keeps defaults for undefined', () => {
    expect(makeLimits({ timeoutMs: 1_000, maxEvents: undefined })).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 1_000 });
  });

  it('rejects bad values, naming each', () => {
    expect(() => makeLimits({ timeoutMs: 0, maxBodyBytes: 1.5 })).toThrow(/timeoutMs.*maxBodyBytes/);
    expect(() => makeLimits({ streamTotalMs: 2 ** 31 })).toThrow(RangeError);
    expect(() => makeLimits({ connectTimeoutMs: Number.NaN })).toThrow(/connectTimeoutMs/);
    expect(() => makeLimits({ nope: 1 } as never)).toThrow(/unknown transport limit/);
  });
});

describe('withLimitFlag', () => {
  it('names the flag that raises the limit behind a failure kind, and leaves other kinds alone', () => {
    expect(withLimitFlag('body-too-large', 'the body exceeded maxBodyBytes (10 bytes)')).toBe('the body exceeded maxBodyBytes (10 bytes); --max-body-bytes raises it');
    expect(withLimitFlag('too-many-events', 'm')).toBe('m; --max-events raises it');
    expect(withLimitFlag('event-too-large', 'm')).toBe('m; --max-event-bytes raises it');
    expect(withLimitFlag('stream-idle', 'm')).toBe('m; --stream-idle-ms raises it');
    expect(withLimitFlag('stream-deadline', 'm')).toBe('m; --stream-timeout-ms raises it');
    expect(withLimitFlag('deadline', 'm')).toBe('m; --timeout-ms raises it');
    expect(withLimitFlag('connect-timeout', 'no TCP connection within connectTimeoutMs (5 ms)')).toMatch(/--connect-timeout-ms raises it$/);
    expect(withLimitFlag('connect-timeout', 'no TCP connection within timeoutMs (5 ms)')).toMatch(/--timeout-ms raises it$/);
    expect(withLimitFlag('reset', 'm')).toBe('m');
  });
});

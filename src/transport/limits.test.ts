import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitProblems, makeLimits } from './limits.js';

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

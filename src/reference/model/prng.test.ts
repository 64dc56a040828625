import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SplitMix64, U64_MAX, exactU64 } from './prng.js';

describe('SplitMix64', () => {
  test.prop([fc.bigInt({ min: 0n, max: U64_MAX })])('the same seed gives the same stream', (seed) => {
    const a = new SplitMix64(seed);
    const b = new SplitMix64(seed);
    for (let i = 0; i < 5; i++) expect(a.nextU64()).toBe(b.nextU64());
  });

  it('uses all 64 bits of the seed', () => {
    const low = new SplitMix64(1n).nextU64();
    const high = new SplitMix64(1n | (1n << 63n)).nextU64();
    expect(low).not.toBe(high);
  });

  test.prop([fc.bigInt({ min: 0n, max: U64_MAX })])('floats are in [0, 1)', (seed) => {
    const rng = new SplitMix64(seed);
    for (let i = 0; i < 10; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('keeps u64 values exact: a number while safe, a bigint beyond', () => {
    expect(exactU64(42n)).toBe(42);
    expect(exactU64(U64_MAX)).toBe(18446744073709551615n);
  });
});

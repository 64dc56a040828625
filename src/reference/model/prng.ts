/**
 * Deterministic randomness: SplitMix64 over BigInt for u64 seeds (the seed of a request is a
 * u64 and must be honoured in full, so 2×u32 tricks that drop bits are not enough), and a
 * 32-bit mixing hash for the model's pseudo-logits.
 */

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_53 = 2 ** 53;

/** The largest u64, the upper bound of `seed`. */
export const U64_MAX: bigint = MASK64;

/** SplitMix64 (Steele, Lea, Flood 2014): every u64 seed gives its own stream. */
export class SplitMix64 {
  private state: bigint;

  constructor(seed: bigint | number) {
    this.state = BigInt.asUintN(64, BigInt(seed));
  }

  nextU64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, 1) with 53 bits. */
  nextFloat(): number {
    return Number(this.nextU64() >> 11n) / TWO_POW_53;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.min(n - 1, Math.floor(this.nextFloat() * n));
  }

  /** Uniform integer in [lo, hi], both included. */
  nextRange(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.nextInt(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/** A u64 as the JSON layer holds it: a number while it is a safe integer, a bigint beyond. */
export function exactU64(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash step. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a running hash with one more 32-bit value. */
export function hashStep(h: number, value: number): number {
  return mix32((h ^ Math.imul(value + 0x9e3779b9, 0x27d4eb2f)) >>> 0);
}

/** Uniform in [0, 1) from a 32-bit hash. */
export function unit(h: number): number {
  return h / 4294967296;
}

/** A 32-bit hash of a list of token ids, e.g. to seed greedy grammar draws. */
export function hashIds(ids: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const id of ids) h = hashStep(h, id);
  return h;
}

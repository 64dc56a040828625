import type { ExactInteger } from '../../../core/api.js';

/** A number while it is a safe integer, a bigint beyond: the representation of core/json.ts `parseJson`. */
export function toExactInteger(v: bigint): ExactInteger {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Exact comparison of u64 values (seeds), never through a float (verdict-policy trap 2). */
import type { ExactInteger } from '../../core/api.js';

/**
 * The exact value of an integer read by core/json.ts: a bigint as is, a number only while it is a
 * safe integer. `undefined` for anything else, including numbers beyond 2^53 that were already
 * rounded somewhere, which must not be compared.
 */
function exactInteger(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

/** True or false when both are exact integers; `undefined` when either cannot be compared exactly. */
export function sameInteger(a: ExactInteger, b: ExactInteger): boolean | undefined {
  const x = exactInteger(a);
  const y = exactInteger(b);
  return x === undefined || y === undefined ? undefined : x === y;
}

export function formatInteger(value: ExactInteger | null | undefined): string {
  return value === undefined ? 'absent' : value === null ? 'null' : value.toString();
}

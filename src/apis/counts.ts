import type { ExactJson } from '../core/json.js';

/**
 * A count a request gives (max_new_tokens, n, best_of, …), as the per-request bounds read it: a
 * whole number from 0 to 1e9 (a u64 beyond that bounds nothing useful); `otherwise` when the
 * field is absent or null; `undefined` when it is anything else.
 */
export function requestCount(v: ExactJson | undefined, otherwise?: number): number | undefined {
  if (v === undefined || v === null) return otherwise;
  const x = typeof v === 'bigint' ? Number(v) : v;
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= 1e9 ? x : undefined;
}

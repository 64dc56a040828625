import type { Fault } from './fault.js';

/**
 * Accepts `top_k: 0` as "top-k off" instead of rejecting it (TGI: "`top_k` must be strictly
 * positive"; the OpenAPI document's exclusiveMinimum 0 says the same).
 * @see tgi-behavior.md §2c rule 7 (validation.rs:278)
 */
export const topKZeroAccepted: Fault = {
  name: 'top-k-zero-accepted',
  description: 'accepts top_k = 0 instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => (failure.rule === '7' && ctx.request?.parameters.top_k === 0n ? null : failure),
};

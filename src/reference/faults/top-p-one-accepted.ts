import type { Fault } from './fault.js';

/**
 * Accepts `top_p: 1.0`, which TGI rejects (`top_p` must be > 0.0 and < 1.0; validation.rs:260,
 * tested at :1153), as servers that copy the OpenAPI document's inclusive maximum do.
 * @see tgi-behavior.md §2c rule 5
 */
export const topPOneAccepted: Fault = {
  name: 'top-p-one-accepted',
  description: 'accepts top_p = 1.0 instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => (failure.rule === '5' && ctx.request?.parameters.top_p === 1 ? null : failure),
};

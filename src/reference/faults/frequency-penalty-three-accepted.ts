import type { Fault } from './fault.js';

/**
 * Accepts frequency_penalty up to 3 instead of TGI's inclusive [-2, 2] (the OpenAPI document
 * gives no maximum, so a server built from it has none).
 * @see tgi-behavior.md §2a (frequency_penalty), §2c rule 4 (validation.rs:252)
 */
export const frequencyPenaltyThreeAccepted: Fault = {
  name: 'frequency-penalty-three-accepted',
  description: 'accepts frequency_penalty in (2, 3] instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => {
    const p = ctx.request?.parameters.frequency_penalty;
    return failure.rule === '4' && typeof p === 'number' && p > 2 && p <= 3 ? null : failure;
  },
};

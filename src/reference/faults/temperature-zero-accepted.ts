import type { Fault } from './fault.js';

/**
 * Accepts `temperature: 0` (and decodes greedily) instead of rejecting it: what servers that copy
 * the OpenAI convention do, where TGI answers 422 "`temperature` must be strictly positive".
 * @see tgi-behavior.md §2c rule 2 (validation.rs:242)
 */
export const temperatureZeroAccepted: Fault = {
  name: 'temperature-zero-accepted',
  description: 'accepts temperature = 0 instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => (failure.rule === '2' && ctx.request?.parameters.temperature === 0 ? null : failure),
};

import type { Fault } from './fault.js';

/**
 * Accepts `max_new_tokens: 0` and generates nothing (OpenAPI: minimum 0) where TGI answers 422
 * "`max_new_tokens` must be strictly positive". A stream of zero tokens then ends with TGI's
 * incomplete-generation event, not a validation error.
 * @see tgi-behavior.md §2c rule 8 (validation.rs:285)
 */
export const maxNewTokensZeroAccepted: Fault = {
  name: 'max-new-tokens-zero-accepted',
  description: 'accepts max_new_tokens = 0 and generates no token instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure) => (failure.rule === '8' ? null : failure),
};

import type { Fault } from './fault.js';

/**
 * Generates from an empty prompt where TGI answers 422 "`inputs` cannot be empty".
 * @see tgi-behavior.md §2a (inputs), §2c rule 12 (validation.rs:317)
 */
export const emptyInputsAccepted: Fault = {
  name: 'empty-inputs-accepted',
  description: 'accepts inputs = "" instead of answering 422',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure) => (failure.rule === '12' ? null : failure),
};

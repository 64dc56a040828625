import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * No choice ever gets a finish_reason: null on every chunk and in the response (openai-node's
 * `.stream()` throws `missing finish_reason for choice 0`).
 * @see openai-behavior.md §2, §4.14 (openai-node #1292)
 */
export const openaiFinishReasonMissing: Fault = {
  name: 'openai-finish-reason-missing',
  description: 'choices never get a finish_reason (null everywhere)',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  ...onChoices((choice) => ('finish_reason' in choice ? { ...choice, finish_reason: null } : choice)),
};

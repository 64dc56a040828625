import { OPENAI_RUN, renameFinishReason } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Reports a natural stop as `finish_reason: "eos"`, as Together does.
 * @see openai-behavior.md §4.2 (ragas #1548, vespa PR #33327)
 */
export const openaiFinishReasonEos: Fault = {
  name: 'openai-finish-reason-eos',
  description: 'finish_reason "eos" instead of "stop" (Together)',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  ...renameFinishReason((reason) => (reason === 'stop' ? 'eos' : reason)),
};

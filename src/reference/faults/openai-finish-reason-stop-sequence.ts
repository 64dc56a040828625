import { OPENAI_RUN, renameFinishReason } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Reports a stop as `finish_reason: "stop_sequence"`, TGI's name (`FinishReason::format(true)`),
 * outside OpenAI's enum.
 * @see openai-behavior.md §3 (TGI 3.3.7 chat and completions: `stop_sequence`)
 */
export const openaiFinishReasonStopSequence: Fault = {
  name: 'openai-finish-reason-stop-sequence',
  description: 'finish_reason "stop_sequence" instead of "stop" (TGI)',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  ...renameFinishReason((reason) => (reason === 'stop' ? 'stop_sequence' : reason)),
};

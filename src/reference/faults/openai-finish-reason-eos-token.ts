import { OPENAI_RUN, renameFinishReason } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Reports a natural stop as `finish_reason: "eos_token"` (TGI's native name), on chat and
 * completions, bodies and streams: outside the enum, it broke async-openai.
 * @see openai-behavior.md §3 (TGI 2.0.1; completions stream `eos_token`), §4.1 (TGI #2296, PR #2344)
 */
export const openaiFinishReasonEosToken: Fault = {
  name: 'openai-finish-reason-eos-token',
  description: 'finish_reason "eos_token" instead of "stop" (chat and completions, bodies and streams)',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  ...renameFinishReason((reason) => (reason === 'stop' ? 'eos_token' : reason)),
};

import { OPENAI_RUN, onMessages } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * No delta of a chat stream carries `role`: openai-node's `.stream()` throws `missing role for
 * choice N`.
 * @see openai-behavior.md §2 (openai-node ChatCompletionStream), §5 (llama.cpp tests)
 */
export const openaiStreamRoleMissing: Fault = {
  name: 'openai-stream-role-missing',
  description: 'chat stream deltas never carry role',
  detectedBy: 'openai-stream-role',
  runOptions: OPENAI_RUN,
  transformEvent: onMessages((delta, where) => {
    if (!where.stream) return delta;
    const { role: _role, ...rest } = delta;
    return rest;
  }).transformEvent,
};

import { OPENAI_RUN, onAnswers } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Labels chat stream chunks `object: "chat.completion"` (the response's label), as
 * foundry-local did; openai-python's `.stream()` drops them.
 * @see openai-behavior.md §2, §4.12 (foundry-local #31)
 */
export const openaiObjectChunkChatCompletion: Fault = {
  name: 'openai-object-chunk-chat-completion',
  description: 'chat stream chunks say object "chat.completion" instead of "chat.completion.chunk"',
  detectedBy: 'openai-object',
  runOptions: OPENAI_RUN,
  transformEvent: onAnswers((answer, where) => (where.chat && where.stream ? { ...answer, object: 'chat.completion' } : answer)).transformEvent,
};

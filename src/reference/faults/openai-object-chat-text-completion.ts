import { OPENAI_RUN, onAnswers } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Labels chat answers `object: "text_completion"` (responses and chunks), as TGI 2.0.1 did.
 * @see openai-behavior.md §3 (older TGI), §4.9 (TGI PR #1648)
 */
export const openaiObjectChatTextCompletion: Fault = {
  name: 'openai-object-chat-text-completion',
  description: 'chat responses and chunks say object "text_completion"',
  detectedBy: 'openai-object',
  runOptions: OPENAI_RUN,
  ...onAnswers((answer, where) => (where.chat && 'object' in answer ? { ...answer, object: 'text_completion' } : answer)),
};

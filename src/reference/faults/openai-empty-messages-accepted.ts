import { CHAT_ROUTE, OPENAI_RUN } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Serves a chat request whose `messages` is empty (200, from an empty prompt) where every
 * server answers 4xx: the server's rule `openai:messages-empty`, and TGI's rule 12 (empty
 * inputs) that the empty prompt then breaks, are waved through.
 * @see openai-behavior.md §1 (messages); verdict-policy (messages missing or empty answered 2xx)
 */
export const openaiEmptyMessagesAccepted: Fault = {
  name: 'openai-empty-messages-accepted',
  description: 'accepts a chat request with messages: [] (200) instead of a 4xx',
  detectedBy: 'openai-request-rejection',
  runOptions: OPENAI_RUN,
  overrideValidation: (failure, ctx) =>
    ctx.route === CHAT_ROUTE && (failure.rule === 'openai:messages-empty' || failure.rule === '12') ? null : failure,
};

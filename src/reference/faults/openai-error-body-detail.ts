import { OPENAI_RUN, errorMessage, isErrorBody } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Answers errors with FastAPI's `{"detail": "<message>"}`: none of the shapes clients read a
 * message from.
 * @see openai-behavior.md §1 (Error), §4.11; verdict-policy (other error shapes)
 */
export const openaiErrorBodyDetail: Fault = {
  name: 'openai-error-body-detail',
  description: 'error bodies are {"detail": "<message>"} (no error key)',
  detectedBy: 'openai-error-body',
  runOptions: OPENAI_RUN,
  transformResponseBody: (body, ctx) => (isErrorBody(body, ctx) ? { detail: errorMessage(body) ?? '' } : body),
};

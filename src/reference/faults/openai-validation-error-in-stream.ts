import { parseJson, stringifyJson } from '../../core/json.js';
import { OPENAI_RUN, errorMessage, isGenerationRoute } from './_openai.js';
import type { Fault, FaultContext } from './fault.js';

/**
 * A stream request's rejection after the body was read (validation: 422, or 400 with profile
 * openai; not 429, a busy server), which the faithful server answers with its status and a JSON
 * body before any stream.
 */
function moved(ctx: FaultContext): boolean {
  return isGenerationRoute(ctx.route) && ctx.stream && ctx.status >= 400 && ctx.status < 500 && ctx.status !== 429;
}

/**
 * Answers a stream request that fails validation with 200 and a text/event-stream body whose
 * one event is the error, TGI's `data: {"error": {"message", "http_status_code": 422}}`, then
 * `data: [DONE]`, instead of the 4xx before the stream: the .NET Azure client hung on it.
 * @see openai-behavior.md §3 (TGI errors inside a stream), §4.4 (TGI #1896, PR #2221)
 */
export const openaiValidationErrorInStream: Fault = {
  name: 'openai-validation-error-in-stream',
  description: 'stream requests that fail validation get 200 and an error event instead of a 4xx',
  detectedBy: 'openai-stream-error',
  runOptions: OPENAI_RUN,
  transformBodyText: (text, ctx) => {
    if (!moved(ctx)) return text;
    const parsed = parseJson(text);
    const message = (parsed.ok ? errorMessage(parsed.value) : undefined) ?? text;
    return `data: ${stringifyJson({ error: { message, http_status_code: ctx.status } })}\n\ndata: [DONE]\n\n`;
  },
  transformHeaders: (headers, ctx) => {
    if (moved(ctx)) headers.set('content-type', 'text/event-stream');
  },
  transformStatus: (status, ctx) => (moved(ctx) ? 200 : status),
};

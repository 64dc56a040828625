import { OPENAI_RUN, isDoneFrame, isGenerationRoute } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Sends `data: [DONE]` twice: an event follows the terminator, where nothing may.
 * @see openai-behavior.md §1 ("The stream ends with data: [DONE]"); verdict-policy (anything after it)
 */
export const openaiStreamDataAfterDone: Fault = {
  name: 'openai-stream-data-after-done',
  description: 'data: [DONE] is sent twice (an event after the terminator)',
  detectedBy: 'openai-stream-done',
  runOptions: OPENAI_RUN,
  transformFrame: (frame, ctx) => (isGenerationRoute(ctx.route) && isDoneFrame(frame) ? `${frame}${frame}` : frame),
};

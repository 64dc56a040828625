import { OPENAI_RUN, isDoneFrame, isGenerationRoute } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Ends streams without `data: [DONE]`, as TGI before PR #2221 and llama.cpp before PR #9459:
 * the .NET Azure client hung.
 * @see openai-behavior.md §3 (TGI 2.0.1), §4.4 (TGI #1896)
 */
export const openaiStreamDoneMissing: Fault = {
  name: 'openai-stream-done-missing',
  description: 'streams end without data: [DONE]',
  detectedBy: 'openai-stream-done',
  runOptions: OPENAI_RUN,
  transformFrame: (frame, ctx) => (isGenerationRoute(ctx.route) && isDoneFrame(frame) ? '' : frame),
};

import { OPENAI_RUN, isGenerationRoute, isUsageChunk } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Leaves out the `{choices: [], usage}` chunk that `stream_options.include_usage` asks for.
 * @see openai-behavior.md §1 (stream_options); verdict-policy (include_usage: no usage anywhere)
 */
export const openaiUsageChunkMissing: Fault = {
  name: 'openai-usage-chunk-missing',
  description: 'include_usage is ignored: no usage chunk in the stream',
  detectedBy: 'openai-usage',
  runOptions: OPENAI_RUN,
  transformEvent: (event, ctx) => (isGenerationRoute(ctx.route) && isUsageChunk(event) ? [] : [event]),
};

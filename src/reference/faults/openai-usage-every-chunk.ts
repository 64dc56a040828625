import { isObject } from './_support.js';
import { OPENAI_RUN, onAnswers } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Puts a running usage on every chunk (the usage chunk keeps the total), as vLLM did: with
 * `include_usage` the stream carries many usages where the contract says one. The running count
 * is the chunk's position + 1 (one token per chunk); prompt_tokens is the validated prompt's length where the hook's
 * context carries it, else 0.
 * @see openai-behavior.md §4.5 (vLLM #7262, PR #36379)
 */
export const openaiUsageEveryChunk: Fault = {
  name: 'openai-usage-every-chunk',
  description: 'every stream chunk carries a (running) usage, not only the last',
  detectedBy: 'openai-usage',
  runOptions: OPENAI_RUN,
  transformEvent: onAnswers((chunk, where) => {
    if (!where.stream || isObject(chunk['usage'])) return chunk;
    const prompt = where.ctx.valid?.inputLength ?? 0;
    const completion = (where.index ?? 0) + 1;
    return { ...chunk, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
  }).transformEvent,
};

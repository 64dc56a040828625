import { openaiUsageEveryChunk } from '../faults/openai-usage-every-chunk.js';
import { defineQuirk } from './quirk.js';

/**
 * vLLM's running usage on every chunk: with `include_usage` more than one usage (a violation);
 * without it a warning (unrequested usage).
 */
export const usageEveryChunk = defineQuirk(openaiUsageEveryChunk, {
  name: 'usage-every-chunk',
  description: 'every stream chunk carries a usage, also with include_usage',
  server: 'vLLM (vLLM #7262, until PR #36379)',
  source: 'openai-behavior.md §4.5: vLLM #7262, PR #36379',
  verdict: { severity: 'violation', check: 'openai-usage' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'usage on 4 chunks (conformant: 1)' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'usage on 4 chunks (conformant: 1)' },
  },
});

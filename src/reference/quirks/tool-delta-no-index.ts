import { openaiToolDeltaNoIndex } from '../faults/openai-tool-delta-no-index.js';
import { defineQuirk } from './quirk.js';

/** Streamed tool-call fragments without `index`. */
export const toolDeltaNoIndex = defineQuirk(openaiToolDeltaNoIndex, {
  name: 'tool-delta-no-index',
  description: 'streamed tool-call fragments have no index',
  server: 'mistral.rs (before PR #1507)',
  source: 'openai-behavior.md §4.6: mistral.rs PR #1507, openai-python #2806',
  verdict: { severity: 'violation', check: 'openai-tool-calls' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'tool-call deltas without index' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'misreads', detail: 'the tool call is dropped (tool_calls: [])' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'tool-call deltas without index' },
  },
});

import { openaiFinishReasonEmpty } from '../faults/openai-finish-reason-empty.js';
import { defineQuirk } from './quirk.js';

/** Ollama's OpenAI compatibility layer: `finish_reason: ""` on every chunk before the last. */
export const ollamaEmptyFinish = defineQuirk(openaiFinishReasonEmpty, {
  name: 'ollama-empty-finish',
  description: 'finish_reason "" instead of null on every stream chunk',
  server: 'Ollama, OpenAI compatibility layer (the release of ollama #4357)',
  source: 'openai-behavior.md §4.3: ollama #4357',
  verdict: { severity: 'violation', check: 'openai-finish-reason' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'finish_reason "" (not null) before the last chunk' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'finish_reason "" (not null) before the last chunk' },
  },
});

import { openaiFinishReasonEmpty } from '../faults/openai-finish-reason-empty.js';
import { defineQuirk } from './quirk.js';

/** Ollama's OpenAI compatibility layer: `finish_reason: ""` on every chunk before the last. */
export const ollamaEmptyFinish = defineQuirk(openaiFinishReasonEmpty, {
  name: 'ollama-empty-finish',
  description: 'finish_reason "" instead of null on every stream chunk',
  server: 'Ollama, OpenAI compatibility layer (the release of ollama #4357)',
  source: 'openai-behavior.md §4.3: ollama #4357',
  verdict: { severity: 'violation', check: 'openai-finish-reason' },
});

import { openaiToolArgumentsObject } from '../faults/openai-tool-arguments-object.js';
import { defineQuirk } from './quirk.js';

/** Tool-call `arguments` as a JSON object instead of a string. */
export const toolArgumentsObject = defineQuirk(openaiToolArgumentsObject, {
  name: 'tool-arguments-object',
  description: 'tool-call arguments are a JSON object, not a string',
  server: 'TGI 2.x (TGI #2136, #2461); llama.cpp server (#20198)',
  source: 'openai-behavior.md §4.7: TGI #2136, #2461; llama.cpp #20198',
  verdict: { severity: 'violation', check: 'openai-tool-calls' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'misreads', detail: 'tool-call arguments an object, not a string' },
    'openai-node 6.30.1 (stream)': { outcome: 'works' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'misreads', detail: 'tool-call arguments an object, not a string' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'works' },
  },
});

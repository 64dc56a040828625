import { errorBareString as hooks } from './_parts.js';
import { defineQuirk } from './quirk.js';

/** `{"error": "<message>"}` error bodies: no `error_type`, not OpenAI's object. */
export const errorBareString = defineQuirk(hooks, {
  name: 'error-bare-string',
  description: 'error bodies are {"error": "<message>"} (a string, no error_type)',
  server: 'the servers behind autogen PR #757 and tensorzero #5445',
  source: 'openai-behavior.md §4.11: autogen PR #757 (error.get("code") crashed), tensorzero #5445',
  verdict: { severity: 'warning', check: 'openai-error-body' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'works' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'works' },
  },
});

import { dataNoSpace as hooks } from './_parts.js';
import { defineQuirk } from './quirk.js';

/** `data:{…}` without the space after the colon: correct SSE, which tgc must not flag. */
export const dataNoSpace = defineQuirk(hooks, {
  name: 'data-no-space',
  description: 'SSE frames are data:{…} without the optional space (correct SSE)',
  server: 'TGI 3.3.7 (axum Event::json_data writes data:{…})',
  source: 'openai-behavior.md §3 (TGI chat stream); verdict-policy item 18; WHATWG HTML, server-sent events (one leading space is optional)',
  verdict: null,
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'works' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'works' },
  },
});

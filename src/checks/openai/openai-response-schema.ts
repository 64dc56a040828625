import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { decodedFor, is2xx } from './_internals/structure-helpers.js';

const ID = 'openai-response-schema';

/**
 * A 2xx non-stream body is a ChatCompletion, a Completion or the model list (spec/openai.yaml).
 * The values the schema leaves to dedicated checks (`object`, `finish_reason`, choice `index`)
 * are judged there; unknown keys are warnings (verdict-policy item 23). The decoder files the
 * findings; this check returns them. Kinds are the validator's (`keyword:pointer`).
 */
export const openaiResponseSchema: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'the response body matches the OpenAI response schema',
  rule: 'A 2xx non-stream body is a chat.completion, text_completion or model list with the required keys and types; unknown keys are warnings.',
  source: 'openai-behavior.md §1 (chat response, completions); openai-openapi-excerpt.yaml; verdict-policy "The OpenAI-compatible routes", item 23',
  appliesTo: 'non-stream',
  run(view) {
    const found = decodedFor(view, ID);
    if (found.length > 0) return found;
    if (view.transportFailure !== undefined) return { skip: 'the exchange did not complete (response-completes judges it)' };
    if (view.streamed || !is2xx(view.status)) return { skip: 'not a non-stream 2xx response' };
    return [];
  },
};

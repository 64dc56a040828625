import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { decodedFor, is2xx } from './_internals/structure-helpers.js';

const ID = 'openai-chunk-schema';

/**
 * Every data event of a 2xx stream that is not `[DONE]` nor an error event is a chunk
 * (CreateChatCompletionStreamResponse, or a completion on /v1/completions). The decoder files
 * the findings (with their event); this check returns them. Kinds are the validator's.
 */
export const openaiChunkSchema: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'every stream chunk matches the OpenAI chunk schema',
  rule: 'Each chunk of a 2xx stream has the required keys (id, object, created, model, choices; each choice delta and index) with their types; unknown keys are warnings.',
  source: 'openai-behavior.md §1 (stream chunk); openai-openapi-excerpt.yaml CreateChatCompletionStreamResponse; verdict-policy "The OpenAI-compatible routes", item 23',
  appliesTo: 'stream',
  run(view) {
    const found = decodedFor(view, ID);
    if (found.length > 0) return found;
    if (view.transportFailure !== undefined) return { skip: 'the exchange did not complete (response-completes judges it)' };
    if (!view.streamed || !is2xx(view.status)) return { skip: 'not a 2xx stream' };
    return [];
  },
};

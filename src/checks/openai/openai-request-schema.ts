import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { decodedFor } from './_internals/structure-helpers.js';

const ID = 'openai-request-schema';

/**
 * The request as a client sent it, against the route's request schema (spec/openai.yaml). Within
 * an exchange the request is the input, not the verdict: what the decoder found is returned as
 * it filed it (unknown keys are warnings, verdict-policy item 22 and "Requests that only the
 * official service rejects"); whether the server had to reject it is judged by
 * openai-request-rejection. Kinds are the validator's (`keyword:pointer`).
 */
export const openaiRequestSchema: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'warning',
  title: 'the request uses the fields of the OpenAI contract',
  rule: 'The request body is checked against the route\'s request schema; unknown keys (options, return_full_text, …) are ignored by servers: warnings.',
  source: 'openai-behavior.md §1 (Request), §4b; verdict-policy "The OpenAI-compatible routes" (requests only the official service rejects) and item 22',
  appliesTo: 'both',
  run(view) {
    const found = decodedFor(view, ID);
    if (found.length > 0) return found;
    if (view.kind === 'models') return { skip: 'GET /v1/models has no request body' };
    if (view.requestBody === undefined) return { skip: 'no JSON request body recorded' };
    return [];
  },
};

import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { decodedFor, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-error-body';

const KINDS = {
  'error-below-400': {
    severity: 'violation',
    title: 'an error body answered with a status below 400',
  },
} as const satisfies Kinds<'error-below-400'>;

const report = findingReporter(ID, KINDS);

/**
 * Error bodies come in several accepted shapes: OpenAI's `{"error": {message, type, param,
 * code}}`, TGI's `{"error", "error_type"}` and text/plain pre-handler rejections (no finding); a
 * bare `{"error": "string"}` or vLLM's flat `{object: "error", …}` are warnings; anything else is
 * a violation. The decoder classifies the body (OpenAIErrorInfo) and files those findings, which
 * this check returns (their kinds are the classifier's). It adds one rule of its own: an error
 * is answered with a status ≥ 400. An error event inside a 200 stream is accepted framing
 * (openai-stream-error judges it).
 */
export const openaiErrorBody: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'error bodies have an accepted shape and an error status',
  rule: 'An error body is OpenAI\'s object, TGI\'s {error, error_type} or text/plain (a bare {"error": "string"} or vLLM\'s flat body are warnings, other shapes violations), and comes with a status ≥ 400.',
  source: 'openai-behavior.md §1 (Error), §3 (HTTP errors), §4.11; verdict-policy "The OpenAI-compatible routes" (an error answered with a status below 400; error body shapes)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    const found = decodedFor(view, ID);
    if (view.transportFailure !== undefined && found.length === 0) return { skip: 'the exchange did not complete (response-completes judges it)' };
    const error = view.error;
    if (view.status < 400) {
      if (error === undefined) {
        return found.length > 0 || view.streamError !== undefined ? found : { skip: `HTTP ${view.status} without an error body` };
      }
      const message = error.message;
      if (typeof message === 'string') {
        found.push(
          report('error-below-400', {
            message: `expected an error body ("${message.length > 80 ? `${message.slice(0, 77)}...` : message}") to come with a status ≥ 400 but the status is ${view.status}`,
            pointer: '/error',
          }),
        );
      }
    }
    return found;
  },
};

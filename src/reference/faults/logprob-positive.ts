import type { ExactJson } from '../../core/json.js';
import { isObject, isTokenEvent, mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/** A token with its log-probability's sign flipped (a negative log-likelihood sent as logprob). */
function flip(token: ExactJson): ExactJson {
  if (!isObject(token) || typeof token['logprob'] !== 'number' || token['logprob'] >= 0) return token;
  return { ...token, logprob: -token['logprob'] };
}

/**
 * Sends generated tokens' logprob as a positive number (the negative log-likelihood), in
 * details.tokens and in stream events.
 * @see tgi-behavior.md §2b N-7
 */
export const logprobPositive: Fault = {
  name: 'logprob-positive',
  description: 'generated tokens\' logprob is positive (sign flipped)',
  detectedBy: 'logprob-range',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => (Array.isArray(d['tokens']) ? { ...d, tokens: d['tokens'].map(flip) } : d)),
    ),
  transformEvent: (event: ExactJson) => (isTokenEvent(event) ? [{ ...event, token: flip(event['token'] ?? null) }] : [event]),
};

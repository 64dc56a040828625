import type { ExactJson } from '../../core/json.js';
import type { Fault } from './fault.js';

type JsonObject = { [key: string]: ExactJson };

function isObject(v: ExactJson | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bump(response: ExactJson): ExactJson {
  if (!isObject(response) || !isObject(response.details)) return response;
  const details = response.details;
  if (typeof details.generated_tokens !== 'number') return response;
  return { ...response, details: { ...details, generated_tokens: details.generated_tokens + 1 } };
}

/**
 * Counts one token more in `details.generated_tokens` than `details.tokens` holds (TGI: equal,
 * the end-of-sequence token included).
 * @see tgi-behavior.md N-1
 */
export const generatedTokensOffByOne: Fault = {
  name: 'generated-tokens-off-by-one',
  description: 'details.generated_tokens is one more than the tokens listed',
  detectedBy: 'tokens-count',
  transformResponseBody: (body, ctx) => {
    if (ctx.status !== 200) return body;
    return Array.isArray(body) ? body.map(bump) : bump(body);
  },
};

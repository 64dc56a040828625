import { mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Writes `details.generated_tokens` as a string (`"5"`), as a server that passes every number
 * through a string formatter does.
 * @see tgi-behavior.md §2a (Details: generated_tokens u32)
 */
export const generatedTokensAsString: Fault = {
  name: 'generated-tokens-as-string',
  description: 'details.generated_tokens is a JSON string',
  detectedBy: 'response-schema',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) => mapDetails(r, (d) => ({ ...d, generated_tokens: String(d['generated_tokens']) }))),
};

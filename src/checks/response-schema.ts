import type { CheckDefinition } from './check.js';
import { decodedFindings } from './_internals/decoded.js';

/**
 * A 2xx non-stream body is a GenerateResponse: an object on /generate, a one-element array on
 * TGI's `/`, either on the seed-style endpoint (verdict-policy item 21). Unknown keys and nulls
 * where TGI omits a field are warnings (item 23).
 * @see spec/openapi.yaml#/components/schemas/GenerateResponse
 */
export const responseSchema: CheckDefinition = {
  id: 'response-schema',
  severity: 'violation',
  title: 'response body matches the GenerateResponse schema',
  rule: 'A 2xx non-stream body is a GenerateResponse (object on /generate, [GenerateResponse] on POST /, either on the seed endpoint); unknown keys are warnings.',
  source: 'tgi-behavior.md §2a Response; router/src/lib.rs L:1474, server.rs S:149; verdict-policy items 21, 23',
  run(view) {
    if (view.streamed || view.status < 200 || view.status >= 300) return { skip: 'not a non-stream 2xx response' };
    return decodedFindings(view, 'response-schema');
  },
};

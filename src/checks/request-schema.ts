import type { CheckDefinition } from './check.js';
import { decodedFindings } from './_internals/decoded.js';

/**
 * What tgc sent or what a recorded client sent. Within an exchange the request is the input, not
 * the verdict: only unknown keys are reported, as warnings (verdict-policy item 22). A request
 * that breaks the schema is judged by `negative-data-rejection`.
 * @see spec/openapi.yaml#/components/schemas/CompatGenerateRequest
 */
export const requestSchema: CheckDefinition = {
  id: 'request-schema',
  severity: 'warning',
  title: 'the request uses only fields of the contract',
  rule: 'Request keys the contract does not know (options, model, …) are ignored by servers: a warning.',
  source: 'tgi-behavior.md §2a ("Unknown keys are ignored everywhere"); verdict-policy item 22',
  run(view) {
    if (view.requestBody === undefined) return { skip: 'no JSON request body recorded' };
    return decodedFindings(view, 'request-schema');
  },
};

import type { CheckDefinition } from './check.js';
import { decodedFindings } from './_internals/decoded.js';

/**
 * Errors raised in the handler carry `{error, error_type}`; pre-handler rejections (400, 413,
 * 415, text/plain 422) and the empty 401 are correct as they are (verdict-policy item 6).
 * @see spec/openapi.yaml#/components/schemas/ErrorResponse
 */
export const errorBodySchema: CheckDefinition = {
  id: 'error-body-schema',
  severity: 'violation',
  title: 'error responses carry {error, error_type}',
  rule: 'A JSON error body is {error: string, error_type: string} (the seed endpoint\'s 503 is {error, estimated_time}); text/plain is accepted only for 400, 413, 415 and 422.',
  source: 'tgi-behavior.md §2c; router/src/lib.rs L:1516, server.rs S:2404-2424; verdict-policy item 6',
  run(view) {
    if (view.status < 400) return { skip: 'not an error status' };
    return decodedFindings(view, 'error-body-schema');
  },
};

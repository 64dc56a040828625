import { isObject } from './_support.js';
import { everyOtherRequestLoading } from './_cold-model.js';
import type { Fault } from './fault.js';

/**
 * The serverless endpoint (profile hf) answers "model loading" with a plain ErrorResponse
 * `{"error":"Model … is currently loading","error_type":"loading"}` instead of the seed
 * document's `{error, estimated_time}`, so clients cannot tell how long to wait. The model is
 * cold on every other request, so that the 503 shows during a run.
 * @see seed document (503 model loading); tgi-behavior.md §3
 */
export const hfLoadingWithoutEstimatedTime: Fault = {
  name: 'hf-loading-without-estimated-time',
  description: 'hf profile: the model-loading 503 has no estimated_time (model cold on every other request)',
  detectedBy: 'serverless-headers',
  mockOptions: { profile: 'hf' },
  runOptions: { api: 'hf' },
  loadingMs: everyOtherRequestLoading(),
  transformResponseBody: (body, ctx) => {
    if (ctx.status !== 503 || !isObject(body) || !('estimated_time' in body)) return body;
    return { error: body['error'] ?? 'Model is currently loading', error_type: 'loading' };
  },
};

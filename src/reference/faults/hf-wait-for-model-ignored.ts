import { everyOtherRequestLoading } from './_cold-model.js';
import type { Fault } from './fault.js';

/**
 * The serverless endpoint (profile hf) ignores `x-wait-for-model: true`: a request that asks to
 * wait for the model still gets the 503 loading answer. The model is cold on every other
 * request; the run sends the header on every request (runOptions.headers) so that the judged
 * cases carry it.
 * @see seed document (Headers: x-wait-for-model); tgi-behavior.md §3
 */
export const hfWaitForModelIgnored: Fault = {
  name: 'hf-wait-for-model-ignored',
  description: 'hf profile: x-wait-for-model: true is ignored, the request gets the loading 503 (model cold on every other request)',
  detectedBy: 'serverless-headers',
  mockOptions: { profile: 'hf' },
  runOptions: { api: 'hf', headers: { 'x-wait-for-model': 'true' } },
  loadingMs: everyOtherRequestLoading(),
  transformRequestHeaders: (headers) => headers.delete('x-wait-for-model'),
};

/**
 * The seed document's single endpoint (the Hugging Face Inference API): one URL, `stream` in the
 * body, the serverless headers and the model-loading 503.
 */
import { HF_SURFACE } from '../engine/cases.js';
import { nativeApi } from './native.js';

export const hfApi = nativeApi({
  name: 'hf',
  title: "the seed document's single endpoint (the Hugging Face Inference API)",
  surface: HF_SURFACE,
  compatShape: 'either',
  scenarioRoutes: { nonStream: 'POST /', stream: 'POST /', streamInBody: true, headers: { 'x-use-cache': 'false' } },
  normaliseUrl: (url) => url,
  routeUrl: (url) => url,
  builtIn: { profile: 'hf', url: (serverUrl) => `${serverUrl}/models/tgc/reference-model` },
});

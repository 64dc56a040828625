import { isObject } from './_support.js';
import { MODELS_ROUTE, OPENAI_RUN } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Lists the served model with `id: ""`: the list has entries, but no name a client can put in
 * `model`.
 * @see openai-openapi-excerpt.yaml Model (id); openai-models (a non-empty string id)
 */
export const openaiModelsEmptyId: Fault = {
  name: 'openai-models-empty-id',
  description: 'GET /v1/models lists its models with id ""',
  detectedBy: 'openai-models',
  runOptions: OPENAI_RUN,
  transformResponseBody: (body, ctx) => {
    if (ctx.route !== MODELS_ROUTE || ctx.status !== 200 || !isObject(body) || !Array.isArray(body['data'])) return body;
    return { ...body, data: body['data'].map((m) => (isObject(m) ? { ...m, id: '' } : m)) };
  },
};

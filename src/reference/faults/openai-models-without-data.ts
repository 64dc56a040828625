import { isObject } from './_support.js';
import { MODELS_ROUTE, OPENAI_RUN } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Answers GET /v1/models with `{"object": "list"}` and no `data`: clients find no model.
 * @see openai-openapi-excerpt.yaml ListModelsResponse (object, data required)
 */
export const openaiModelsWithoutData: Fault = {
  name: 'openai-models-without-data',
  description: 'GET /v1/models has no data array',
  detectedBy: 'openai-response-schema',
  runOptions: OPENAI_RUN,
  transformResponseBody: (body, ctx) => {
    if (ctx.route !== MODELS_ROUTE || ctx.status !== 200 || !isObject(body)) return body;
    const { data: _data, ...rest } = body;
    return rest;
  },
};

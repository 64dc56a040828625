import type { ExactJson } from '../../core/json.js';
import { isObject } from './_support.js';
import { MODELS_ROUTE, OPENAI_RUN, onAnswers } from './_openai.js';
import type { Fault } from './fault.js';

const answers = onAnswers((answer) => {
  const { object: _object, ...rest } = answer;
  return rest;
});

/**
 * Leaves `object` out of every body and chunk (chat, completions, the model list): NVIDIA AIPerf
 * rejected every such chunk, strictly typed clients fail.
 * @see openai-behavior.md §2, §4.12
 */
export const openaiObjectMissing: Fault = {
  name: 'openai-object-missing',
  description: 'responses, chunks and the model list have no "object" key',
  detectedBy: 'openai-object',
  runOptions: OPENAI_RUN,
  transformResponseBody: (body: ExactJson, ctx) => {
    if (ctx.route === MODELS_ROUTE && ctx.status === 200 && isObject(body)) {
      const { object: _object, ...rest } = body;
      return rest;
    }
    return answers.transformResponseBody?.(body, ctx) ?? body;
  },
  transformEvent: answers.transformEvent,
};

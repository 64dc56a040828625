import type { ExactJson } from '../../core/json.js';
import { isObject } from './_support.js';
import { CHAT_ROUTE, OPENAI_RUN, isChunk, isGenerationRoute } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * After the chunk that finishes a choice, sends one more chunk for it (an empty delta, or empty
 * text, with `finish_reason: null`): the finish_reason is not on the choice's last chunk.
 * @see openai-behavior.md §1 (finish_reason null until the choice's last chunk), §2 (openai-node)
 */
export const openaiFinishReasonNotLast: Fault = {
  name: 'openai-finish-reason-not-last',
  description: 'an empty chunk with finish_reason null follows the chunk that finishes each choice',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  transformEvent: (event, ctx) => {
    if (!isGenerationRoute(ctx.route) || !isChunk(event)) return [event];
    const chat = ctx.route === CHAT_ROUTE;
    const trailing: ExactJson[] = (event['choices'] as ExactJson[])
      .filter((c) => isObject(c) && typeof c['finish_reason'] === 'string')
      .map((c) => {
        const index = isObject(c) ? (c['index'] ?? 0) : 0;
        const empty: ExactJson = chat ? { index, delta: {}, logprobs: null, finish_reason: null } : { index, text: '', logprobs: null, finish_reason: null };
        return empty;
      });
    return trailing.length === 0 ? [event] : [event, { ...event, choices: trailing }];
  },
};

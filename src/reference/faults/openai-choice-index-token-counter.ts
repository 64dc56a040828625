import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Stream chunks use a running counter (the event's position) as the choice index, as TGI did
 * before PR #1648: one choice looks like as many choices as there are chunks.
 * @see openai-behavior.md §4.9 (TGI PR #1648)
 */
export const openaiChoiceIndexTokenCounter: Fault = {
  name: 'openai-choice-index-token-counter',
  description: 'stream chunks carry the chunk counter as the choice index',
  detectedBy: 'openai-choice-index',
  runOptions: OPENAI_RUN,
  transformEvent: (event, ctx) =>
    onChoices((choice, where) => (where.stream ? { ...choice, index: ctx.index } : choice)).transformEvent?.(event, ctx) ?? [event],
};

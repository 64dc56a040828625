import { OPENAI_RUN, mapToolCalls, onMessages } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Streams tool-call fragments without their `index`: openai-python's helper and the Vercel AI
 * SDK crash.
 * @see openai-behavior.md §1 (a tool-call delta requires only index), §4.6 (mistral.rs PR #1507, openai-python #2806)
 */
export const openaiToolDeltaNoIndex: Fault = {
  name: 'openai-tool-delta-no-index',
  description: 'streamed tool-call fragments have no index',
  detectedBy: 'openai-tool-calls',
  runOptions: OPENAI_RUN,
  transformEvent: onMessages((delta, where) =>
    where.stream
      ? mapToolCalls(delta, (call) => {
          const { index: _index, ...rest } = call;
          return rest;
        })
      : delta,
  ).transformEvent,
};

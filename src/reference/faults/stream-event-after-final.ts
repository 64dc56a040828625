import type { ExactJson } from '../../core/json.js';
import { isFinalEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Sends one more token event (an end-of-sequence token) after the final event, as a server that
 * emits its "done" marker before flushing the last token would.
 * @see tgi-behavior.md §2b N-12 (only the last event has generated_text)
 */
export const streamEventAfterFinal: Fault = {
  name: 'stream-event-after-final',
  description: 'a token event follows the final event',
  detectedBy: 'stream-final-event',
  transformEvent: (event: ExactJson) => {
    if (!isFinalEvent(event) || typeof event['index'] !== 'number') return [event];
    const extra: ExactJson = {
      index: event['index'] + 1,
      token: { id: 2, text: '</s>', logprob: -0.5, special: true },
      generated_text: null,
      details: null,
    };
    return [event, extra];
  },
};

import type { ExactJson } from '../../core/json.js';
import type { Fault } from './fault.js';

/**
 * Numbers stream events from 0 instead of 1 (TGI: `index` runs 1..N and the last one equals
 * `generated_tokens`).
 * @see tgi-behavior.md N-12
 */
export const streamIndexFromZero: Fault = {
  name: 'stream-index-from-zero',
  description: 'stream events are numbered 0..N-1 instead of 1..N',
  detectedBy: 'stream-event-schema',
  transformEvent: (event: ExactJson) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event) || typeof event.index !== 'number') return [event];
    return [{ ...event, index: event.index - 1 }];
  },
};

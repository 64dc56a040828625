import type { ExactJson } from '../../core/json.js';
import { isTokenEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Skips index 3: events are numbered 1, 2, 4, 5, … (TGI: 1..N contiguous, one per token).
 * @see tgi-behavior.md §2b N-12
 */
export const streamIndexGap: Fault = {
  name: 'stream-index-gap',
  description: 'stream event indexes skip 3 (1, 2, 4, 5, …)',
  detectedBy: 'stream-index',
  transformEvent: (event: ExactJson) =>
    isTokenEvent(event) && typeof event['index'] === 'number' && event['index'] >= 3 ? [{ ...event, index: event['index'] + 1 }] : [event],
};

import type { ExactJson } from '../../core/json.js';
import { isFinalEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * The stream ends after its last token without a final event: the last event has
 * `generated_text: null` and `details: null`, like every other.
 * @see tgi-behavior.md §2b N-12 (server.rs:580 vs :643)
 */
export const streamFinalEventMissing: Fault = {
  name: 'stream-final-event-missing',
  description: 'the last stream event has no generated_text (and no details)',
  detectedBy: 'stream-final-event',
  transformEvent: (event: ExactJson) => (isFinalEvent(event) ? [{ ...event, generated_text: null, details: null }] : [event]),
};

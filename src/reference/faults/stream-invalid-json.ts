import type { Fault } from './fault.js';

/**
 * Writes each event's JSON with a trailing comma (`…,"details":null,}`), as a hand-rolled
 * serializer does: the data is no longer JSON.
 * @see tgi-behavior.md §2c SSE framing (Event::json_data)
 */
export const streamInvalidJson: Fault = {
  name: 'stream-invalid-json',
  description: 'stream event data is JSON with a trailing comma',
  detectedBy: 'stream-event-schema',
  transformFrame: (frame) => (frame.startsWith('data:{') ? frame.replace(/}\n\n$/, ',}\n\n') : frame),
};

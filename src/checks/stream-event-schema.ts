import type { CheckDefinition } from './check.js';
import { decodedFindings } from './_internals/decoded.js';

/**
 * Every SSE event's data is JSON matching StreamResponse, or the error event
 * `{error, error_type}` that ends the stream.
 * @see spec/openapi.yaml#/components/schemas/StreamResponse
 */
export const streamEventSchema: CheckDefinition = {
  id: 'stream-event-schema',
  severity: 'violation',
  title: 'every stream event matches the StreamResponse schema',
  rule: "Each event's data parses as JSON and matches StreamResponse, or is an ErrorResponse that is the last event.",
  source: 'tgi-behavior.md §2a Stream event, §2c Streaming errors; router/src/lib.rs L:1504, server.rs S:488-505',
  run(view) {
    if (view.bodyKind !== 'sse') return { skip: 'not a stream' };
    return decodedFindings(view, 'stream-event-schema');
  },
};

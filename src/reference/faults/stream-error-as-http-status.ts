import type { Fault } from './fault.js';

/**
 * On a stream route, answers an in-handler rejection (validation, s1/s2, overload) with its
 * HTTP status and a JSON body, as TGI's OpenAPI document says, where TGI answers 200 and sends
 * `data:{"error":…,"error_type":…}`.
 * @see tgi-behavior.md §2c Streaming errors (server.rs:488-505); verdict-policy item 7
 */
export const streamErrorAsHttpStatus: Fault = {
  name: 'stream-error-as-http-status',
  description: 'stream requests rejected in the handler get HTTP 422 + JSON instead of 200 + an error event',
  detectedBy: 'stream-error-status',
  streamFailureAsStatus: () => true,
};

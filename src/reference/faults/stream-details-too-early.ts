import type { ExactJson } from '../../core/json.js';
import { isTokenEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * When details are asked for, every stream event carries running details (`generated_tokens`
 * so far, finish_reason "length"), not only the final one.
 * @see tgi-behavior.md §2b N-12 (server.rs:541)
 */
export const streamDetailsTooEarly: Fault = {
  name: 'stream-details-too-early',
  description: 'with details, every stream event carries details, not only the final one',
  detectedBy: 'stream-final-event',
  transformEvent: (event: ExactJson, ctx) => {
    const valid = ctx.valid;
    if (!isTokenEvent(event) || event['details'] !== null || !valid?.details || typeof event['index'] !== 'number') return [event];
    const details: ExactJson = { finish_reason: 'length', generated_tokens: event['index'], seed: null, input_length: valid.inputLength };
    return [{ ...event, details }];
  },
};

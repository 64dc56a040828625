import type { ExactJson } from '../../core/json.js';
import { isObject, isTokenEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Stream events' `token` lacks `special` (required in Token, lib.rs:1386): the shape a server
 * that reuses the PrefillToken type for streamed tokens sends.
 * @see tgi-behavior.md §2a (Token, StreamResponse)
 */
export const streamTokenMissingSpecial: Fault = {
  name: 'stream-token-missing-special',
  description: 'stream events\' token has no "special" field',
  detectedBy: 'stream-event-schema',
  transformEvent: (event: ExactJson) => {
    if (!isTokenEvent(event) || !isObject(event['token'])) return [event];
    const { special: _dropped, ...token } = event['token'];
    return [{ ...event, token }];
  },
};

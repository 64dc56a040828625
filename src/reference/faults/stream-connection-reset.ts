import type { ExactJson } from '../../core/json.js';
import { delay } from '../inference.js';
import type { Fault, StreamFaultContext } from './fault.js';

/** Events sent before the connection is dropped. */
export const RESET_AFTER_EVENTS = 2;

/** The pause before the failure, so that the events before it reach the client first. */
const FLUSH_MS = 50;

async function* reset(source: AsyncIterable<ExactJson>, ctx: StreamFaultContext): AsyncGenerator<ExactJson, void, void> {
  let sent = 0;
  for await (const event of source) {
    if (sent === RESET_AFTER_EVENTS) {
      await delay(FLUSH_MS, ctx.signal);
      throw new Error('tgc fault stream-connection-reset: the worker died');
    }
    yield event;
    sent++;
  }
}

/**
 * Drops the connection in the middle of a stream: after its second event the server fails and
 * resets the connection, with neither a final event nor an error event (a worker that crashes).
 * Streams of one or two tokens end normally.
 * @see DESIGN.md (exit codes: a server that resets the connection is a violation)
 */
export const streamConnectionReset: Fault = {
  name: 'stream-connection-reset',
  description: 'streams of three or more tokens are cut (connection reset) after their second event',
  detectedBy: 'response-completes',
  transformEventSource: reset,
};

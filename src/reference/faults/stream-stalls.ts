import type { ExactJson } from '../../core/json.js';
import { untilAborted } from './_support.js';
import type { Fault, StreamFaultContext } from './fault.js';

/** Streams asking for at least this many tokens stall. */
export const STALL_MIN_NEW_TOKENS = 12n;
/** Events sent before the stall. */
export const STALL_AFTER_EVENTS = 3;

async function* stall(source: AsyncIterable<ExactJson>, ctx: StreamFaultContext): AsyncGenerator<ExactJson, void, void> {
  const max = ctx.request?.parameters.max_new_tokens;
  const stalls = typeof max === 'bigint' && max >= STALL_MIN_NEW_TOKENS;
  let sent = 0;
  for await (const event of source) {
    yield event;
    if (stalls && ++sent === STALL_AFTER_EVENTS) {
      // Headers and three events went out; then nothing, not even a keep-alive, until the client gives up.
      await untilAborted(ctx.signal);
      return;
    }
  }
}

/**
 * Streams that ask for 12 or more new tokens stop after their third event and never finish
 * (a stuck generation without keep-alives): the client waits until its own idle limit. Shorter
 * streams and non-stream requests are answered normally, so that a run stays quick.
 * @see DESIGN.md (exit codes: a server that accepts the connection and then hangs is a violation)
 */
export const streamStalls: Fault = {
  name: 'stream-stalls',
  description: 'streams with max_new_tokens >= 12 stall forever after their third event',
  detectedBy: 'response-completes',
  transformEventSource: stall,
  // The stall must stay silent: the keep-alive comment would reset the client's idle timer.
  transformFrame: (frame) => (frame === ':\n\n' ? '' : frame),
};

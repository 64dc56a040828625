import type { BaseExchangeView } from '../core/exchange.js';
import type { CheckDefinition } from './check.js';
import { decodedFindings } from './_internals/decoded.js';

/**
 * The text/event-stream framing a client can read: complete events, valid UTF-8, bounded
 * events; `data:` with or without a space, CRLF, comments and a final [DONE] are all accepted.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 *
 * Applies to every API that streams Server-Sent Events.
 */
export const streamFraming: CheckDefinition<BaseExchangeView> = {
  id: 'stream-framing',
  severity: 'violation',
  title: 'the stream is well-framed Server-Sent Events',
  rule: 'The body is text/event-stream a client can decode: valid UTF-8, every event terminated by a blank line, nothing after [DONE], events within the size limits.',
  source: 'tgi-behavior.md §2c SSE framing (axum Event::json_data); verdict-policy item 18',
  run(view) {
    if (view.bodyKind !== 'sse') return { skip: 'not a stream' };
    return decodedFindings(view, 'stream-framing');
  },
};

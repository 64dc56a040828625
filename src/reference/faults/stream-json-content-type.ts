import type { Fault } from './fault.js';

/**
 * Labels its streams `content-type: application/json` (the body is still SSE): clients that
 * dispatch on the content type (huggingface.js) refuse the stream.
 * @see tgi-behavior.md §2b N-13, §3 (huggingface.js requires text/event-stream)
 */
export const streamJsonContentType: Fault = {
  name: 'stream-json-content-type',
  description: 'streams are sent with content-type application/json',
  detectedBy: 'response-kind',
  transformHeaders: (headers, ctx) => {
    if (ctx.stream && (headers.get('content-type') ?? '').startsWith('text/event-stream')) headers.set('content-type', 'application/json');
  },
};

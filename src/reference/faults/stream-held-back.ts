import type { ExactJson } from '../../core/json.js';
import type { Fault } from './fault.js';

/** The fault's own time per generated token, so that holding back shows without --latency-ms. */
export const HELD_BACK_TOKEN_MS = 20;

async function* holdBack(source: AsyncIterable<ExactJson>): AsyncGenerator<ExactJson, void, void> {
  const held: ExactJson[] = [];
  for await (const event of source) held.push(event);
  yield* held;
}

/**
 * Buffers the whole stream: the headers go out at once, then nothing until the last token was
 * generated, then every event in one burst (a proxy or a framework that buffers the response).
 * Its model takes 20 ms per token (the mock's latency, on every route), so the held-back first
 * event arrives late.
 * @see tgi-behavior.md §2b N-13 (X-Accel-Buffering: no), §2c SSE framing
 */
export const streamHeldBack: Fault = {
  name: 'stream-held-back',
  description: 'the whole stream is held back until the last token (20 ms per token), then sent at once',
  detectedBy: 'stream-incremental',
  // A model that takes 20 ms per token on every route, behind a buffer on the stream route.
  mockOptions: { latencyMs: HELD_BACK_TOKEN_MS },
  transformEventSource: holdBack,
};

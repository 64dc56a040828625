import type { CheckDefinition, CheckKind } from './check.js';
import { findingReporter } from './_internals/findings.js';

const ID = 'stream-incremental';

/** Streams with fewer data events are too short to tell a burst from a fast server. */
export const MIN_EVENTS = 8;
/** All the events arrived within this span: one burst, not one event per generated token. */
export const BURST_MS = 3;
/** The first event came this long after the first byte (the headers): it was held back. */
export const HELD_BACK_MS = 100;

const KINDS = {
  'stream-held-back': {
    severity: 'violation',
    title: 'the stream was held back and delivered in one burst at the end',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * A stream is delivered as the tokens are produced, not buffered until the end (TGI sends each
 * token as an event at once and `X-Accel-Buffering: no` so that proxies do not buffer). Judged by
 * when bytes arrived (`timings`): a violation when a stream of at least 8 data events had all of
 * them arrive within 3 ms of each other, and the first of them at least 100 ms after the first
 * byte of the response: the headers went out at once, then every event waited for the last.
 *
 * Why a correct server is never flagged: a server that streams sends each event when its token
 * is generated, so events are spaced by its per-token latency (tens of ms on real hardware,
 * speculative decoding emits a few tokens at a time, never the whole answer); a slow prefill
 * delays the first event, but the ones after it still come one per decoding step, so they do not
 * fit in 3 ms. A fast server (or the reference server without latency) may send every event
 * within 3 ms, but then the first event follows the headers at once: there is no 100 ms gap.
 *
 * What it cannot see: a server (or a proxy) that holds the headers back too, so that the first
 * byte arrives with the burst (that is indistinguishable from a fast server behind a slow
 * network); a stream shorter than 8 events; and exchanges recorded without timings
 * (`tgc validate`), which it skips.
 *
 * @see ../../shared/reference/tgi-behavior.md §2b N-13 (X-Accel-Buffering: no), §2c SSE framing
 */
export const streamIncremental: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'stream events are sent as tokens are produced',
  rule: `A stream is not held back until the end: a stream of ${MIN_EVENTS} or more events whose events all arrive within ${BURST_MS} ms of each other, the first one ${HELD_BACK_MS} ms or more after the response's first byte, is a violation.`,
  source: 'tgi-behavior.md §2b N-13 (X-Accel-Buffering: no) and §2c SSE framing (server.rs:488-505, one event per token); DESIGN.md (a conformance run records timings)',
  appliesTo: 'stream',
  kinds: KINDS,
  run(view) {
    if (!view.streamed || (view.bodyKind !== undefined && view.bodyKind !== 'sse')) return { skip: 'not a stream' };
    const timings = view.timings;
    const arrivals = timings?.eventMs;
    const firstByte = timings?.firstByteMs;
    if (arrivals === undefined || firstByte === undefined) return { skip: 'the exchange was recorded without timings' };
    if (arrivals.length < MIN_EVENTS) return { skip: `fewer than ${MIN_EVENTS} events: too short to tell a burst from a fast server` };
    const first = Math.min(...arrivals);
    const last = Math.max(...arrivals);
    const span = last - first;
    const wait = first - firstByte;
    if (span > BURST_MS || wait < HELD_BACK_MS) return [];
    return [
      report('stream-held-back', {
        message: `all ${arrivals.length} events arrived within ${round(span)} ms, the first ${round(wait)} ms after the headers: the stream was buffered until the last token instead of sent token by token`,
        pointer: '/token',
        event: 0,
      }),
    ];
  },
};

import type { CheckKind, ScenarioCheck } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { greedyBody, plannedRequest } from './_internals/scenario-outputs.js';

const ID = 'stream-incremental';

/** Streams with fewer data events are too short to tell a burst from a fast server. */
export const MIN_EVENTS = 8;
/** Judge only where generating the stream's tokens takes measurable time. */
export const MIN_DECODE_MS = 100;
/** Events spread over less than this share of the decode time arrived as one burst. */
export const BURST_SHARE = 0.2;
/** The first event waited at least this share of the decode time: it was held back. */
export const HELD_SHARE = 0.5;

const KINDS = {
  'stream-held-back': {
    severity: 'violation',
    title: 'the stream was held back and delivered in one burst at the end',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const GROUPS = [17, 19, 23];

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function header(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * A stream is delivered as the tokens are produced, not buffered until the end (TGI sends each
 * token as an event at once, with `X-Accel-Buffering: no` so that proxies do not buffer). The
 * same greedy request is sent without and with streaming: the non-stream answer tells how long
 * the server takes per token (its `x-time-per-token` header, or its total time over the tokens
 * where a gateway stripped the header). A stream of N ≥ 8 events from such a server should spread
 * its events over about (N-1) × that time. A violation when that expected spread is at least
 * 100 ms and the events came in a burst (spread below 20% of it) whose first event waited at
 * least half of it after the response's first byte: the headers went out, the events waited.
 *
 * Why a correct server is not flagged: one that streams spaces its events by its per-token time,
 * which the non-stream answer measured; a server whose tokens come fast (the reference server
 * without latency, a warm cache) has an expected spread below 100 ms and is not judged; a slow
 * first token (warm-up, prefill) delays the first event but not the spacing of the others.
 *
 * What it cannot see: a server or proxy that holds the headers back too (the first byte arrives
 * with the burst); a burst from a server whose non-stream path is fast and stream path slow.
 * Single-exchange recordings (`tgc validate`) cannot be judged.
 * @see ../../shared/reference/tgi-behavior.md §2b N-13 (X-Accel-Buffering: no), §2c SSE framing
 */
export const streamIncremental: ScenarioCheck = {
  id: ID,
  severity: 'violation',
  title: 'stream events are sent as tokens are produced',
  rule: `A stream is not held back until the end: where the server's per-token time (measured on the same request without streaming) makes a stream of ${MIN_EVENTS}+ events take ${MIN_DECODE_MS} ms or more, its events must not all arrive in one late burst.`,
  source:
    'tgi-behavior.md §2b N-13 (X-Accel-Buffering: no) and §2c SSE framing (server.rs:488-505, one event per token); issue "Reference server and fault catalogue" (the whole stream held back)',
  plan(context) {
    return GROUPS.map((salt) => {
      const body = greedyBody(context, salt);
      return { name: `greedy-${salt}`, requests: [plannedRequest(context, body, false), plannedRequest(context, body, true)] };
    });
  },
  assess(_group, views) {
    const [plain, streamed] = views;
    if (!plain || !streamed) return { skip: 'fewer than two exchanges' };
    if (plain.status !== 200 || !plain.response?.details) return { skip: 'the non-stream answer has no details to time' };
    if (streamed.status !== 200 || streamed.bodyKind !== 'sse') return { skip: 'the stream request got no stream' };
    const arrivals = streamed.timings?.eventMs;
    const firstByte = streamed.timings?.firstByteMs;
    if (arrivals === undefined || firstByte === undefined) return { skip: 'recorded without timings' };
    if (arrivals.length < MIN_EVENTS) return { skip: `fewer than ${MIN_EVENTS} events: too short to judge` };
    const tokens = plain.response.details.generated_tokens;
    const total = plain.timings?.totalMs;
    const perToken = header(plain.headers?.['x-time-per-token']) ?? (total !== undefined && tokens > 0 ? total / tokens : undefined);
    if (perToken === undefined) return { skip: 'no per-token time to compare with' };
    const expected = (arrivals.length - 1) * perToken;
    if (expected < MIN_DECODE_MS) return { skip: `tokens come too fast to judge (${round(perToken)} ms each)` };
    const first = Math.min(...arrivals);
    const spread = Math.max(...arrivals) - first;
    const wait = first - firstByte;
    if (spread >= BURST_SHARE * expected || wait < HELD_SHARE * expected) return [];
    return [
      report('stream-held-back', {
        message: `the ${arrivals.length} events arrived within ${round(spread)} ms, the first ${round(wait)} ms after the headers, while the same request takes ${round(perToken)} ms per token without streaming (${round(expected)} ms for these events): the stream was buffered until the end instead of sent token by token`,
        event: 0,
      }),
    ];
  },
};

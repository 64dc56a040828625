/**
 * The limits of one exchange. Every one has a safe default, and every one exceeded is a failure
 * of that exchange (a violation on that case, naming the limit and the `tgc run` flag that
 * raises it), never a crash, a hang or a run-wide error. Past a size or count limit the
 * transport stops reading at once and closes the connection, holding no more than the limit.
 *
 * Why these defaults (none of them is reached by a correct server answering what tgc sends, nor
 * by the reference server `tgc mock`, nor by the real recordings in ../shared/fixtures):
 * - tgc's own requests are small: random inputs of at most 64 bytes, at most 16 new tokens on
 *   the native routes and 48 on the OpenAI-compatible ones, top tokens within the server's
 *   stated maximum. A correct answer to them is kilobytes, a correct stream tens of events. The
 *   defaults stay orders of magnitude above that, so that they also fit what tgc did not ask
 *   for (long generations a user records, servers with large contexts): lowering them would buy
 *   little memory (below) and risk flagging a correct server.
 * - Memory: each exchange in flight holds at most `maxBodyBytes` of body (as bytes while it
 *   arrives, then once as text; the events of a stream are not kept beside its text), so a run
 *   holds about `concurrency × maxBodyBytes` of bodies at worst: 40 MiB with the defaults, for
 *   a peak resident size near 250 MB against a server that floods every connection (README,
 *   "Limits", has the figures per hostile server).
 */

/** The bounds {@link send} enforces on one request/response. */
export interface TransportLimits {
  /**
   * From the start of the request until the TCP connection is established (DNS included).
   * Exceeded: `connect-timeout`, `connected: false` (the target could not be tested).
   * @defaultValue 5_000
   */
  connectTimeoutMs: number;
  /**
   * The per-request deadline, from the start: connect + first byte + response headers + (for a
   * response that is not `text/event-stream`) the whole body. Exceeded before any response byte:
   * `first-byte-timeout`; after: `deadline`. A stream's headers must also arrive within it; its
   * body is then governed by `streamIdleMs` and `streamTotalMs`.
   * @defaultValue 30_000
   */
  timeoutMs: number;
  /**
   * The longest gap between two chunks of a stream's body (comments and keep-alives count as
   * bytes). TGI sends a keep-alive comment after 15 s idle. Exceeded: `stream-idle`.
   * @defaultValue 30_000
   */
  streamIdleMs: number;
  /**
   * The whole stream, from the start of the request to its last byte. Exceeded: `stream-deadline`.
   * @defaultValue 120_000
   */
  streamTotalMs: number;
  /**
   * Bytes of a response body (a non-stream body, or a whole stream). Exceeded: `body-too-large`;
   * the body is kept up to the limit and the connection is closed. A Content-Length above it is
   * `body-too-large` at once, before any body byte is read. 10 MiB is far above any correct
   * answer to a tgc request and above TGI's own 2 MB payload limit on requests; it bounds the
   * memory of a run (about `concurrency × maxBodyBytes` of bodies).
   * @defaultValue 10 MiB (10_485_760)
   */
  maxBodyBytes: number;
  /**
   * Data events of one stream. The next one stops reading: `too-many-events`. A correct stream
   * sends one event a token: 100,000 is above any max_new_tokens a server allows today.
   * @defaultValue 100_000
   */
  maxEvents: number;
  /**
   * Bytes of one SSE event (up to its blank line). Exceeded: `event-too-large`. A correct event
   * is one token with its details (well under 10 KiB); the last one repeats the whole text.
   * @defaultValue 1 MiB (1_048_576)
   */
  maxEventBytes: number;
}

/** The `tgc run` flag that sets each limit, named in the violation when the limit is hit. */
export const LIMIT_FLAGS: Readonly<Record<keyof TransportLimits, string>> = Object.freeze({
  connectTimeoutMs: '--connect-timeout-ms',
  timeoutMs: '--timeout-ms',
  streamIdleMs: '--stream-idle-ms',
  streamTotalMs: '--stream-timeout-ms',
  maxBodyBytes: '--max-body-bytes',
  maxEvents: '--max-events',
  maxEventBytes: '--max-event-bytes',
});

/** The limit behind each failure kind that is a limit being hit. */
const LIMIT_OF_KIND: Readonly<Record<string, keyof TransportLimits>> = {
  'connect-timeout': 'connectTimeoutMs',
  'first-byte-timeout': 'timeoutMs',
  deadline: 'timeoutMs',
  'stream-idle': 'streamIdleMs',
  'stream-deadline': 'streamTotalMs',
  'body-too-large': 'maxBodyBytes',
  'too-many-events': 'maxEvents',
  'event-too-large': 'maxEventBytes',
};

/**
 * `message` with the flag that raises the limit behind failure `kind`, when it is one
 * (`connect-timeout` after `timeoutMs` rather than `connectTimeoutMs` names that flag).
 *
 * @example
 * ```ts
 * withLimitFlag('body-too-large', 'the body exceeded maxBodyBytes (10 bytes)');
 * // 'the body exceeded maxBodyBytes (10 bytes); --max-body-bytes raises it'
 * ```
 */
export function withLimitFlag(kind: string, message: string): string {
  let name = LIMIT_OF_KIND[kind];
  if (name === 'connectTimeoutMs' && !message.includes('connectTimeoutMs') && message.includes('timeoutMs')) name = 'timeoutMs';
  return name === undefined ? message : `${message}; ${LIMIT_FLAGS[name]} raises it`;
}

/** The defaults of every limit (see {@link TransportLimits}). */
export const DEFAULT_LIMITS: Readonly<TransportLimits> = Object.freeze({
  connectTimeoutMs: 5_000,
  timeoutMs: 30_000,
  streamIdleMs: 30_000,
  streamTotalMs: 120_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxEvents: 100_000,
  maxEventBytes: 1024 * 1024,
});

/** The largest delay `setTimeout` honours (larger ones fire at once). */
const MAX_TIMER_MS = 2_147_483_647;

const DURATIONS = ['connectTimeoutMs', 'timeoutMs', 'streamIdleMs', 'streamTotalMs'] as const;
const COUNTS = ['maxBodyBytes', 'maxEvents', 'maxEventBytes'] as const;

/**
 * What is wrong with `limits`, one message a problem; empty when they are usable. Durations are
 * whole milliseconds in [1, 2^31 − 1]; sizes and counts are positive safe integers.
 */
export function limitProblems(limits: TransportLimits): string[] {
  const problems: string[] = [];
  for (const name of DURATIONS) {
    const v: unknown = limits[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_TIMER_MS) {
      problems.push(`${name} must be an integer number of milliseconds in [1, ${MAX_TIMER_MS}], got ${String(v)}`);
    }
  }
  for (const name of COUNTS) {
    const v: unknown = limits[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      problems.push(`${name} must be a positive integer, got ${String(v)}`);
    }
  }
  return problems;
}

/**
 * The defaults with `overrides` applied (keys whose value is `undefined` keep the default), for
 * the command line's flags. Throws a `RangeError` naming every bad value.
 *
 * @example
 * ```ts
 * const limits = makeLimits({ timeoutMs: 5_000 }); // the other six keep their defaults
 * ```
 */
export function makeLimits(overrides: Partial<TransportLimits> = {}): TransportLimits {
  const limits: TransportLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof TransportLimits, number | undefined][]) {
    if (!(key in DEFAULT_LIMITS)) throw new RangeError(`[tgc] unknown transport limit ${JSON.stringify(key)}`);
    if (value !== undefined) limits[key] = value;
  }
  const problems = limitProblems(limits);
  if (problems.length > 0) throw new RangeError(`[tgc] invalid transport limits: ${problems.join('; ')}`);
  return limits;
}

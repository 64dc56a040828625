/**
 * The limits of one exchange. Every one has a safe default, and every one exceeded is a failure
 * of that exchange (a violation on that case), never a crash, a hang or a run-wide error.
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
   * the body is kept up to the limit and the connection is closed.
   * @defaultValue 10 MiB (10_485_760)
   */
  maxBodyBytes: number;
  /**
   * Data events of one stream. The next one stops reading: `too-many-events`.
   * @defaultValue 100_000
   */
  maxEvents: number;
  /**
   * Bytes of one SSE event (up to its blank line). Exceeded: `event-too-large`.
   * @defaultValue 1 MiB (1_048_576)
   */
  maxEventBytes: number;
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

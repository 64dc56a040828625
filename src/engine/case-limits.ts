/**
 * The transport limits of one case of `tgc run`: the run's, with what the request allows where
 * the API's contract bounds it. A stream answering max_new_tokens 16 carries one event a token,
 * and a 2xx answer to it (a body or a whole stream) a few kilobytes. A server that floods events
 * or bytes is then stopped after a few kilobytes instead of `maxBodyBytes`, and the violation
 * says why.
 */
import type { ExactJson } from '../core/json.js';
import { DEFAULT_LIMITS, type TransportLimits, type TransportResult } from '../transport/index.js';

/** What `streamEventBound` and `bodyByteBound` of an API driver return (src/apis/types.ts). */
export type RequestBound = (body: ExactJson | undefined) => { max: number; because: string } | undefined;

export interface CaseBounds {
  /** The data events of a stream; applies while `maxEvents` is the default. */
  events?: RequestBound | undefined;
  /** The bytes of a 2xx body or stream; applies while `maxBodyBytes` is the default. */
  bodyBytes?: RequestBound | undefined;
}

export interface CaseLimits {
  limits: TransportLimits;
  /** The request's bound on a 2xx body, for `TransportRequest.maxOkBodyBytes`; none when it sets none below `maxBodyBytes`. */
  maxOkBodyBytes?: number;
  /** Rewrites a `too-many-events` or `body-too-large` failure caused by a bound to name it (in place). */
  explain(result: TransportResult): void;
}

/**
 * The limits for a request with `body`. A bound applies only while its limit is the default;
 * the engine passes no bound when the user gave the flag (`fixedMaxEvents`,
 * `fixedMaxBodyBytes`), which then holds as given for every case.
 *
 * @example
 * ```ts
 * caseLimits(limits, { events: nativeStreamEventBound }, { inputs: 'Hi', parameters: { max_new_tokens: 16 } }).limits.maxEvents; // 48
 * ```
 */
export function caseLimits(limits: TransportLimits, bounds: CaseBounds, body: ExactJson | undefined): CaseLimits {
  const events = bounds.events && limits.maxEvents === DEFAULT_LIMITS.maxEvents ? bounds.events(body) : undefined;
  const bytes = bounds.bodyBytes && limits.maxBodyBytes === DEFAULT_LIMITS.maxBodyBytes ? bounds.bodyBytes(body) : undefined;
  const e = events && events.max < limits.maxEvents ? events : undefined;
  const b = bytes && bytes.max < limits.maxBodyBytes ? bytes : undefined;
  if (!e && !b) return { limits, explain: () => {} };
  return {
    limits: e ? { ...limits, maxEvents: e.max } : limits,
    ...(b ? { maxOkBodyBytes: b.max } : {}),
    explain(result) {
      const f = result.failure;
      if (e && f?.kind === 'too-many-events') {
        f.message =
          `more than ${e.max} data events (the bound for ${e.because}: a correct stream carries one a generated ` +
          `token, and the bound allows twice that plus 16); reading stopped after ${f.afterBytes} bytes; ` +
          `--max-events N sets another bound for every stream`;
      }
      const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
      if (b && ok && f?.kind === 'body-too-large') {
        // A Content-Length above the bound was refused unread; otherwise reading stopped at it.
        const length = result.headers?.['content-length']?.trim();
        const declared = length !== undefined && /^\d{1,15}$/.test(length) && Number(length) > b.max ? length : undefined;
        const what = declared !== undefined ? `the body declares Content-Length ${declared}, more than` : `the ${result.stream ? 'stream' : 'body'} exceeded`;
        f.message =
          `${what} ${b.max} bytes (the bound for ${b.because}: a correct answer shows each token in a few places, ` +
          `and the bound allows each a kilobyte or more, with room); ` +
          `${declared !== undefined ? 'not read' : `reading stopped after ${f.afterBytes} bytes`}; ` +
          `--max-body-bytes N sets another bound for every body`;
      }
    },
  };
}

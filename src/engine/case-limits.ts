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

/** The bytes any error answer may take, besides quoting its request. */
export const ERROR_BODY_BASE_BYTES = 1024 * 1024;

/**
 * The bytes of an answer that is not 2xx (an error, a redirect) to a request of `requestBytes`:
 * an error says what went wrong in a few hundred bytes (TGI's, OpenAI's object), a gateway's
 * HTML page in tens of kilobytes, a stack trace in a few more; it may quote the request (a
 * validation error echoing the input). So 1 MiB, plus the request four times over. The same for
 * every API: an error page owes nothing else to the request.
 */
export function errorBodyBound(requestBytes: number): { max: number; because: string } {
  return {
    max: ERROR_BODY_BASE_BYTES + 4 * requestBytes,
    because: `an answer that is not 2xx, to a request of ${requestBytes} bytes: 1 MiB, plus four times the request, which an error may quote`,
  };
}

export interface CaseBounds {
  /** The data events of a stream; applies while `maxEvents` is the default. */
  events?: RequestBound | undefined;
  /** The bytes of a 2xx body or stream; applies while `maxBodyBytes` is the default. */
  bodyBytes?: RequestBound | undefined;
  /** The bytes of a body of any other status, from the request's size; applies while `maxBodyBytes` is the default. */
  errorBytes?: ((requestBytes: number) => { max: number; because: string }) | undefined;
}

export interface CaseLimits {
  limits: TransportLimits;
  /** The request's bound on a 2xx body, for `TransportRequest.maxOkBodyBytes`; none when it sets none below `maxBodyBytes`. */
  maxOkBodyBytes?: number;
  /** The bound on a body of any other status, for `TransportRequest.maxErrorBodyBytes`; none when none below `maxBodyBytes`. */
  maxErrorBodyBytes?: number;
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
export function caseLimits(limits: TransportLimits, bounds: CaseBounds, body: ExactJson | undefined, requestBytes = 0): CaseLimits {
  const events = bounds.events && limits.maxEvents === DEFAULT_LIMITS.maxEvents ? bounds.events(body) : undefined;
  const defaultBytes = limits.maxBodyBytes === DEFAULT_LIMITS.maxBodyBytes;
  const bytes = bounds.bodyBytes && defaultBytes ? bounds.bodyBytes(body) : undefined;
  const errorBytes = bounds.errorBytes && defaultBytes ? bounds.errorBytes(requestBytes) : undefined;
  const e = events && events.max < limits.maxEvents ? events : undefined;
  const b = bytes && bytes.max < limits.maxBodyBytes ? bytes : undefined;
  const eb = errorBytes && errorBytes.max < limits.maxBodyBytes ? errorBytes : undefined;
  if (!e && !b && !eb) return { limits, explain: () => {} };
  return {
    limits: e ? { ...limits, maxEvents: e.max } : limits,
    ...(b ? { maxOkBodyBytes: b.max } : {}),
    ...(eb ? { maxErrorBodyBytes: eb.max } : {}),
    explain(result) {
      const f = result.failure;
      if (e && f?.kind === 'too-many-events') {
        f.message =
          `more than ${e.max} data events (the bound for ${e.because}: a correct stream carries one a generated ` +
          `token, and the bound allows twice that plus 16); reading stopped after ${f.afterBytes} bytes; ` +
          `--max-events N sets another bound for every stream`;
      }
      if (f?.kind !== 'body-too-large' || result.status === undefined) return;
      const ok = result.status >= 200 && result.status < 300;
      const bound = ok ? b : eb;
      if (!bound) return;
      // A Content-Length above the bound was refused unread; otherwise reading stopped at it.
      const length = result.headers?.['content-length']?.trim();
      const declared = length !== undefined && /^\d{1,15}$/.test(length) && Number(length) > bound.max ? length : undefined;
      const what = declared !== undefined ? `the body declares Content-Length ${declared}, more than` : `the ${result.stream ? 'stream' : 'body'} exceeded`;
      const why = ok ? `${bound.because}: a correct answer shows each token in a few places, and the bound allows each a kilobyte or more, with room` : bound.because;
      f.message =
        `${what} ${bound.max} bytes (the bound for ${why}); ` +
        `${declared !== undefined ? 'not read' : `reading stopped after ${f.afterBytes} bytes`}; ` +
        `--max-body-bytes N sets another bound for every body`;
    },
  };
}

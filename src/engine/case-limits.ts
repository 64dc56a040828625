/**
 * The transport limits of one case of `tgc run`: the run's, with the number of stream events
 * bounded by what the request asked for where the API's contract bounds it (a stream answering
 * max_new_tokens 16 carries one event a token). A server that floods events is then stopped
 * after a few kilobytes instead of `maxBodyBytes`, and the violation says why.
 */
import type { ExactJson } from '../core/json.js';
import { DEFAULT_LIMITS, type TransportLimits, type TransportResult } from '../transport/index.js';

/** What `streamEventBound` of an API driver returns (src/apis/types.ts). */
export type StreamEventBound = (body: ExactJson | undefined) => { max: number; because: string } | undefined;

export interface CaseLimits {
  limits: TransportLimits;
  /** Rewrites a `too-many-events` failure caused by the bound to name it (in place). */
  explain(result: TransportResult): void;
}

/**
 * The limits for a request with `body`. The bound applies only while `maxEvents` is the
 * default; the engine passes no `bound` when the user gave `--max-events` (`fixedMaxEvents`),
 * which then holds as given for every case.
 *
 * @example
 * ```ts
 * caseLimits(limits, nativeStreamEventBound, { inputs: 'Hi', parameters: { max_new_tokens: 16 } }).limits.maxEvents; // 48
 * ```
 */
export function caseLimits(limits: TransportLimits, bound: StreamEventBound | undefined, body: ExactJson | undefined): CaseLimits {
  const b = bound && limits.maxEvents === DEFAULT_LIMITS.maxEvents ? bound(body) : undefined;
  if (!b || b.max >= limits.maxEvents) return { limits, explain: () => {} };
  return {
    limits: { ...limits, maxEvents: b.max },
    explain(result) {
      const f = result.failure;
      if (f?.kind !== 'too-many-events') return;
      f.message =
        `more than ${b.max} data events (the bound for ${b.because}: a correct stream carries one a generated ` +
        `token, and the bound allows twice that plus 16); reading stopped after ${f.afterBytes} bytes; ` +
        `--max-events N sets another bound for every stream`;
    },
  };
}

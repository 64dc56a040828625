/**
 * How the server answered a planned case (the engine's `expectation`): accepted, rejected with a
 * status, or rejected in-band by a stream's error event (tgi-behavior.md §2c Streaming errors).
 * Shared by the checks that judge acceptance, rejection, auth and messages.
 */
import type { ErrorBody } from '../../core/api.js';
import type { CaseExpectation, ExchangeView } from '../../core/exchange.js';
import type { CheckResult } from './requires.js';

/**
 * Statuses a busy server answers before (or instead of) judging a request: 429 overloaded, 503
 * unavailable, 424 a failed generation. The engine retries them; they are never verdicts on the
 * request (verdict-policy item 20).
 */
const LOAD_STATUSES: ReadonlySet<number> = new Set([424, 429, 503]);

/** The in-band forms of 429 and 424 on a stream (S:2404-2424, S:488-505). */
const LOAD_ERROR_TYPES: ReadonlySet<string> = new Set(['overloaded', 'generation']);

export type ServerAnswer =
  /** A 2xx: a response, or a stream that did not end with an error event. */
  | { outcome: 'accepted' }
  /** Any other status; `error` when the body was the JSON ErrorResponse. */
  | { outcome: 'status'; status: number; error?: ErrorBody }
  /** HTTP 200, then an error event; `event` is its 0-based position when the events before it are known. */
  | { outcome: 'stream-error'; error: ErrorBody; event?: number };

export function serverAnswer(view: ExchangeView): ServerAnswer {
  if (view.status >= 200 && view.status < 300) {
    if (view.streamed && view.streamError !== undefined) {
      return view.events === undefined
        ? { outcome: 'stream-error', error: view.streamError }
        : { outcome: 'stream-error', error: view.streamError, event: view.events.length };
    }
    return { outcome: 'accepted' };
  }
  return view.error === undefined ? { outcome: 'status', status: view.status } : { outcome: 'status', status: view.status, error: view.error };
}

/** True when the answer is what a loaded server sends (429, 503, 424, or their in-band forms). */
export function isLoadAnswer(answer: ServerAnswer): boolean {
  if (answer.outcome === 'status') return LOAD_STATUSES.has(answer.status);
  return answer.outcome === 'stream-error' && LOAD_ERROR_TYPES.has(answer.error.error_type);
}

/** The server's error message, when it sent one as JSON (a body or an error event). */
export function answerMessage(answer: ServerAnswer): string | undefined {
  return answer.outcome === 'accepted' ? undefined : answer.error?.error;
}

/** "HTTP 422 "Input validation error: …" (error_type validation)", for messages. */
export function describeAnswer(view: ExchangeView, answer: ServerAnswer): string {
  switch (answer.outcome) {
    case 'accepted':
      return view.streamed ? `HTTP ${view.status} and a stream without an error event` : `HTTP ${view.status}`;
    case 'stream-error':
      return `HTTP ${view.status} and the error event ${describeError(answer.error)}`;
    case 'status': {
      if (answer.error !== undefined) return `HTTP ${answer.status} ${describeError(answer.error)}`;
      const body = view.bodyKind === 'text' ? ' with a text body' : view.bodyKind === 'empty' ? ' with an empty body' : '';
      return `HTTP ${answer.status}${body}`;
    }
  }
}

function describeError(error: ErrorBody): string {
  const text = error.error.length > 200 ? `${error.error.slice(0, 200)}…` : error.error;
  return `${JSON.stringify(text)} (error_type ${JSON.stringify(error.error_type)})`;
}

/** The case's label for messages: the engine's, else its rule or purpose. */
export function caseLabel(expectation: CaseExpectation): string {
  if (expectation.label !== undefined && expectation.label !== '') return expectation.label;
  return expectation.rule !== undefined ? `rule ${expectation.rule}` : `a ${expectation.purpose} case`;
}

/** Calls `run` with the engine's expectation; a recorded exchange (none) skips. */
export function withExpectation(view: ExchangeView, run: (expectation: CaseExpectation) => CheckResult): CheckResult {
  if (view.expectation === undefined) return { skip: 'a recorded exchange: no planned case to judge' };
  return run(view.expectation);
}

/**
 * Shared skip conditions: small wrappers that hand a check the part of the exchange its rule
 * needs, or say why the rule does not apply (schemathesis' `requires_openapi_schema`).
 */
import type { Details, GenerateResponse, StreamEvent } from '../../core/api.js';
import type { ExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';

export interface Skip {
  skip: string;
}

export type CheckResult = Finding[] | Skip;

/**
 * A check's handlers for the two kinds of exchange. They receive the view and a context the
 * check passes to {@link onExchange} (its effective parameters, say), so that a check can define
 * them once, at module level: handlers written as closures inside `run` cost an object and a
 * closure or two per check per exchange, which the profile of `bench/validation-kind.ts
 * nativeJson` showed as most of what the cheap checks cost (tokens-count spent more on them than
 * on its rule).
 */
export interface ExchangeHandlers<C = undefined> {
  /** Non-stream: the response unwrapped from its array, schema-valid. */
  response?: (response: GenerateResponse, view: ExchangeView, context: C) => CheckResult;
  /** Stream: the data events before any error event, schema-valid. */
  stream?: (events: readonly StreamEvent[], view: ExchangeView, context: C) => CheckResult;
}

/**
 * What {@link onExchange} answers a stream rule on an exchange that is not a stream: for the
 * stream-only checks to return before they build their handlers (shared: never change it).
 */
export const NOT_A_STREAM: Skip = Object.freeze({ skip: 'a stream rule; this exchange is not a stream' });

// The other constant answers, shared for the same reason (a skip is read, never changed).
const A_STREAM: Skip = Object.freeze({ skip: 'a non-stream rule; this exchange is a stream' });
const NO_EVENTS: Skip = Object.freeze({ skip: 'no schema-valid stream events' });
const NO_RESPONSE: Skip = Object.freeze({ skip: 'no schema-valid response body' });
const NO_DETAILS: Skip = Object.freeze({ skip: 'the response has no details (not requested)' });

/** Calls the handler for the exchange's kind, or skips with the reason. */
export function onExchange(view: ExchangeView, handlers: ExchangeHandlers): CheckResult;
export function onExchange<C>(view: ExchangeView, handlers: ExchangeHandlers<C>, context: C): CheckResult;
export function onExchange<C>(view: ExchangeView, handlers: ExchangeHandlers<C>, context?: C): CheckResult {
  if (view.streamed) {
    if (handlers.stream === undefined) return A_STREAM;
    if (view.events === undefined) return noBody(view, NO_EVENTS);
    return handlers.stream(view.events, view, context as C);
  }
  if (handlers.response === undefined) return NOT_A_STREAM;
  if (view.response === undefined) return noBody(view, NO_RESPONSE);
  return handlers.response(view.response, view, context as C);
}

function noBody(view: ExchangeView, otherwise: Skip): Skip {
  return view.status >= 400 ? { skip: `the server answered with an error (status ${view.status})` } : otherwise;
}

/**
 * Calls `run` with the response's details (and the response and context, so that `run` can be
 * defined once rather than as a closure per call), or skips when the response has none.
 */
export function withDetails(response: GenerateResponse, run: (details: Details, response: GenerateResponse) => CheckResult): CheckResult;
export function withDetails<C>(
  response: GenerateResponse,
  run: (details: Details, response: GenerateResponse, context: C) => CheckResult,
  context: C,
): CheckResult;
export function withDetails<C>(
  response: GenerateResponse,
  run: (details: Details, response: GenerateResponse, context: C) => CheckResult,
  context?: C,
): CheckResult {
  if (response.details === undefined || response.details === null) return NO_DETAILS;
  return run(response.details, response, context as C);
}

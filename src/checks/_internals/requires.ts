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

export interface ExchangeHandlers {
  /** Non-stream: the response unwrapped from its array, schema-valid. */
  response?: (response: GenerateResponse) => CheckResult;
  /** Stream: the data events before any error event, schema-valid. */
  stream?: (events: readonly StreamEvent[]) => CheckResult;
}

/**
 * What {@link onExchange} answers a stream rule on an exchange that is not a stream: for the
 * stream-only checks to return before they build their handlers (shared: never change it).
 */
export const NOT_A_STREAM: Skip = Object.freeze({ skip: 'a stream rule; this exchange is not a stream' });

/** Calls the handler for the exchange's kind, or skips with the reason. */
export function onExchange(view: ExchangeView, handlers: ExchangeHandlers): CheckResult {
  if (view.streamed) {
    if (handlers.stream === undefined) return { skip: 'a non-stream rule; this exchange is a stream' };
    if (view.events === undefined) return { skip: noBody(view, 'no schema-valid stream events') };
    return handlers.stream(view.events);
  }
  if (handlers.response === undefined) return { skip: NOT_A_STREAM.skip };
  if (view.response === undefined) return { skip: noBody(view, 'no schema-valid response body') };
  return handlers.response(view.response);
}

function noBody(view: ExchangeView, otherwise: string): string {
  return view.status >= 400 ? `the server answered with an error (status ${view.status})` : otherwise;
}

/** Calls `run` with the response's details, or skips when the response has none. */
export function withDetails(response: GenerateResponse, run: (details: Details) => CheckResult): CheckResult {
  if (response.details === undefined || response.details === null) {
    return { skip: 'the response has no details (not requested)' };
  }
  return run(response.details);
}

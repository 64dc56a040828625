/**
 * Test-only builders for the checks that judge planned cases (the engine's `expectation`):
 * rejections as a status or as a stream's error event, and summaries for exchange-level and
 * scenario findings. Pure, like builders.ts.
 */
import type { ErrorBody } from '../../core/api.js';
import type { CaseExpectation, ExchangeView } from '../../core/exchange.js';
import type { CheckDefinition, ScenarioCheck, ScenarioGroup } from '../check.js';
import { nonStream, outcome, stream, type ResponseOptions, type Want } from './builders.js';

export const VALIDATION = (message: string): ErrorBody => ({ error: `Input validation error: ${message}`, error_type: 'validation' });

/** The view of a planned case. */
export function planned(view: ExchangeView, expectation: CaseExpectation, extra: Partial<ExchangeView> = {}): ExchangeView {
  return { ...view, ...extra, expectation };
}

export interface RejectionOptions extends ResponseOptions {
  status: number;
  /** The JSON ErrorResponse; `null`: the body was not one (see `bodyKind`). */
  error?: ErrorBody | null;
  /** @defaultValue 'json' with an error, else 'text' */
  bodyKind?: ExchangeView['bodyKind'];
  /** Sent as a stream (the status is then not 200: a pre-handler rejection, or a wrong one). */
  streamed?: boolean;
}

/** A rejection with a status (any route). */
export function rejectedWith(o: RejectionOptions): ExchangeView {
  const { error, bodyKind, streamed, ...rest } = o;
  const view = nonStream(rest);
  delete view.error;
  delete view.response;
  if (error !== undefined && error !== null) view.error = error;
  view.bodyKind = bodyKind ?? (error !== undefined && error !== null ? 'json' : 'text');
  if (streamed === true) {
    view.streamed = true;
    if (rest.route === undefined) view.route = 'POST /generate_stream';
  }
  return view;
}

/** HTTP 200, then `error` as the first event of the stream. */
export function streamErrorEvent(error: ErrorBody, o: Omit<ResponseOptions, 'status'> = {}): ExchangeView {
  return { ...stream({ ...o, tokens: [], streamError: error }), bodyKind: 'sse' };
}

/** A complete answer: a response, or a stream without an error event. */
export function accepted(o: ResponseOptions & { streamed?: boolean } = {}): ExchangeView {
  if (o.streamed === true) return { ...stream({ ...o, tokens: [] }), bodyKind: 'sse' };
  return { ...nonStream(o), bodyKind: 'json' };
}

/**
 * `outcome` for checks whose findings are about the exchange as a whole (a status, a header):
 * those have no JSON pointer, and an error event sits after the data events. Checks without
 * declared kinds (dynamic kinds such as `accepted:rule-5`) are not held to a declaration.
 */
export function caseOutcome(check: CheckDefinition, view: ExchangeView): Want {
  const result = outcome(check, view);
  if (result === 'skip') return result;
  const errorEvent = view.streamError !== undefined ? view.events?.length : undefined;
  return result.filter(
    (s) =>
      s !== 'shape: no pointer' &&
      s !== 'shape: event undefined' &&
      // `outcome` expects events within the data events; the error event comes after them.
      !(errorEvent !== undefined && (s === `shape: event ${errorEvent}` || (errorEvent === 0 && s === 'shape: event on a non-stream finding'))) &&
      !(check.kinds === undefined && s.startsWith('shape: undeclared kind')),
  );
}

/** A scenario's assessment summarised as `skip` or `severity:kind` strings, with shape problems. */
export function scenarioOutcome(check: ScenarioCheck, group: ScenarioGroup, views: readonly ExchangeView[]): Want {
  const result = check.assess(group, views);
  if ('skip' in result) return result.skip === '' ? ['shape: empty skip reason'] : 'skip';
  const out: string[] = [];
  for (const f of result) {
    out.push(`${f.severity}:${f.kind}`);
    if (f.check !== check.id) out.push(`shape: check ${f.check}`);
    if (f.message === '' || f.title === '') out.push('shape: empty message or title');
    if (f.pointer !== undefined && !f.pointer.startsWith('/')) out.push(`shape: pointer ${f.pointer}`);
  }
  return out;
}

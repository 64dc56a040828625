/**
 * Turns a recorded exchange into the view that checks inspect: parses and validates the request,
 * decodes the SSE stream, validates every body against the contract. The findings made on the
 * way are kept in `decodeFindings`, each under the id of the check that owns the rule.
 */
import type { ErrorBody, GenerateRequest, GenerateResponse, StreamEvent } from '../core/api.js';
import type { ExchangeView, RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { hasLongDigitRun, isJsonObject, isNotedBigIntFree, parseJson, parseJsonWithoutLongRuns, type ExactJson } from '../core/json.js';
import type { BodyShape, Contract } from '../contract/contract.js';
import { decodeSse, type SseDecoderLimits } from '../sse/index.js';

export interface DecodeOptions {
  /**
   * How a non-stream body must be shaped; by default `object` on /generate, `either` on `/`
   * (the API declarations say `array` for TGI's own `/`: src/apis/tgi.ts).
   */
  bodyShape?: BodyShape;
  sse?: SseDecoderLimits;
}

/**
 * Statuses where a non-JSON body is correct: axum's text/plain rejections (400, 413, 415, 422)
 * and TGI's empty 401, or a gateway's 403 (verdict-policy items 6, 19).
 */
const PLAIN_TEXT_REJECTIONS = new Set([400, 401, 403, 413, 415, 422]);

export function decodeExchange(raw: RecordedExchange, contract: Contract, options: DecodeOptions = {}): ExchangeView {
  const decodeFindings: Finding[] = [];
  const body = raw.request;
  const streamed =
    raw.route === 'POST /generate_stream' || (raw.route === 'POST /' && isJsonObject(body) && body['stream'] === true);
  const bodyShape: BodyShape =
    options.bodyShape ?? (raw.route !== 'POST /' ? 'object' : 'either');

  // Parsed from a line without bigints (exchange-lines.ts): the validators need not look for any.
  const bigIntFree = isNotedBigIntFree(raw);

  let request: GenerateRequest | undefined;
  let requestInvalidReasons: Finding[] = [];
  if (body !== undefined) {
    const r = contract.request(body, raw.route, bigIntFree);
    request = r.value;
    // Unknown request keys are the client's business; record them only as warnings.
    for (const f of r.findings) if (f.severity === 'warning') decodeFindings.push(f);
    if (!r.value) requestInvalidReasons = contract.requestSchemaReasons(body, raw.route);
  }

  const view: ExchangeView = {
    route: raw.route,
    bodyShape,
    requestBody: body,
    streamed,
    status: raw.status,
    bodyKind: bodyKindOf(raw),
    decodeFindings,
    requestInvalidReasons,
  };
  // Assigned one by one rather than spread from temporary objects (this runs for every exchange).
  if (request) view.request = request;
  if (raw.headers) view.headers = raw.headers;
  if (raw.transportFailure) view.transportFailure = raw.transportFailure;
  if (raw.redirect) view.redirect = raw.redirect;
  if (raw.timings) view.timings = raw.timings;
  if (raw.api === 'tgi' || raw.api === 'hf') view.api = raw.api;
  if (raw.expectation) view.expectation = raw.expectation;
  if (raw.requestHeaders) view.requestHeaders = raw.requestHeaders;
  if (raw.transportFailure) return view; // a cut body would only give echoes of the failure

  if (raw.stream !== undefined) {
    decodeStream(raw.stream, contract, options, view, decodeFindings);
  } else if (raw.response !== undefined) {
    decodeJsonBody(raw.response, contract, bodyShape, view, decodeFindings, bigIntFree);
  } else if (raw.responseText !== undefined && raw.status >= 400 && !PLAIN_TEXT_REJECTIONS.has(raw.status)) {
    const gateway = raw.status === 502 || raw.status === 503 || raw.status === 504;
    decodeFindings.push({
      check: 'error-body-schema',
      severity: gateway ? 'warning' : 'violation',
      kind: gateway ? 'not-json:gateway' : 'not-json',
      title: 'error body is not JSON',
      message: `status ${raw.status} came with a non-JSON body (${excerpt(raw.responseText)}); errors raised by the handler carry {"error","error_type"} (tgi-behavior §2c)${gateway ? '; a gateway page is likely' : ''}`,
    });
  }
  return view;
}

function decodeJsonBody(
  value: ExactJson,
  contract: Contract,
  shape: BodyShape,
  view: ExchangeView,
  out: Finding[],
  bigIntFree: boolean,
): void {
  if (view.status >= 200 && view.status < 300) {
    const r = contract.response(value, shape, bigIntFree);
    for (const f of r.findings) out.push(f);
    if (r.value) view.response = r.value as GenerateResponse;
    return;
  }
  if (view.status === 503 && isJsonObject(value) && 'estimated_time' in value) {
    out.push(...contract.modelLoading(value).findings);
    return;
  }
  const r = contract.errorBody(value, bigIntFree);
  for (const f of r.findings) out.push(f);
  if (r.value) view.error = r.value;
}

function decodeStream(
  text: string,
  contract: Contract,
  options: DecodeOptions,
  view: ExchangeView,
  out: Finding[],
): void {
  const decoded = decodeSse(text, options.sse ?? {});
  // An event's data is its `data:` lines' values, verbatim parts of `text`, joined by LF: a run
  // of digits in the data is one in `text`. So one scan of the stream tells whether any event may
  // hold an integer beyond 2^53; without one, each event is parsed without its own scan.
  const exact = hasLongDigitRun(text);
  for (const f of decoded.findings) out.push(f);
  const events: StreamEvent[] = [];
  let streamError: ErrorBody | undefined;
  let allValid = true;
  const sseEvents = decoded.events;
  for (let i = 0; i < sseEvents.length; i++) {
    const data = (sseEvents[i] as { data: string }).data;
    if (data === '[DONE]') continue; // the decoder judges its position
    if (streamError) {
      out.push({
        check: 'stream-event-schema',
        severity: 'violation',
        kind: 'event-after-error',
        title: 'event after the error event',
        message: `event ${i} follows an error event; the stream ends after an error (TGI server.rs S:488-505)`,
        event: i,
      });
      allValid = false;
      continue;
    }
    const parsed = exact ? parseJson(data) : parseJsonWithoutLongRuns(data);
    if (!parsed.ok) {
      out.push({
        check: 'stream-event-schema',
        severity: 'violation',
        kind: 'data-not-json',
        title: 'event data is not JSON',
        message: `event ${i}: data is not JSON (${parsed.error}): ${excerpt(data)}`,
        event: i,
      });
      allValid = false;
      continue;
    }
    const r = contract.streamEvent(parsed.value, i, !parsed.hasBigInt);
    for (const f of r.findings) out.push(f);
    if (r.error) streamError = r.error;
    else if (r.value) events.push(r.value);
    else allValid = false;
  }
  if (allValid) view.events = events;
  if (streamError) view.streamError = streamError;
}

function bodyKindOf(raw: RecordedExchange): NonNullable<ExchangeView['bodyKind']> {
  if (raw.stream !== undefined) return 'sse';
  if (raw.response !== undefined) return 'json';
  if (raw.responseText !== undefined && raw.responseText.length > 0) return 'text';
  return 'empty';
}


export function excerpt(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine);
}

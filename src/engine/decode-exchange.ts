/**
 * Turns a recorded exchange into the view that checks inspect: parses and validates the request,
 * decodes the SSE stream, validates every body against the contract. The findings made on the
 * way are kept in `decodeFindings`, each under the id of the check that owns the rule.
 */
import type { ErrorBody, GenerateRequest, GenerateResponse, StreamEvent } from '../core/api.js';
import type { ExchangeView, RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { isJsonObject, parseJson, type ExactJson } from '../core/json.js';
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

  let request: GenerateRequest | undefined;
  let requestInvalidReasons: Finding[] = [];
  if (body !== undefined) {
    const r = contract.request(body, raw.route);
    request = r.value;
    // Unknown request keys are the client's business; record them only as warnings.
    decodeFindings.push(...r.findings.filter((f) => f.severity === 'warning'));
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
    ...(request ? { request } : {}),
    ...(raw.headers ? { headers: raw.headers } : {}),
    ...(raw.transportFailure ? { transportFailure: raw.transportFailure } : {}),
    ...(raw.redirect ? { redirect: raw.redirect } : {}),
    ...(raw.timings ? { timings: raw.timings } : {}),
    ...(raw.api === 'tgi' || raw.api === 'hf' ? { api: raw.api } : {}),
    ...(raw.expectation ? { expectation: raw.expectation } : {}),
    ...(raw.requestHeaders ? { requestHeaders: raw.requestHeaders } : {}),
  };
  if (raw.transportFailure) return view; // a cut body would only give echoes of the failure

  if (raw.stream !== undefined) {
    decodeStream(raw.stream, contract, options, view, decodeFindings);
  } else if (raw.response !== undefined) {
    decodeJsonBody(raw.response, contract, bodyShape, view, decodeFindings);
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
): void {
  if (view.status >= 200 && view.status < 300) {
    const r = contract.response(value, shape);
    out.push(...r.findings);
    if (r.value) view.response = r.value as GenerateResponse;
    return;
  }
  if (view.status === 503 && isJsonObject(value) && 'estimated_time' in value) {
    out.push(...contract.modelLoading(value).findings);
    return;
  }
  const r = contract.errorBody(value);
  out.push(...r.findings);
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
  out.push(...decoded.findings);
  const events: StreamEvent[] = [];
  let streamError: ErrorBody | undefined;
  let allValid = true;
  decoded.events.forEach((e, i) => {
    if (e.data === '[DONE]') return; // the decoder judges its position
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
      return;
    }
    const parsed = parseJson(e.data);
    if (!parsed.ok) {
      out.push({
        check: 'stream-event-schema',
        severity: 'violation',
        kind: 'data-not-json',
        title: 'event data is not JSON',
        message: `event ${i}: data is not JSON (${parsed.error}): ${excerpt(e.data)}`,
        event: i,
      });
      allValid = false;
      return;
    }
    const r = contract.streamEvent(parsed.value, i);
    out.push(...r.findings);
    if (r.error) streamError = r.error;
    else if (r.value) events.push(r.value);
    else allValid = false;
  });
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

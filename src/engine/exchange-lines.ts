/**
 * The `validate exchanges` / `--record` format: one exchange a line,
 * `{"request": <body>, "status": <int>, "response": <body>}` or with `"stream": "<raw SSE>"`
 * or `"response_text": "<a body that is not JSON>"` instead of `response`; optional `"route"`
 * (a native route, or `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`);
 * optional `"headers"` (response headers, lower-case) or `"content_type"`; other keys ignored
 * (DESIGN.md). `tgc run --record` adds a `"tgc"` object (the API tested, the
 * case's expectation, the request headers sent without Authorization, timings, a transport
 * failure or redirect) so that `validate exchanges` judges a recording as the run judged it.
 */
import { API_NAMES } from '../apis/index.js';
import { ROUTES, type ApiName, type RecordedExchange, type RouteName } from '../core/exchange.js';
import { isJsonObject, noteBigIntFree, parseJson, stringifyJson, type ExactJson } from '../core/json.js';

export type ParseLineResult = { ok: true; exchange: RecordedExchange } | { ok: false; error: string };

export function parseExchangeLine(line: string): ParseLineResult {
  const parsed = parseJson(line);
  if (!parsed.ok) return { ok: false, error: `not JSON: ${parsed.error}` };
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: 'not a JSON object' };
  const status = v['status'];
  // Status 0: the server accepted the connection and never answered (recorded with its failure).
  const unanswered = status === 0 && isJsonObject(v['tgc']) && isJsonObject(v['tgc']['transportFailure']);
  if (!unanswered && (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)) {
    return { ok: false, error: '"status" must be an HTTP status code (an integer 100-599)' };
  }
  const route = v['route'] ?? 'POST /';
  if (typeof route !== 'string' || !(ROUTES as readonly string[]).includes(route)) {
    return { ok: false, error: `"route" must be one of ${ROUTES.map((r) => JSON.stringify(r)).join(', ')}` };
  }
  if ('stream' in v && typeof v['stream'] !== 'string') {
    return { ok: false, error: '"stream" must be the raw text/event-stream body, as a string' };
  }
  if ('stream' in v && 'response' in v) return { ok: false, error: 'has both "stream" and "response"' };
  if ('response_text' in v && typeof v['response_text'] !== 'string') {
    return { ok: false, error: '"response_text" must be the body that is not JSON, as a string' };
  }
  const exchange: RecordedExchange = { route: route as RouteName, request: v['request'], status };
  const headers = v['headers'];
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
      return { ok: false, error: '"headers" must be an object of strings' };
    }
    exchange.headers = Object.fromEntries(
      Object.entries(headers).map(([k, x]) => [k.toLowerCase(), typeof x === 'string' ? x : String(x)]),
    );
  }
  const extra = v['tgc'];
  if (extra !== null && typeof extra === 'object' && !Array.isArray(extra)) readRunContext(extra, exchange);
  const contentType = v['content_type'];
  if (typeof contentType === 'string') {
    exchange.contentType = contentType;
    exchange.headers ??= { 'content-type': contentType };
  }
  if (typeof v['stream'] === 'string') exchange.stream = v['stream'];
  else if (typeof v['response_text'] === 'string') exchange.responseText = v['response_text'];
  else if ('response' in v) {
    const body = v['response'] as ExactJson;
    // A text/plain rejection is recorded as a JSON string.
    if (typeof body === 'string' && status >= 400) exchange.responseText = body;
    else if (body !== null || status < 400) exchange.response = body;
  }
  if (!parsed.hasBigInt) noteBigIntFree(exchange); // its validators need not look for bigints
  return { ok: true, exchange };
}

/** The run context `--record` writes; only well-formed parts are taken, the rest ignored. */
function readRunContext(extra: { [key: string]: ExactJson }, exchange: RecordedExchange): void {
  const api = extra['api'];
  if (typeof api === 'string' && (API_NAMES as readonly string[]).includes(api)) exchange.api = api as ApiName;
  const expectation = extra['expectation'];
  if (isJsonObject(expectation) && ['accept', 'reject', 'either'].includes(String(expectation['outcome']))) {
    exchange.expectation = expectation as unknown as NonNullable<RecordedExchange['expectation']>;
  }
  const requestHeaders = extra['requestHeaders'];
  if (isJsonObject(requestHeaders)) {
    exchange.requestHeaders = Object.fromEntries(Object.entries(requestHeaders).map(([k, x]) => [k, String(x)]));
  }
  const timings = extra['timings'];
  if (isJsonObject(timings)) exchange.timings = timings as unknown as NonNullable<RecordedExchange['timings']>;
  const failure = extra['transportFailure'];
  if (isJsonObject(failure) && typeof failure['kind'] === 'string' && typeof failure['message'] === 'string') {
    exchange.transportFailure = { kind: failure['kind'], message: failure['message'] };
  }
  const redirect = extra['redirect'];
  if (isJsonObject(redirect) && typeof redirect['status'] === 'number' && typeof redirect['location'] === 'string') {
    exchange.redirect = { status: redirect['status'], location: redirect['location'] };
  }
}


/** Writes one exchange as a line of the format (no trailing newline). */
export function formatExchangeLine(exchange: RecordedExchange): string {
  const line: Record<string, unknown> = { route: exchange.route, request: exchange.request, status: exchange.status };
  if (exchange.headers) line['headers'] = exchange.headers;
  const context: Record<string, unknown> = {};
  if (exchange.api) context['api'] = exchange.api;
  if (exchange.expectation) context['expectation'] = exchange.expectation;
  if (exchange.requestHeaders) context['requestHeaders'] = exchange.requestHeaders;
  if (exchange.timings) context['timings'] = exchange.timings;
  if (exchange.transportFailure) context['transportFailure'] = exchange.transportFailure;
  if (exchange.redirect) context['redirect'] = exchange.redirect;
  if (Object.keys(context).length > 0) line['tgc'] = context;
  if (exchange.stream !== undefined) line['stream'] = exchange.stream;
  else if (exchange.response !== undefined) line['response'] = exchange.response;
  else if (exchange.responseText !== undefined) line['response'] = exchange.responseText;
  return stringifyJson(line);
}

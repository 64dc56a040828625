/**
 * Turns a recorded exchange on an OpenAI-compatible route into the view its checks read: the
 * request validated, a JSON body validated as the route's response or classified as an error
 * body, a stream decoded (SSE framing by src/sse, each event a chunk, an error event, or the
 * `[DONE]` terminator). Findings made on the way are filed under the check that owns each rule.
 * The route decides what a body must be, never the body's own `object` (deviant servers mislabel it).
 */
import type { OpenAIExchangeView, OpenAIRouteName, RecordedExchange } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { hasLongDigitRun, isJsonObject, isNotedBigIntFree, parseJson, parseJsonWithoutLongRuns } from '../../core/json.js';
import type { ChatCompletionChunk, CompletionChunk, OpenAIRouteKind } from '../../core/openai.js';
import { OPENAI_CHECK, type OpenAIContract } from '../../contract/openai/types.js';
import { decodeSse, type SseDecoderLimits } from '../../sse/index.js';

export const OPENAI_ROUTE_KIND: Readonly<Record<OpenAIRouteName, OpenAIRouteKind>> = {
  'POST /v1/chat/completions': 'chat',
  'POST /v1/completions': 'completions',
  'GET /v1/models': 'models',
};

export function decodeOpenAIExchange(
  raw: RecordedExchange,
  contract: OpenAIContract,
  options: { sse?: SseDecoderLimits } = {},
): OpenAIExchangeView {
  const kind = OPENAI_ROUTE_KIND[raw.route as OpenAIRouteName] ?? 'chat';
  const decodeFindings: Finding[] = [];
  const body = raw.request;
  const streamed = raw.stream !== undefined || (isJsonObject(body) && body['stream'] === true);
  const view: OpenAIExchangeView = {
    api: 'openai',
    kind,
    route: raw.route,
    requestBody: body,
    streamed,
    status: raw.status,
    bodyKind: bodyKindOf(raw),
    decodeFindings,
    requestInvalidReasons: [],
  };
  // By assignment, in the order the spreads had: no object made for an absent part.
  if (raw.headers) view.headers = raw.headers;
  if (raw.transportFailure) view.transportFailure = raw.transportFailure;
  if (raw.redirect) view.redirect = raw.redirect;
  if (raw.timings) view.timings = raw.timings;
  if (raw.expectation) view.expectation = raw.expectation;
  if (raw.requestHeaders) view.requestHeaders = raw.requestHeaders;

  // parseExchangeLine noted that the line held no bigint: its validators need not look.
  const bigIntFree = isNotedBigIntFree(raw);
  if (kind !== 'models' && body !== undefined) {
    // The client's departures are its own business: only warnings are kept (as on the native API),
    // and only on recordings: a planned case's departures are tgc's own, on purpose.
    const r = contract.request(body, kind, { bigIntFree, warningsOnly: true });
    if (r.value) view.request = r.value;
    if (!raw.expectation) {
      for (const f of r.findings) if (f.severity === 'warning') decodeFindings.push(f);
    }
    view.requestInvalidReasons = contract.requestRejectReasons(body, kind);
  }
  if (raw.transportFailure) return view;

  const ok = raw.status >= 200 && raw.status < 300;
  if (ok && raw.stream !== undefined && kind !== 'models') {
    decodeStream(raw.stream, kind, contract, options, view, decodeFindings);
  } else if (ok && raw.response !== undefined) {
    const r = contract.response(raw.response, kind, bigIntFree);
    decodeFindings.push(...r.findings);
    if (r.value) view.response = r.value;
  } else if (ok && raw.responseText !== undefined) {
    decodeFindings.push({
      check: OPENAI_CHECK.responseSchema,
      severity: 'violation',
      kind: 'not-json',
      title: 'response body is not JSON',
      message: `status ${raw.status} came with a body that is not JSON (${excerpt(raw.responseText)}); clients JSON.parse it`,
    });
  } else if (raw.status >= 400) {
    const r = contract.errorBody(raw.response, raw.response === undefined ? (raw.responseText ?? '') : undefined);
    decodeFindings.push(...r.findings);
    view.error = r.info;
  }
  return view;
}

function decodeStream(
  text: string,
  kind: Exclude<OpenAIRouteKind, 'models'>,
  contract: OpenAIContract,
  options: { sse?: SseDecoderLimits },
  view: OpenAIExchangeView,
  out: Finding[],
): void {
  const decoded = decodeSse(text, options.sse ?? {});
  for (const f of decoded.findings) out.push(f);
  // As the native decoder does: an event's data is verbatim parts of `text` joined by LF, so one
  // scan of the stream for a run of digits long enough to be an unsafe integer stands for every
  // event's; without one, each event is parsed without its own scan (parseJson's first step).
  const exact = hasLongDigitRun(text);
  const chunks: (ChatCompletionChunk | CompletionChunk)[] = [];
  const chunkEvents: number[] = [];
  const eventData: string[] = [];
  const notJsonEvents: number[] = [];
  let allValid = true;
  const events = decoded.events;
  for (let i = 0; i < events.length; i++) {
    const data = (events[i] as { data: string }).data;
    eventData.push(data);
    if (data === '[DONE]') {
      view.doneEvent ??= i;
      continue;
    }
    const parsed = exact ? parseJson(data) : parseJsonWithoutLongRuns(data);
    if (!parsed.ok) {
      // openai-stream-done reports it, from notJsonEvents.
      notJsonEvents.push(i);
      allValid = false;
      continue;
    }
    if (contract.isErrorEvent(parsed.value)) {
      const r = contract.errorBody(parsed.value);
      for (const f of r.findings) out.push({ ...f, event: i });
      if (!view.streamError) {
        const error = isJsonObject(parsed.value) ? parsed.value['error'] : undefined;
        const status = isJsonObject(error) ? (error['http_status_code'] ?? error['code']) : undefined;
        view.streamError = { event: i, info: r.info, ...(typeof status === 'number' ? { status } : {}) };
      }
      continue;
    }
    const r = contract.chunk(parsed.value, kind, i, !parsed.hasBigInt);
    for (const f of r.findings) out.push(f);
    if (r.value) {
      chunks.push(r.value);
      chunkEvents.push(i);
    } else allValid = false;
  }
  view.eventData = eventData;
  view.notJsonEvents = notJsonEvents;
  if (allValid) {
    view.chunks = chunks;
    view.chunkEvents = chunkEvents;
  }
}

function bodyKindOf(raw: RecordedExchange): NonNullable<OpenAIExchangeView['bodyKind']> {
  if (raw.stream !== undefined) return 'sse';
  if (raw.response !== undefined) return 'json';
  if (raw.responseText !== undefined && raw.responseText.length > 0) return 'text';
  return 'empty';
}

function excerpt(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine);
}

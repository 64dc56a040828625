/**
 * Test-only reader of the shared OpenAI-compatible recordings (../shared/fixtures/
 * openai-exchanges.jsonl) into views, with a minimal decoder: SSE split on blank lines (`data:`
 * with or without a space), JSON parsed exactly, error events told apart by their `error` key.
 * No schema validation: every chunk and body is handed over as parsed, which is harsher on the
 * checks than the real decoder (it must not make them throw or flag allowed quirks). Pure: the
 * test reads the file and hands the text here.
 */
import type { OpenAIExchangeView, OpenAIRouteName } from '../../../core/exchange.js';
import { parseJson, type ExactJson } from '../../../core/json.js';
import type { OpenAIErrorInfo, OpenAIRouteKind } from '../../../core/openai.js';

export interface Recording {
  name: string;
  provider: string;
  knownDeviation?: string;
  view: OpenAIExchangeView;
}

type JsonObject = { [key: string]: ExactJson };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KINDS: Record<OpenAIRouteName, OpenAIRouteKind> = {
  'POST /v1/chat/completions': 'chat',
  'POST /v1/completions': 'completions',
  'GET /v1/models': 'models',
};

/** The error body's shape, roughly as the contract classifies it. */
export function classifyError(body: ExactJson | undefined, text?: string): OpenAIErrorInfo {
  if (body === undefined) return text === undefined ? { shape: 'other' } : { shape: 'text', message: text };
  if (!isObject(body)) return { shape: 'other' };
  const error = body['error'];
  if (isObject(error) && typeof error['message'] === 'string') {
    const status = error['http_status_code'];
    return { shape: 'openai', message: error['message'], type: typeof error['type'] === 'string' ? error['type'] : null, code: status ?? error['code'] };
  }
  if (typeof error === 'string') return typeof body['error_type'] === 'string' ? { shape: 'tgi', message: error, type: body['error_type'] } : { shape: 'bare-string', message: error };
  if (body['object'] === 'error' && typeof body['message'] === 'string') return { shape: 'flat', message: body['message'] };
  return { shape: 'other' };
}

/** Splits a raw text/event-stream body into its data events' text. */
export function sseData(raw: string): string[] {
  const out: string[] = [];
  for (const block of raw.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
    const lines = block.split('\n').filter((line) => line.startsWith('data:'));
    if (lines.length === 0) continue;
    out.push(lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n'));
  }
  return out;
}

export function recordingView(record: JsonObject): OpenAIExchangeView {
  const route = record['route'] as OpenAIRouteName;
  const kind = KINDS[route];
  const status = typeof record['status'] === 'number' ? record['status'] : 0;
  const request = record['request'];
  const streamed = typeof record['stream'] === 'string' || (isObject(request) && request['stream'] === true);
  const view: OpenAIExchangeView = { api: 'openai', kind, route, requestBody: request, streamed, status, requestInvalidReasons: [] };
  if (isObject(request)) view.request = request as never;
  const stream = record['stream'];
  if (typeof stream === 'string') {
    view.bodyKind = 'sse';
    const data = sseData(stream);
    view.eventData = data;
    const chunks: ExactJson[] = [];
    const events: number[] = [];
    let decoded = true;
    data.forEach((text, i) => {
      if (text === '[DONE]') {
        view.doneEvent ??= i;
        return;
      }
      const parsed = parseJson(text);
      if (!parsed.ok) {
        decoded = false;
        return;
      }
      if (isObject(parsed.value) && 'error' in parsed.value) {
        const info = classifyError(parsed.value);
        view.streamError ??= { event: i, info, ...(typeof info.code === 'number' ? { status: info.code } : {}) };
        return;
      }
      chunks.push(parsed.value);
      events.push(i);
    });
    if (decoded) {
      view.chunks = chunks as never;
      view.chunkEvents = events;
    }
  } else if ('response' in record) {
    view.bodyKind = 'json';
    const body = record['response'];
    if (status >= 400) view.error = classifyError(body);
    else view.response = body as never;
  } else if (typeof record['response_text'] === 'string') {
    view.bodyKind = 'text';
    if (status >= 400) view.error = classifyError(undefined, record['response_text']);
  }
  return view;
}

/** Reads the JSON Lines file; throws on a line that is not a recording (test data). */
export function parseRecordings(text: string): Recording[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = parseJson(line);
      if (!parsed.ok || !isObject(parsed.value)) throw new Error(`line ${i + 1}: not a JSON object`);
      const record = parsed.value;
      const out: Recording = { name: `${i + 1}: ${String(record['provider'])} ${String(record['route'])} ${String(record['status'])}`, provider: String(record['provider']), view: recordingView(record) };
      if (typeof record['known_deviation'] === 'string') out.knownDeviation = record['known_deviation'];
      return out;
    });
}

/**
 * Test-only loader of the shared recorded exchanges (`../shared/fixtures/*.jsonl`). Pure: the
 * test reads the files and hands the text here, because src/checks compiles with `"types": []`.
 * The raw SSE of a recorded stream is split on blank lines, which is enough for test data; the
 * real decoder lives in src/sse.
 */
import type { ErrorBody, GenerateRequest, GenerateResponse, StreamEvent } from '../../core/api.js';
import { ROUTES, type ExchangeView, type RouteName } from '../../core/exchange.js';
import { parseJson, type ExactJson } from '../../core/json.js';

export interface FixtureExchange {
  /** `file:line id`, for test names and messages. */
  name: string;
  view: ExchangeView;
}

export interface LoadedFixtures {
  exchanges: FixtureExchange[];
  /** Lines that could not be read, as `file:line: reason`. */
  errors: string[];
}

type JsonObject = { [key: string]: ExactJson };

function isObject(value: ExactJson | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRoute(value: ExactJson | undefined): value is RouteName {
  return typeof value === 'string' && (ROUTES as readonly string[]).includes(value);
}

/** Parses a raw text/event-stream body into data events, stopping at an error event. */
export function parseSseEvents(raw: string): { events: StreamEvent[]; streamError?: ErrorBody; errors: string[] } {
  const events: StreamEvent[] = [];
  const errors: string[] = [];
  for (const block of raw.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    const parsed = parseJson(data);
    if (!parsed.ok) {
      errors.push(`event ${events.length}: ${parsed.error}`);
      continue;
    }
    if (isObject(parsed.value) && typeof parsed.value['error'] === 'string') {
      return { events, streamError: parsed.value as unknown as ErrorBody, errors };
    }
    events.push(parsed.value as unknown as StreamEvent);
  }
  return { events, errors };
}

/** Reads one JSON Lines fixture file into exchange views, as its records say. */
export function parseFixtureExchanges(text: string, file: string): LoadedFixtures {
  const exchanges: FixtureExchange[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const parsed = parseJson(line);
    if (!parsed.ok || !isObject(parsed.value)) {
      errors.push(`${where}: ${parsed.ok ? 'not an object' : parsed.error}`);
      return;
    }
    const record = parsed.value;
    const route: RouteName = isRoute(record['route']) ? record['route'] : 'POST /';
    const body = record['request'];
    const status = typeof record['status'] === 'number' ? record['status'] : 0;
    const raw = record['stream'];
    const bodyStream = isObject(body) && body['stream'] === true;
    const view: ExchangeView = {
      route,
      bodyShape: route === 'POST /' ? 'array' : 'object',
      requestBody: body,
      streamed: typeof raw === 'string' || route === 'POST /generate_stream' || (route === 'POST /' && bodyStream),
      status,
    };
    if (isObject(body) && typeof body['inputs'] === 'string') view.request = body as unknown as GenerateRequest;
    if (typeof raw === 'string') {
      const sse = parseSseEvents(raw);
      view.events = sse.events;
      if (sse.streamError !== undefined) view.streamError = sse.streamError;
      errors.push(...sse.errors.map((e) => `${where}: ${e}`));
    } else {
      const response = record['response'];
      const unwrapped = Array.isArray(response) ? (response.length === 1 ? response[0] : undefined) : response;
      if (isObject(unwrapped)) view.response = unwrapped as unknown as GenerateResponse;
      else errors.push(`${where}: the response is not an object or a one-element array`);
    }
    const id = typeof record['id'] === 'string' ? record['id'] : '?';
    exchanges.push({ name: `${where} ${id}`, view });
  });
  return { exchanges, errors };
}

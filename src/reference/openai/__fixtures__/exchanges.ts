/**
 * Test helpers of the OpenAI-compatible routes: send a request (in-process through msw's
 * getResponse, or over a real port), record it in the `tgc validate exchanges` format, and judge
 * it with the real checks of `--api openai` (the decoder and the check list of src/apis/openai.ts).
 */
import { getResponse } from 'msw';
import type { HttpHandler } from 'msw';
import { apiByName } from '../../../apis/index.js';
import type { BaseExchangeView, OpenAIRouteName, RecordedExchange } from '../../../core/exchange.js';
import type { Finding } from '../../../core/finding.js';
import { parseJson, stringifyJson } from '../../../core/json.js';
import type { ExactJson } from '../../../core/json.js';
import { applyChecks } from '../../../engine/inspect-exchange.js';

export const PATHS: Record<OpenAIRouteName, string> = {
  'POST /v1/chat/completions': '/v1/chat/completions',
  'POST /v1/completions': '/v1/completions',
  'GET /v1/models': '/v1/models',
};

/** One request of a matrix: the route, the body, and a label. */
export interface Case {
  label: string;
  route: OpenAIRouteName;
  body?: unknown;
  /** A raw body text (not JSON, wrong content type…). */
  text?: string;
  headers?: Record<string, string>;
}

/** One exchange line of `tgc validate exchanges`, from a fetch Response. */
export async function recordResponse(c: Case, response: Response): Promise<RecordedExchange> {
  const text = await response.text();
  const headers = Object.fromEntries(response.headers);
  const raw: RecordedExchange = { route: c.route, request: requestJson(c), status: response.status, headers };
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) raw.stream = text;
  else {
    const parsed = text === '' ? undefined : parseJson(text);
    if (parsed?.ok) raw.response = parsed.value;
    else raw.responseText = text;
  }
  return raw;
}

function requestJson(c: Case): ExactJson | undefined {
  if (c.text !== undefined) {
    const parsed = parseJson(c.text);
    return parsed.ok ? parsed.value : undefined;
  }
  return c.body as ExactJson | undefined;
}

function init(c: Case): RequestInit {
  const method = c.route.startsWith('GET') ? 'GET' : 'POST';
  if (method === 'GET') return { method, headers: c.headers ?? {} };
  return { method, headers: { 'content-type': 'application/json', ...c.headers }, body: c.text ?? stringifyJson(c.body) };
}

/** Sends through the handlers in-process. */
export async function sendInProcess(handlers: HttpHandler[], base: string, c: Case): Promise<RecordedExchange> {
  const response = await getResponse(handlers, new Request(`${base}${PATHS[c.route]}`, init(c)));
  if (!response) throw new Error(`no handler for ${c.route}`);
  return recordResponse(c, response);
}

/** Sends over a real port. */
export async function sendHttp(url: string, c: Case): Promise<RecordedExchange> {
  return recordResponse(c, await fetch(`${url}${PATHS[c.route]}`, init(c)));
}

/** The findings of every check of `--api openai` on one exchange (as `tgc validate exchanges`). */
export async function judge(raw: RecordedExchange): Promise<Finding[]> {
  const api = apiByName('openai');
  if (!api) throw new Error('no openai API');
  const decode = await api.decoder();
  const view: BaseExchangeView = decode(raw, {});
  return applyChecks(view, api.checks).findings;
}

/** The data of each SSE event (`[DONE]` as the string). */
export function sseEvents(stream: string): (ExactJson | '[DONE]')[] {
  return stream
    .split('\n\n')
    .filter((frame) => frame.startsWith('data:'))
    .map((frame) => {
      const data = frame.slice('data:'.length).trim();
      if (data === '[DONE]') return '[DONE]';
      const parsed = parseJson(data);
      if (!parsed.ok) throw new Error(`bad event ${frame}`);
      return parsed.value;
    });
}

type AnyJson = any;

/** A stream's choices assembled as a non-stream answer reads them: content, tool call, finish. */
export function assemble(stream: string): { choices: Map<number, { content: string; args: string; name?: string; finish: unknown }>; usage: AnyJson } {
  const choices = new Map<number, { content: string; args: string; name?: string; finish: unknown }>();
  let usage: AnyJson = null;
  for (const e of sseEvents(stream)) {
    if (e === '[DONE]') continue;
    const chunk = e as AnyJson;
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices as AnyJson[]) {
      const entry = choices.get(c.index) ?? { content: '', args: '', finish: null };
      choices.set(c.index, entry);
      if (typeof c.text === 'string') entry.content += c.text;
      if (typeof c.delta?.content === 'string') entry.content += c.delta.content;
      for (const t of c.delta?.tool_calls ?? []) {
        if (t.function?.name) entry.name = t.function.name;
        entry.args += t.function?.arguments ?? '';
      }
      if (c.finish_reason !== null && c.finish_reason !== undefined) entry.finish = c.finish_reason;
    }
  }
  return { choices, usage };
}

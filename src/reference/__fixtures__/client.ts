/** Test helpers: talk to the reference handlers directly through msw's getResponse. */
import { getResponse } from 'msw';
import { parseJson } from '../../core/json.js';
import type { ExactJson } from '../../core/json.js';
import { createHandlers } from '../handlers.js';
import type { ReferenceServerOptions } from '../options.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed exactly (u64 seeds as bigint). */
  json: any;
  /** For SSE bodies: each event's data, parsed. */
  events: any[];
}

export function sseData(text: string): ExactJson[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data:'))
    .map((frame) => {
      const parsed = parseJson(frame.slice('data:'.length));
      if (!parsed.ok) throw new Error(`bad event ${frame}`);
      return parsed.value;
    });
}

export async function toReply(response: Response): Promise<Reply> {
  const text = await response.text();
  const isSse = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const parsed = !isSse && text ? parseJson(text) : undefined;
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: parsed?.ok ? parsed.value : undefined,
    events: isSse ? sseData(text) : [],
  };
}

export const BASE = 'http://tgi.test';

/** A fresh set of handlers (own state) and helpers to call them. */
export function reference(options: ReferenceServerOptions = {}) {
  const handlers = createHandlers({ baseUrl: BASE, ...options });
  const send = async (request: Request): Promise<Reply> => {
    const response = await getResponse(handlers, request);
    if (!response) throw new Error(`no handler for ${request.method} ${request.url}`);
    return toReply(response);
  };
  return {
    handlers,
    send,
    post: (path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
      send(
        new Request(`${BASE}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
          signal,
        }),
      ),
    get: (path: string, headers: Record<string, string> = {}) => send(new Request(`${BASE}${path}`, { headers })),
  };
}

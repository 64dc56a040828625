/**
 * Test helpers for the faults' wire tests: a reference server on a real port (127.0.0.1, port 0)
 * with a fault and the options it needs, and plain `fetch` calls that keep the raw body and when
 * each chunk of it arrived.
 */
import { parseJson, type ExactJson } from '../../../core/json.js';
import { startReferenceServer, type ReferenceServer } from '../../server.js';
import type { ReferenceServerOptions } from '../../options.js';
import { findFault } from '../index.js';

export interface WireReply {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** The body parsed exactly (u64 seeds as bigint), when it is JSON. */
  json: any;
  /** `data:` frames of an SSE body, parsed. */
  events: any[];
  /** When the response headers arrived, in ms since the request started. */
  headersMs: number;
  /** Each body chunk and when it arrived. */
  chunks: { at: number; text: string }[];
  /** Set when reading the body failed (a reset connection). */
  error?: string;
  /** Set when the body stayed silent for `idleMs` and the read was abandoned. */
  stalled?: boolean;
}

/** Starts the reference server with the named fault (and its mockOptions); `null`: faithful. */
export function serve(faultName: string | null, options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  if (faultName === null) return startReferenceServer({ port: 0, host: '127.0.0.1', ...options });
  const fault = findFault(faultName);
  if (!fault) throw new Error(`unknown fault ${faultName}`);
  return startReferenceServer({ port: 0, host: '127.0.0.1', ...fault.mockOptions, ...options, fault });
}

export function sseEvents(text: string): ExactJson[] {
  return text
    .split('\n\n')
    .map((frame) => /^data:(.*)$/ms.exec(frame)?.[1])
    .filter((data): data is string => data !== undefined)
    .map((data) => {
      const parsed = parseJson(data);
      return parsed.ok ? parsed.value : data;
    });
}

/** POSTs a JSON body (a string is sent as is) and reads the whole reply, chunk by chunk. */
export async function post(
  server: ReferenceServer,
  path: string,
  body: unknown,
  o: { headers?: Record<string, string>; idleMs?: number } = {},
): Promise<WireReply> {
  const abort = new AbortController();
  const t0 = performance.now();
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...o.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: abort.signal,
  });
  const headersMs = performance.now() - t0;
  const chunks: { at: number; text: string }[] = [];
  const decoder = new TextDecoder();
  const reply: WireReply = { status: response.status, headers: response.headers, text: '', json: undefined, events: [], headersMs, chunks };
  const reader = response.body?.getReader();
  while (reader) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), o.idleMs ?? 10_000);
    });
    try {
      const next = await Promise.race([reader.read(), idle]);
      if (next === 'idle') {
        reply.stalled = true;
        abort.abort();
        break;
      }
      if (next.done) break;
      chunks.push({ at: performance.now() - t0, text: decoder.decode(next.value, { stream: true }) });
    } catch (e) {
      reply.error = e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e);
      break;
    } finally {
      clearTimeout(timer);
    }
  }
  reply.text = chunks.map((c) => c.text).join('');
  if (reply.text.startsWith('data:') || reply.text.startsWith('Data:')) reply.events = sseEvents(reply.text);
  else if (reply.text !== '') {
    const parsed = parseJson(reply.text);
    if (parsed.ok) reply.json = parsed.value;
  }
  return reply;
}

/** Runs `fn` with a server, closing it afterwards. */
export async function withServer<T>(server: Promise<ReferenceServer>, fn: (s: ReferenceServer) => Promise<T>): Promise<T> {
  const s = await server;
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/**
 * The reference server over a real port: msw's `getResponse` around `node:http`, streaming each
 * chunk to the socket as the handlers produce it, and cancelling generation when the client goes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { createHandlers } from './handlers.js';
import { REFERENCE_BASE_URL, ReferenceServerError, resolveReferenceOptions } from './options.js';
import type { ReferenceServerOptions } from './options.js';

export interface StartReferenceServerOptions extends ReferenceServerOptions {
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
}

export interface ReferenceServer {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  port: number;
  /** Stops listening and ends open connections (streams included). */
  close(): Promise<void>;
}

/** Bodies beyond the payload limit are drained, not kept: one byte over is enough for the 413. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size > limit) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  const body = Buffer.concat(chunks);
  return size > limit ? body.subarray(0, limit + 1) : body;
}

function toRequest(req: IncomingMessage, body: Buffer, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    for (const v of value ?? []) headers.append(name, v);
  }
  headers.delete('content-length'); // the body was read (and maybe cut): undici sets it again
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`${REFERENCE_BASE_URL}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? body : null,
    signal,
  });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  if (!streaming || response.body === null) {
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  res.on('close', () => {
    if (!res.writableFinished) void reader.cancel().catch(() => undefined);
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  res.end();
}

/**
 * Starts the reference server on a real port.
 *
 * @example
 * ```ts
 * const server = await startReferenceServer({ port: 0, latencyMs: 20 });
 * const res = await fetch(`${server.url}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 5 } }) });
 * await server.close();
 * ```
 * @throws ReferenceServerError with code `INVALID_OPTIONS`, `EADDRINUSE`, `EACCES` or `LISTEN_FAILED`.
 */
export async function startReferenceServer(options: StartReferenceServerOptions = {}): Promise<ReferenceServer> {
  const { port = 0, host = '127.0.0.1', ...serverOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReferenceServerError('INVALID_OPTIONS', `port must be an integer in 0..65535, got ${String(port)}`);
  }
  const resolved = resolveReferenceOptions({ ...serverOptions, baseUrl: REFERENCE_BASE_URL });
  const handlers = createHandlers({ ...serverOptions, baseUrl: REFERENCE_BASE_URL });
  const server = createServer((req, res) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client disconnected'));
    });
    void (async () => {
      try {
        const body = await readBody(req, resolved.payloadLimit);
        const response = (await getResponse(handlers, toRequest(req, body, abort.signal))) ?? new Response(null, { status: 404 });
        await writeResponse(response, res);
      } catch (e) {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`reference server error: ${e instanceof Error ? e.message : String(e)}`);
        } else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const code = e.code === 'EADDRINUSE' || e.code === 'EACCES' ? e.code : 'LISTEN_FAILED';
      reject(new ReferenceServerError(code, `cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

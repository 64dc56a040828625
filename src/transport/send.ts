/**
 * `send`: the only code in tgc that does HTTP. One request, one fresh connection, every deadline
 * and size bounded, every outcome a value (it never rejects).
 *
 * Built on node:http rather than fetch: it gives the raw bytes (no automatic decompression), never
 * follows a redirect, and exposes when the connection and the first byte happened.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SseEvent } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { createSseDecoder, type SseDecoder } from '../sse/index.js';
import { decodeUtf8Body, isEventStream, isJsonType, joinHeaders, jsonDepth, MAX_JSON_DEPTH } from './body.js';
import { classifyError } from './classify.js';
import { limitProblems, type TransportLimits } from './limits.js';
import type { TransportFailureKind, TransportRequest, TransportResult } from './types.js';

/** Request headers the transport owns: whatever the caller gives under these names is replaced. */
const OWNED_HEADERS = new Set(['accept-encoding', 'content-length', 'transfer-encoding', 'connection']);

/** The failure kinds of an exchange that never had a connection. */
const NOT_CONNECTED = new Set<TransportFailureKind>(['refused', 'dns', 'connect-timeout']);

/** The decoder's findings that are also limits of the exchange: they stop reading. */
const STOPPING_FINDINGS = new Set<string>(['too-many-events', 'event-too-large', 'invalid-utf8']);

/**
 * Sends one request and records what came back. Never rejects, never throws, never logs; every
 * socket and timer it opens is closed before the promise resolves.
 *
 * - One connection per request (`agent: false`), closed at the end or as soon as a limit is hit.
 * - `Accept-Encoding: identity` is always sent (a caller's `accept-encoding` is replaced). A
 *   response that is compressed anyway is not decompressed (so no gzip bomb can inflate): its
 *   body is not read and the failure is `protocol-error` ("compressed body although identity was
 *   asked").
 * - A 3xx is never followed (so the Authorization header never reaches another host): its
 *   Location is recorded in `redirect`, and its body read like any other.
 * - A `text/event-stream` response (charset allowed) is decoded as it arrives by the bounded SSE
 *   decoder; each data event's arrival is timed. The raw text is kept up to `maxBodyBytes`.
 * - Any other body is kept up to `maxBodyBytes` and decoded as UTF-8, fatally.
 * - The result holds no request header; error messages quote no URL or header value.
 *
 * @param limits use `DEFAULT_LIMITS` or `makeLimits({...})`; invalid limits give
 *   `connected: false` with a `protocol-error` and send nothing.
 * @param signal aborting it ends the exchange at once with the failure `aborted`.
 *
 * @example
 * ```ts
 * const result = await send(
 *   { method: 'POST', url: 'http://127.0.0.1:8080/generate', headers: { 'content-type': 'application/json' },
 *     body: '{"inputs":"Hi"}' },
 *   DEFAULT_LIMITS,
 * );
 * if (result.failure) console.error(result.failure.kind, result.failure.message);
 * ```
 */
export function send(request: TransportRequest, limits: TransportLimits, signal?: AbortSignal): Promise<TransportResult> {
  return new Promise<TransportResult>((resolve) => {
    const startedAt = Date.now();
    try {
      exchange(request, limits, signal, resolve);
    } catch (e) {
      // Not reachable by design; kept so that a bug here cannot become a rejection.
      resolve(notSent(startedAt, 'protocol-error', `[tgc] transport error: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
}

function notSent(startedAt: number, kind: TransportFailureKind, message: string): TransportResult {
  return {
    connected: false,
    failure: { kind, message, afterBytes: 0 },
    timings: { startedAt, totalMs: 0, eventMs: [] },
    bytes: 0,
  };
}

function exchange(
  request: TransportRequest,
  limits: TransportLimits,
  signal: AbortSignal | undefined,
  resolve: (result: TransportResult) => void,
): void {
  const startedAt = Date.now();
  const t0 = performance.now();
  const elapsed = (): number => Math.round((performance.now() - t0) * 1000) / 1000;

  const problems = limitProblems(limits);
  if (problems.length > 0) {
    resolve(notSent(startedAt, 'protocol-error', `[tgc] invalid transport limits: ${problems.join('; ')}`));
    return;
  }
  if (signal?.aborted) {
    resolve(notSent(startedAt, 'aborted', 'the caller aborted before the request was sent'));
    return;
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    resolve(notSent(startedAt, 'protocol-error', '[tgc] the request URL is not an absolute URL'));
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    resolve(notSent(startedAt, 'protocol-error', `[tgc] unsupported URL scheme ${JSON.stringify(url.protocol)}`));
    return;
  }
  const headers = Object.fromEntries([
    ...Object.entries(request.headers).filter(([name]) => !OWNED_HEADERS.has(name.toLowerCase())),
    ['accept-encoding', 'identity'],
    ...(request.body !== undefined ? [['content-length', String(Buffer.byteLength(request.body, 'utf8'))]] : []),
  ]) as Record<string, string>;

  // State of the exchange.
  let settled = false;
  let connected = false;
  let connectMs: number | undefined;
  let firstByteMs: number | undefined;
  let failure: TransportResult['failure'];
  let response: http.IncomingMessage | undefined;
  let status: number | undefined;
  let responseHeaders: Record<string, string> | undefined;
  let contentType: string | undefined;
  let redirect: TransportResult['redirect'];
  let declaredLength: number | undefined;
  let readBody = false;
  let streaming = false;
  const chunks: Buffer[] = [];
  let kept = 0; // bytes in `chunks`, ≤ maxBodyBytes
  let bytes = 0; // bytes received
  let decoder: SseDecoder | undefined;
  const events: SseEvent[] = [];
  const findings: Finding[] = [];
  const eventMs: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let req: http.ClientRequest | undefined;

  const timer = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(fn, ms);
    timers.push(t);
    return t;
  };

  function finish(complete: boolean): void {
    if (settled) return;
    settled = true;
    for (const t of timers) clearTimeout(t);
    signal?.removeEventListener('abort', onAbort);
    response?.destroy();
    req?.destroy();

    const result: TransportResult = { connected, timings: { startedAt, totalMs: elapsed(), eventMs }, bytes };
    if (connectMs !== undefined) result.timings.connectMs = connectMs;
    if (firstByteMs !== undefined) result.timings.firstByteMs = firstByteMs;
    if (status !== undefined) {
      result.status = status;
      if (responseHeaders) result.headers = responseHeaders;
      if (contentType !== undefined) result.contentType = contentType;
    }
    if (redirect) result.redirect = redirect;
    if (readBody) {
      const decoded = decodeUtf8Body(Buffer.concat(chunks, kept), complete && failure === undefined);
      if (decoded.invalidAt !== undefined && failure === undefined) {
        failure = {
          kind: 'invalid-utf8',
          message: `the ${streaming ? 'stream' : 'body'} is not UTF-8: invalid byte at offset ${decoded.invalidAt}`,
          afterBytes: bytes,
        };
      }
      if (streaming) {
        result.stream = { raw: decoded.text, events, findings };
      } else {
        result.bodyText = decoded.text;
        if (failure === undefined && isJsonType(contentType) && jsonDepth(decoded.text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
          failure = {
            kind: 'protocol-error',
            message: `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; kept as text, not parsed`,
            afterBytes: bytes,
          };
        }
      }
    }
    if (failure) result.failure = failure;
    resolve(result);
  }

  function fail(kind: TransportFailureKind, message: string): void {
    if (settled) return;
    failure ??= { kind, message, afterBytes: bytes };
    finish(false);
  }

  /** Runs an event handler; a bug in it ends the exchange instead of crashing the process. */
  function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      if (settled) return;
      try {
        fn(...args);
      } catch (e) {
        fail('protocol-error', `[tgc] transport error: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  function onAbort(): void {
    fail('aborted', `the caller aborted the request after ${bytes} body bytes`);
  }

  const onError = guard((error: unknown) => {
    const c = classifyError(error, { connected, responded: response !== undefined, declaredLength, bytes });
    // A reset while connecting means the handshake completed and the peer then reset it.
    if (!NOT_CONNECTED.has(c.kind)) connected = true;
    fail(c.kind, c.message);
  });

  function onConnect(): void {
    if (connected) return;
    connected = true;
    connectMs = elapsed();
    clearTimeout(connectTimer);
  }

  function onRequestDeadline(): void {
    const within = `within timeoutMs (${limits.timeoutMs} ms)`;
    if (!connected) fail('connect-timeout', `no TCP connection ${within}`);
    else if (firstByteMs === undefined) fail('first-byte-timeout', `connected, but no response byte ${within}`);
    else if (response === undefined) fail('deadline', `the response headers did not complete ${within}`);
    else fail('deadline', `the body did not complete ${within}: ${bytes} bytes received`);
  }

  function startStream(): void {
    streaming = true;
    clearTimeout(requestTimer);
    timer(Math.max(0, limits.streamTotalMs - (performance.now() - t0)), () => {
      fail(
        'stream-deadline',
        `the stream did not end within streamTotalMs (${limits.streamTotalMs} ms): ${bytes} bytes and ${events.length} events received`,
      );
    });
    idleTimer = timer(limits.streamIdleMs, () => {
      fail(
        'stream-idle',
        `no stream byte for streamIdleMs (${limits.streamIdleMs} ms) after ${bytes} bytes and ${events.length} events`,
      );
    });
    decoder = createSseDecoder({
      maxEvents: limits.maxEvents,
      maxEventBytes: limits.maxEventBytes,
      onEvent: (event) => {
        events.push(event);
        eventMs.push(elapsed());
      },
      onFinding: (finding) => {
        findings.push(finding);
        if (STOPPING_FINDINGS.has(finding.kind)) fail(finding.kind as TransportFailureKind, finding.message);
      },
    });
  }

  const onData = guard((chunk: Buffer) => {
    bytes += chunk.length;
    idleTimer?.refresh();
    const room = limits.maxBodyBytes - kept;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length > 0) {
      chunks.push(part);
      kept += part.length;
      decoder?.feed(part);
    }
    if (part.length < chunk.length) {
      fail('body-too-large', `the ${streaming ? 'stream' : 'body'} exceeded maxBodyBytes (${limits.maxBodyBytes} bytes)`);
    }
  });

  const onEnd = guard(() => {
    decoder?.end(); // may report a character cut by the end: invalid-utf8
    finish(true);
  });

  const onResponse = guard((res: http.IncomingMessage) => {
    response = res;
    res.on('error', onError);
    res.on('close', () => {
      // After 'end' the exchange is settled; a close without 'end' or 'error' is a cut.
      if (!settled) fail('reset', `the connection closed before the body ended (after ${bytes} bytes)`);
    });
    status = res.statusCode ?? 0;
    responseHeaders = joinHeaders(res.rawHeaders);
    contentType = responseHeaders['content-type'];
    const length = responseHeaders['content-length']?.trim();
    if (length !== undefined && /^\d{1,15}$/.test(length)) declaredLength = Number(length);
    const location = responseHeaders['location'];
    if (status >= 300 && status < 400 && status !== 304 && location !== undefined) redirect = { status, location };

    const encoding = responseHeaders['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      fail(
        'protocol-error',
        `compressed body (content-encoding: ${JSON.stringify(clip(encoding))}) although the request sent Accept-Encoding: identity; not decompressed`,
      );
      return;
    }
    readBody = true;
    if (isEventStream(contentType)) startStream();
    res.on('data', onData);
    res.on('end', onEnd);
  });

  const connectTimer = timer(limits.connectTimeoutMs, () => {
    if (!connected) fail('connect-timeout', `no TCP connection within connectTimeoutMs (${limits.connectTimeoutMs} ms)`);
  });
  const requestTimer = timer(limits.timeoutMs, onRequestDeadline);
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const options: http.RequestOptions = {
      method: request.method,
      headers,
      agent: false,
      insecureHTTPParser: false,
    };
    req = url.protocol === 'https:' ? https.request(url, options) : http.request(url, options);
  } catch (e) {
    // Invalid header names or values throw here; node's messages name the header, not its value.
    fail('protocol-error', `[tgc] the request could not be built: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  req.on('error', onError);
  req.on('close', () => {
    if (!settled && response === undefined) fail('reset', 'the connection closed without a response');
  });
  req.on('upgrade', (_res: http.IncomingMessage, socket: Socket) => {
    // node hands the socket over on a 101: it is no longer the request's to close.
    socket.destroy();
    fail('protocol-error', 'the server switched protocols (101) although no upgrade was asked');
  });
  req.on('socket', (socket: Socket) => {
    if (!socket.connecting && socket.readyState === 'open') onConnect();
    else socket.once('connect', onConnect);
    socket.once('data', () => {
      firstByteMs ??= elapsed();
    });
  });
  req.on('response', onResponse);
  req.end(request.body);
}

function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

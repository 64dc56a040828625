/**
 * `send`: the only code in tgc that does HTTP. One request, on a kept-alive connection of the
 * run's pool (./connections.ts) or a fresh one, every deadline and size bounded, every outcome a
 * value (it never rejects).
 *
 * Built on node:http rather than fetch: it gives the raw bytes (no automatic decompression), never
 * follows a redirect, and exposes when the connection and the first byte happened.
 *
 * node:http (with a keep-alive Agent) rather than undici's Pool, measured side by side (issue 17,
 * same mock, 8 connections, one fixed request, alternated rounds, client CPU per request):
 * undici 7.30.2's `Pool.dispatch` cost 0.18-0.32 ms, node:http kept alive 0.26-0.41 ms (one
 * connection per request: 0.35-0.45 ms), autocannon 0.10-0.23 ms; a whole judged case costs tgc
 * 1-3 ms, so undici would win 3-8% of a run, inside the bench's noise. Kept node:http because
 * what a conformance tester needs stays simple with it: the socket itself (the first byte as it
 * arrives, a connection destroyed after any failure so that it is never reused), node's error
 * codes that ./classify.ts maps (undici wraps them in its own), one HTTP client for `send` and
 * the proxy's forwarder, and no dependency pinned to a major that works on Node 20 (8.x does not).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Finding } from '../core/finding.js';
import { createSseDecoder, type SseDecoder } from '../sse/index.js';
import { createBodyDecoder, isEventStream, isJsonType, joinHeaders, jsonDepth, MAX_JSON_DEPTH, streamRecord } from './body.js';
import { classifyError } from './classify.js';
import { requestTarget } from './forward.js';
import { resentAfter, type ConnectionPool } from './connections.js';
import { limitProblems, withLimitFlag, type TransportLimits } from './limits.js';
import type { Resent, TransportFailureKind, TransportRequest, TransportResult } from './types.js';

/** Request headers the transport owns: whatever the caller gives under these names is replaced. */
const OWNED_HEADERS = new Set(['accept-encoding', 'content-length', 'transfer-encoding', 'connection']);

/** The failure kinds of an exchange that never had a connection. */
const NOT_CONNECTED = new Set<TransportFailureKind>(['refused', 'dns', 'connect-timeout']);

/** The characters kept of a (non-stream) body cut at `maxBodyBytes`. */
export const CUT_BODY_KEPT_CHARS = 64 * 1024;

/** Errors of a reused connection the server had closed meanwhile, before any response byte. */
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The decoder's findings that are also limits of the exchange: they stop reading. */
const STOPPING_FINDINGS = new Set<string>(['too-many-events', 'event-too-large', 'invalid-utf8']);

/**
 * Sends one request and records what came back. Never rejects, never throws, never logs; every
 * timer it sets is cleared before the promise resolves, and so is every socket, except a
 * kept-alive one handed back to `pool`.
 *
 * - Without `pool`: one connection per request (`agent: false`, `Connection: close`), closed at
 *   the end or as soon as a limit is hit.
 * - With `pool`: a kept-alive connection of the pool (a fresh one when none is idle), handed back
 *   only after a clean exchange: the response read to its end without any failure. The socket of
 *   any other exchange (a failure, a limit hit, an unread or partly read body, a compressed body,
 *   an upgrade, an abort) is destroyed. When a REUSED connection fails before any response byte
 *   (ECONNRESET, EPIPE, "socket hang up": the server had closed it while idle, or on receiving
 *   the request), the request is sent once more on a fresh connection (as browsers do; Node's
 *   fetch does not resend a POST), and only then; `timings` are then those of the second
 *   attempt, from the same start, and `timings.resent` says how long the first connection had
 *   been idle and what ended it.
 * - `Accept-Encoding: identity` is always sent (a caller's `accept-encoding` is replaced). A
 *   response that is compressed anyway is not decompressed (so no gzip bomb can inflate): its
 *   body is not read and the failure is `protocol-error` ("compressed body although identity was
 *   asked").
 * - A 3xx is never followed (so the Authorization header never reaches another host): its
 *   Location is recorded in `redirect`, and its body read like any other.
 * - A `text/event-stream` response (charset allowed) is decoded as it arrives by the bounded SSE
 *   decoder; each data event's arrival is timed. The raw text is kept up to `maxBodyBytes`; the
 *   events are not kept beside it (`stream.events` decodes them again from it when read).
 * - Any other body is kept up to `maxBodyBytes` and decoded as UTF-8, fatally. A Content-Length
 *   above `maxBodyBytes` is `body-too-large` at once, before any body byte is read.
 * - A failure that is a limit being hit names the `tgc run` flag that raises it (`withLimitFlag`).
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
export function send(
  request: TransportRequest,
  limits: TransportLimits,
  signal?: AbortSignal,
  pool?: ConnectionPool,
): Promise<TransportResult> {
  return new Promise<TransportResult>((resolve) => {
    const startedAt = Date.now();
    try {
      exchange(request, limits, signal, pool, resolve);
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
  pool: ConnectionPool | undefined,
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
  // The body as text, decoded as it arrives: held once (not as bytes, then a copy, then text).
  const body = createBodyDecoder();
  let kept = 0; // bytes given to `body`, ≤ maxBody
  // The body limit of this response: maxBodyBytes, or the request's bound on a 2xx (set with the status).
  let maxBody = limits.maxBodyBytes;
  let bytes = 0; // bytes received
  let decoder: SseDecoder | undefined;
  let eventCount = 0; // data events so far: their text is kept once, in the raw stream (streamRecord)
  const findings: Finding[] = [];
  const eventMs: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let req: http.ClientRequest | undefined;
  /** The connection of the current attempt, and whether the pool had used it before. */
  let socket: Socket | undefined;
  let reused = false;
  let retried = false;
  /** How long the current attempt's kept-alive connection had been idle (the pool's note). */
  let idleBeforeMs: number | undefined;
  let resent: Resent | undefined;

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
      // A body cut at maxBodyBytes is judged by that failure alone: its beginning is enough for
      // the report's excerpt, and holding 10 MiB per cut body kept floods near 256 MB.
      const cut = !streaming && failure?.kind === 'body-too-large';
      const decoded = body.end(complete && failure === undefined, cut ? CUT_BODY_KEPT_CHARS : undefined);
      if (decoded.invalidAt !== undefined && failure === undefined) {
        failure = {
          kind: 'invalid-utf8',
          message: `the ${streaming ? 'stream' : 'body'} is not UTF-8: invalid byte at offset ${decoded.invalidAt}`,
          afterBytes: bytes,
        };
      }
      if (streaming) {
        result.stream = streamRecord(decoded.text, findings, limits);
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
    // A kept-alive connection goes back to the pool only after a clean exchange.
    socket?.off('data', onFirstByte).off('connect', onConnect);
    if (failure !== undefined || !complete) socket?.destroy();
    if (reused) result.timings.reused = true;
    if (resent) result.timings.resent = resent;
    resolve(result);
  }

  /** The body limit in force, in the words of a failure message. */
  function bodyLimitName(): string {
    return maxBody === limits.maxBodyBytes ? `maxBodyBytes (${maxBody} bytes)` : `${maxBody} bytes, the bound its request sets`;
  }

  function fail(kind: TransportFailureKind, message: string): void {
    if (settled) return;
    failure ??= { kind, message: withLimitFlag(kind, message), afterBytes: bytes };
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

  /**
   * The connection is ready: a fresh one connected, or a kept-alive one was handed to this
   * request (then `connectMs` is how long that took: no handshake, near 0).
   */
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
        `the stream did not end within streamTotalMs (${limits.streamTotalMs} ms): ${bytes} bytes and ${eventCount} events received`,
      );
    });
    idleTimer = timer(limits.streamIdleMs, () => {
      fail(
        'stream-idle',
        `no stream byte for streamIdleMs (${limits.streamIdleMs} ms) after ${bytes} bytes and ${eventCount} events`,
      );
    });
    decoder = createSseDecoder({
      maxEvents: limits.maxEvents,
      maxEventBytes: limits.maxEventBytes,
      onEvent: () => {
        eventCount++;
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
    const room = maxBody - kept;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length > 0) {
      body.feed(part);
      kept += part.length;
      decoder?.feed(part);
    }
    if (part.length < chunk.length) fail('body-too-large', `the ${streaming ? 'stream' : 'body'} exceeded ${bodyLimitName()}`);
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
    const bound = status >= 200 && status < 300 ? request.maxOkBodyBytes : request.maxErrorBodyBytes;
    if (bound !== undefined) maxBody = Math.min(limits.maxBodyBytes, bound);
    if (declaredLength !== undefined && declaredLength > maxBody) {
      // Too large before its first byte: none is read (a 2 GiB body costs nothing).
      fail('body-too-large', `the body declares Content-Length ${declaredLength}, more than ${bodyLimitName()}; not read`);
      return;
    }
    readBody = true;
    if (isEventStream(contentType)) startStream();
    res.on('data', onData);
    res.on('end', onEnd);
  });

  // Where and what to send, built once (a retry sends the same): the URL as options (node would
  // convert the URL on every request), and the head as raw pairs, which node validates and writes
  // as given instead of storing each header (what it would add itself, Host and a URL's
  // credentials, is added here).
  const target = requestTarget(url, request.method);
  const head: string[] = [];
  for (const name in headers) head.push(name, headers[name] as string);
  const has = (name: string): boolean => Object.keys(headers).some((n) => n.toLowerCase() === name);
  if (!has('host')) head.push('host', url.host);
  if ((url.username !== '' || url.password !== '') && !has('authorization')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    head.push('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  }

  const onConnectDeadline = (): void => {
    if (!connected) fail('connect-timeout', `no TCP connection within connectTimeoutMs (${limits.connectTimeoutMs} ms)`);
  };
  let connectTimer = timer(limits.connectTimeoutMs, onConnectDeadline);
  const requestTimer = timer(limits.timeoutMs, onRequestDeadline);
  signal?.addEventListener('abort', onAbort, { once: true });
  issue(pool ? pool.agent(url.protocol) : false);

  function onFirstByte(): void {
    firstByteMs ??= elapsed();
  }

  /**
   * Sends the request on a connection of `agent` (the pool's), or on a fresh one closed at the end
   * (`false`). The events of an attempt given up for a fresh connection are ignored.
   */
  function issue(agent: http.Agent | false): void {
    let r: http.ClientRequest;
    try {
      const options: http.RequestOptions = { ...target, headers: head, agent, insecureHTTPParser: false };
      r = url.protocol === 'https:' ? https.request(options) : http.request(options);
    } catch (e) {
      // Invalid header names or values throw here; node's messages name the header, not its value.
      fail('protocol-error', `[tgc] the request could not be built: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    req = r;
    r.on('error', (error: unknown) => {
      if (req === r && !retryStale(error)) onError(error);
    });
    r.on('close', () => {
      if (req !== r || settled || response !== undefined) return;
      if (!retryStale(undefined)) fail('reset', 'the connection closed without a response');
    });
    r.on('upgrade', (_res: http.IncomingMessage, upgraded: Socket) => {
      // node hands the socket over on a 101: it is no longer the request's to close.
      upgraded.destroy();
      if (req === r) fail('protocol-error', 'the server switched protocols (101) although no upgrade was asked');
    });
    r.on('socket', (s: Socket) => {
      if (req !== r) return;
      socket = s;
      reused = r.reusedSocket;
      idleBeforeMs = reused ? pool?.idleMs(s) : undefined;
      if (!s.connecting && s.readyState === 'open') onConnect();
      else s.once('connect', onConnect);
      // Once per request: on a kept-alive connection, the first byte of this request's answer.
      s.once('data', onFirstByte);
    });
    r.on('response', (res: http.IncomingMessage) => {
      if (req === r) onResponse(res);
    });
    r.end(request.body);
  }

  /**
   * A kept-alive connection that fails before any byte of the answer (ECONNRESET, EPIPE, "socket
   * hang up", a close) was closed by the server: while idle, the race every keep-alive client
   * has; or on receiving this request, which drops it. The request is sent once more, on a fresh
   * connection, and only then: a fresh connection's failure, or a failure after a response byte,
   * is the server's. The result says so (`timings.resent`, with how long the connection had been
   * idle), so that response-completes can tell a server that drops requests from the race.
   * Returns whether it retried.
   */
  function retryStale(error: unknown): boolean {
    if (settled || retried || req?.reusedSocket !== true || firstByteMs !== undefined || response !== undefined) return false;
    if (error !== undefined && !isStaleError(error)) return false;
    retried = true;
    resent = resentAfter(idleBeforeMs, error);
    socket?.off('data', onFirstByte).destroy();
    req.destroy();
    socket = undefined;
    reused = false;
    connected = false;
    connectMs = undefined;
    clearTimeout(connectTimer);
    connectTimer = timer(limits.connectTimeoutMs, onConnectDeadline);
    issue(false);
    return true;
  }
}

function isStaleError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && STALE_CODES.has(code)) || error.message === 'socket hang up';
}

function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

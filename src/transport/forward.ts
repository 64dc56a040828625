/**
 * `createForwarder`: the upstream client of `tgc proxy`. Where {@link send} buffers a whole
 * answer under every limit, a forwarder hands the response over as soon as its headers arrive,
 * as a stream, so that the proxy passes each chunk on as it comes: a client's stream is never
 * buffered and never cut by tgc. Only two deadlines apply, both before the response: the TCP
 * connection (`connectTimeoutMs`) and the response headers (`firstByteTimeoutMs`).
 *
 * - Connections to the target are kept alive and reused (the proxy must not cost a handshake per
 *   request). A request that meets a reused connection the target had just closed is sent once
 *   more on a fresh one, when its whole body is known (`replay`): the race every keep-alive
 *   client has, or a target dropping the requests it reads on kept-alive connections; the
 *   outcome says so (`resent`, with how long the connection had been idle), and the proxy's
 *   response-completes tells the two apart.
 * - Nothing is decompressed, nothing is followed (a 3xx goes back to the client as it came).
 * - Hop-by-hop headers (RFC 9110 §7.6.1: `Connection`, the headers it names, `Keep-Alive`,
 *   `Proxy-*`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`) are the caller's to drop with
 *   {@link endToEndHeaders}; `Host` is set to the target's.
 * - It never rejects and never logs: every outcome is a value, every timer is cleared.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { classifyError } from './classify.js';
import { idleClock, resentAfter } from './connections.js';
import type { Resent, TransportFailureKind } from './types.js';

/** Headers that concern one connection only (RFC 9110 §7.6.1), never forwarded. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The end-to-end headers of a message, as node's `rawHeaders` (name, value, name, value…: names
 * keep their case, repeats stay repeated): without the hop-by-hop ones, those its `Connection`
 * header names, and `drop` (lower-case names).
 *
 * @example
 * ```ts
 * endToEndHeaders(['Connection', 'x-a', 'X-A', '1', 'Accept', '*\/*']); // ['Accept', '*\/*']
 * ```
 */
export function endToEndHeaders(rawHeaders: readonly string[], drop: ReadonlySet<string> = EMPTY): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] ?? '').toLowerCase() !== 'connection') continue;
    for (const token of (rawHeaders[i + 1] ?? '').split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') named.add(name);
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || named.has(lower) || drop.has(lower)) continue;
    out.push(name, rawHeaders[i + 1] ?? '');
  }
  return out;
}

const EMPTY: ReadonlySet<string> = new Set();

/** The two deadlines of a forwarded request; nothing bounds the body once the answer has begun. */
/**
 * Where a request goes, as node:http's options: given rather than the URL, which node would turn
 * into them on every request. An IPv6 host loses its brackets.
 */
export function requestTarget(url: URL, method: string): http.RequestOptions {
  return {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method,
  };
}

export interface ForwardLimits {
  /**
   * From the start until the TCP connection is established (DNS included; a reused connection
   * is established already). Exceeded: `connect-timeout`.
   * @defaultValue 5_000
   */
  connectTimeoutMs: number;
  /**
   * From the start until the response headers have arrived. Exceeded: `first-byte-timeout`.
   * A non-stream generation sends nothing until it is done, hence the generous default.
   * @defaultValue 120_000
   */
  firstByteTimeoutMs: number;
}

export const DEFAULT_FORWARD_LIMITS: Readonly<ForwardLimits> = Object.freeze({ connectTimeoutMs: 5_000, firstByteTimeoutMs: 120_000 });

export interface ForwardRequest {
  method: string;
  /** The absolute `http:` or `https:` URL on the target. */
  url: URL;
  /** End-to-end headers, as raw pairs ({@link endToEndHeaders}); `Host` is replaced by the target's. */
  rawHeaders: readonly string[];
  /** The request body: streamed to the target as it arrives (backpressure included), or whole. */
  body?: Readable | Buffer;
  /**
   * The whole request body, when the caller kept all of it and it has ended; `undefined`
   * otherwise. Used once, to resend a request whose reused connection the target had closed.
   */
  replay?: () => Buffer | undefined;
}

export type ForwardOutcome =
  | {
      ok: true;
      /**
       * The target's response, paused and unread: the caller pipes it on (`pipe` resumes it) or
       * calls `resume()` after attaching its reader, and must read it to its end or destroy it.
       */
      response: http.IncomingMessage;
      /** Start → response headers, in ms. */
      firstByteMs: number;
      /**
       * The request went first on a kept-alive connection, idle for `idleMs`, that the target
       * closed before answering (`error`), and was resent on a fresh one: this is that answer.
       */
      resent?: Resent;
      /**
       * Settles once the response has ended (`undefined`) or failed (the failure), after
       * which the forwarder has released its timers and listeners.
       */
      ended: Promise<ForwardFailure | undefined>;
    }
  | ({ ok: false } & ForwardFailure);

export interface ForwardFailure {
  kind: TransportFailureKind;
  message: string;
  /** False when no connection was made (`refused`, `dns`, `connect-timeout`) or nothing was sent. */
  connected: boolean;
  /** Response body bytes received before the failure (0 before the response). */
  afterBytes: number;
}

export interface Forwarder {
  /**
   * Sends one request to the target. Resolves when the response headers arrive, or with the
   * failure that came first. Aborting `signal` (the client went away) destroys the upstream
   * request at any point, the response included.
   */
  forward(request: ForwardRequest, signal?: AbortSignal): Promise<ForwardOutcome>;
  /** Closes the kept-alive connections. */
  close(): void;
}

const NOT_CONNECTED = new Set<TransportFailureKind>(['refused', 'dns', 'connect-timeout']);

/**
 * A forwarder with its own pool of kept-alive connections (no limit on their number: the proxy
 * opens one upstream connection per request in flight, as a client would).
 *
 * @example
 * ```ts
 * const forwarder = createForwarder({ connectTimeoutMs: 5_000, firstByteTimeoutMs: 60_000 });
 * const out = await forwarder.forward({ method: 'GET', url: new URL('http://127.0.0.1:8080/info'), rawHeaders: [] });
 * if (out.ok) out.response.pipe(process.stdout);
 * ```
 */
export function createForwarder(limits: ForwardLimits = DEFAULT_FORWARD_LIMITS): Forwarder {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' }),
  };
  const pool: Pool = { agents, idleMs: idleClock(Object.values(agents)) };
  return {
    forward(request, signal) {
      return new Promise<ForwardOutcome>((resolve) => {
        try {
          attempt(request, limits, pool, signal, undefined, resolve);
        } catch (e) {
          // Not reachable by design; kept so that a bug here cannot become a rejection.
          resolve({ ok: false, kind: 'protocol-error', message: `[tgc] forward error: ${e instanceof Error ? e.message : String(e)}`, connected: false, afterBytes: 0 });
        }
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

interface Pool {
  agents: { 'http:': http.Agent; 'https:': https.Agent };
  /** How long a connection of the agents had been idle when handed to a request. */
  idleMs: (socket: Socket) => number | undefined;
}

/**
 * One attempt at `request`; `resent` is set on the second, after a reused connection the target
 * closed (there is no third).
 */
function attempt(
  request: ForwardRequest,
  limits: ForwardLimits,
  pool: Pool,
  signal: AbortSignal | undefined,
  resent: Resent | undefined,
  resolve: (outcome: ForwardOutcome) => void,
): void {
  const { agents } = pool;
  const mayRetry = resent === undefined;
  const fail = (kind: TransportFailureKind, message: string, connected: boolean): void =>
    resolve({ ok: false, kind, message, connected, afterBytes: 0 });
  const { url } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('protocol-error', `[tgc] unsupported URL scheme ${JSON.stringify(url.protocol)}`, false);
    return;
  }
  if (signal?.aborted) {
    fail('aborted', 'the client went away before the request was sent', false);
    return;
  }
  const headers: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    if (name.toLowerCase() === 'host') continue;
    headers.push(name, request.rawHeaders[i + 1] ?? '');
  }
  headers.push('Host', url.host);

  const t0 = performance.now();
  const elapsed = (): number => Math.round((performance.now() - t0) * 1000) / 1000;
  let settled = false; // the outcome is out (response or failure)
  let connected = false;
  let responded = false;
  let bytes = 0;
  let declaredLength: number | undefined;
  let connectTimer: NodeJS.Timeout | undefined;
  let idleBeforeMs: number | undefined; // of a reused connection, as the pool noted
  let endBody: ((failure: ForwardFailure | undefined) => void) | undefined;
  let req: http.ClientRequest;

  const cleanup = (): void => {
    clearTimeout(connectTimer);
    clearTimeout(headersTimer);
    signal?.removeEventListener('abort', onAbort);
  };
  const settle = (outcome: ForwardOutcome): void => {
    if (settled) return;
    settled = true;
    clearTimeout(connectTimer);
    clearTimeout(headersTimer);
    if (!outcome.ok) {
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
    }
    resolve(outcome);
  };
  const failBefore = (kind: TransportFailureKind, message: string): void => {
    if (settled) return;
    settle({ ok: false, kind, message, connected: connected && !NOT_CONNECTED.has(kind), afterBytes: 0 });
  };
  function onAbort(): void {
    if (!settled) {
      failBefore('aborted', 'the client went away before the response');
      return;
    }
    req.destroy();
    endBody?.({ kind: 'aborted', message: `the client went away after ${bytes} body bytes`, connected: true, afterBytes: bytes });
  }

  const headersTimer = setTimeout(() => {
    if (!connected) failBefore('connect-timeout', `no TCP connection within ${limits.connectTimeoutMs} ms`);
    else failBefore('first-byte-timeout', `connected, but no response within ${limits.firstByteTimeoutMs} ms`);
  }, limits.firstByteTimeoutMs);

  try {
    const options: http.RequestOptions = {
      ...requestTarget(url, request.method),
      headers,
      agent: agents[url.protocol],
      insecureHTTPParser: false,
    };
    req = url.protocol === 'https:' ? https.request(options) : http.request(options);
  } catch (e) {
    clearTimeout(headersTimer);
    // Invalid header names or values throw here; node's messages name the header, not its value.
    fail('protocol-error', `[tgc] the request could not be built: ${e instanceof Error ? e.message : String(e)}`, false);
    return;
  }
  signal?.addEventListener('abort', onAbort, { once: true });

  req.on('socket', (socket: Socket) => {
    if (req.reusedSocket) idleBeforeMs = pool.idleMs(socket);
    const onConnect = (): void => {
      connected = true;
      clearTimeout(connectTimer);
    };
    if (!socket.connecting) onConnect();
    else {
      connectTimer = setTimeout(() => {
        if (!connected) failBefore('connect-timeout', `no TCP connection within ${limits.connectTimeoutMs} ms`);
      }, limits.connectTimeoutMs);
      socket.once('connect', onConnect);
    }
  });

  req.on('error', (error: NodeJS.ErrnoException) => {
    if (settled) {
      endBody?.(bodyFailure(error));
      return;
    }
    // A kept-alive connection the target closed as we reused it: send once more on a fresh one.
    const stale = req.reusedSocket && !responded && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
    const body = !stale || !mayRetry ? undefined : request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : request.replay?.();
    if (stale && body !== undefined) {
      settled = true;
      cleanup();
      if (request.body && !Buffer.isBuffer(request.body)) request.body.unpipe(req);
      attempt({ ...request, body }, limits, pool, signal, resentAfter(idleBeforeMs, error), resolve);
      return;
    }
    const c = classifyError(error, { connected, responded, bytes, ...(declaredLength !== undefined ? { declaredLength } : {}) });
    failBefore(c.kind, c.message);
  });

  const bodyFailure = (error: unknown): ForwardFailure => {
    const c = classifyError(error, { connected: true, responded: true, bytes, ...(declaredLength !== undefined ? { declaredLength } : {}) });
    return { kind: c.kind, message: c.message, connected: true, afterBytes: bytes };
  };

  req.on('response', (res: http.IncomingMessage) => {
    responded = true;
    if (settled) {
      res.destroy();
      return;
    }
    // From the raw pairs: node builds `res.headers` only when asked.
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
      if ((res.rawHeaders[i] ?? '').toLowerCase() !== 'content-length') continue;
      const length = (res.rawHeaders[i + 1] ?? '').trim();
      if (/^\d{1,15}$/.test(length)) declaredLength = Number(length);
      break;
    }
    let done = false;
    const ended = new Promise<ForwardFailure | undefined>((resolveEnd) => {
      endBody = (failure) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        resolveEnd(failure);
      };
    });
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    // Counting must not start the flow: the caller attaches its own reader (pipe) first.
    res.pause();
    res.on('end', () => endBody?.(undefined));
    res.on('error', (e) => endBody?.(bodyFailure(e)));
    res.on('close', () => {
      if (!res.complete) endBody?.({ kind: 'reset', message: `the connection closed before the body ended (after ${bytes} bytes)`, connected: true, afterBytes: bytes });
      else endBody?.(undefined);
    });
    settle({ ok: true, response: res, firstByteMs: elapsed(), ended, ...(resent ? { resent } : {}) });
  });

  if (request.body === undefined) req.end();
  else if (Buffer.isBuffer(request.body)) req.end(request.body);
  else request.body.pipe(req);
}

/**
 * `send` with a pool of kept-alive connections, on real loopback sockets: connections are reused
 * after a clean exchange and only then, the pool stays within its bound, the timings are each
 * request's own, and a reused connection the server had closed meanwhile never becomes a
 * failure, while a server that cuts a fresh connection, or cuts after a byte, still does.
 */
import http from 'node:http';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectionPool, DEFAULT_LIMITS, send, type ConnectionPool, type TransportLimits, type TransportRequest } from './index.js';

const MiB = 1024 * 1024;
const FAST: TransportLimits = { ...DEFAULT_LIMITS, connectTimeoutMs: 1_000, timeoutMs: 2_000, maxBodyBytes: MiB };
const BODY = '{"generated_text":"Hello world"}';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function pool(maxSockets = 4): ConnectionPool {
  const p = createConnectionPool({ maxSockets });
  closers.push(() => p.close());
  return p;
}

interface Counted {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  readonly open: number;
}

async function listen(server: net.Server): Promise<Counted> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
  };
}

/** A correct keep-alive server (node:http); `handle` may answer otherwise. */
function httpServer(handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<Counted> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (handle?.(req, res)) return;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  return listen(server);
}

/**
 * A raw server: `answer(n, k)` gives what to do with the k-th request (0-based) on the n-th
 * connection (0-based): bytes to write (the connection stays open), 'close' / 'reset', or bytes
 * then a close.
 */
function rawServer(answer: (connection: number, request: number) => string | 'close' | 'reset' | { thenClose: string }): Promise<Counted> {
  let n = 0;
  const server = net.createServer((socket) => {
    const connection = n++;
    let k = 0;
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.slice(end + 4 + length);
        const what = answer(connection, k++);
        if (what === 'close') socket.end();
        else if (what === 'reset') socket.resetAndDestroy();
        else if (typeof what === 'object') socket.end(what.thenClose);
        else socket.write(what);
      }
    });
  });
  return listen(server);
}

const OK = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

function get(url: string): TransportRequest {
  return { method: 'POST', url: `${url}/generate`, headers: { 'content-type': 'application/json' }, body: '{"inputs":"Hi"}' };
}

describe('send with a connection pool', () => {
  it('reuses one connection for sequential requests, and times each request on its own', async () => {
    const server = await httpServer((_req, res) => {
      // Every answer takes 40 ms: each request's first byte comes at least that late.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
        res.end(BODY);
      }, 40);
      return true;
    });
    const p = pool();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await send(get(server.url), FAST, undefined, p));
    expect(results.map((r) => r.failure)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(results.map((r) => r.bodyText)).toEqual(Array(5).fill(BODY));
    expect(server.connections).toBe(1);
    expect(p.opened).toBe(1);
    expect(results.map((r) => r.timings.reused)).toEqual([undefined, true, true, true, true]);
    for (const r of results) {
      expect(r.timings.firstByteMs).toBeGreaterThanOrEqual(35);
      expect(r.timings.firstByteMs).toBeLessThanOrEqual(r.timings.totalMs);
      expect(r.timings.connectMs).toBeLessThanOrEqual(r.timings.firstByteMs ?? 0);
    }
    // On a reused connection, connectMs is the wait for it: no handshake.
    for (const r of results.slice(1)) expect(r.timings.connectMs).toBeLessThan(20);
  });

  it('opens at most maxSockets connections, whatever the requests in flight', async () => {
    const server = await httpServer();
    const p = pool(3);
    const results = await Promise.all(Array.from({ length: 30 }, () => send(get(server.url), FAST, undefined, p)));
    expect(results.every((r) => r.status === 200 && r.failure === undefined)).toBe(true);
    expect(server.connections).toBeLessThanOrEqual(3);
    expect(server.open).toBeLessThanOrEqual(3);
  });

  it("honours the server's Connection: close: the next request opens a fresh connection, no failure", async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), connection: 'close' });
      res.end(BODY);
      return true;
    });
    const p = pool();
    const a = await send(get(server.url), FAST, undefined, p);
    const b = await send(get(server.url), FAST, undefined, p);
    expect([a.failure, b.failure, a.status, b.status]).toEqual([undefined, undefined, 200, 200]);
    expect(b.timings.reused).toBeUndefined();
    expect(server.connections).toBe(2);
  });

  it('closes every connection on close()', async () => {
    const server = await httpServer();
    const p = pool();
    await Promise.all([1, 2, 3].map(() => send(get(server.url), FAST, undefined, p)));
    expect(server.open).toBeGreaterThan(0);
    p.close();
    const end = Date.now() + 2_000;
    while (server.open > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(server.open).toBe(0);
  });
});

describe('send with a pool: a connection is given back only after a clean exchange', () => {
  it.each<[string, (res: http.ServerResponse) => void, string]>([
    [
      'a body over maxBodyBytes',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 * MiB });
        res.end(Buffer.alloc(2 * MiB, 'a'));
      },
      'body-too-large',
    ],
    [
      'a compressed body (not read)',
      (res) => {
        const gz = gzipSync(BODY);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': gz.length });
        res.end(gz);
      },
      'protocol-error',
    ],
    [
      'a body that is not UTF-8 (read to its end)',
      (res) => {
        const bad = Buffer.concat([Buffer.from('{"generated_text":"a'), Buffer.from([0xff]), Buffer.from('"}')]);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': bad.length });
        res.end(bad);
      },
      'invalid-utf8',
    ],
    [
      'a stream past its idle deadline',
      (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data:{}\n\n');
      },
      'stream-idle',
    ],
  ])('%s: the socket is destroyed, the next request opens a fresh connection', async (_name, bad, kind) => {
    let first = true;
    const server = await httpServer((_req, res) => {
      if (!first) return false;
      first = false;
      bad(res);
      return true;
    });
    const p = pool();
    const a = await send(get(server.url), { ...FAST, streamIdleMs: 200 }, undefined, p);
    expect(a.failure?.kind).toBe(kind);
    const b = await send(get(server.url), FAST, undefined, p);
    expect(b.failure).toBeUndefined();
    expect(b.status).toBe(200);
    expect(b.timings.reused).toBeUndefined();
    expect(server.connections).toBe(2);
  });

  it('an exchange the caller aborts: the socket is destroyed', async () => {
    let first = true;
    const server = await httpServer(() => {
      if (!first) return false;
      first = false;
      return true; // never answers
    });
    const p = pool();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const a = await send(get(server.url), FAST, controller.signal, p);
    expect(a.failure?.kind).toBe('aborted');
    const b = await send(get(server.url), FAST, undefined, p);
    expect([b.failure, b.status, b.timings.reused]).toEqual([undefined, 200, undefined]);
    expect(server.connections).toBe(2);
  });
});

describe('send with a pool: a reused connection the server closed meanwhile', () => {
  it.each(['close', 'reset'] as const)(
    'is retried once on a fresh connection when it fails before any byte (%s): no failure',
    async (how) => {
      // Each connection answers its first request only: the second one meets a closed connection,
      // as a reused idle connection does when the server's keep-alive timeout fires just then.
      const server = await rawServer((_n, k) => (k === 0 ? OK : how));
      const p = pool(1);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await send(get(server.url), FAST, undefined, p));
      expect(results.map((r) => r.failure?.kind)).toEqual([undefined, undefined, undefined, undefined]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      // 1: fresh (pool); 2: reused and cut, then a fresh one of its own (closed at its end);
      // 3: the pool's connection was destroyed, a fresh one; 4: as 2.
      expect(server.connections).toBe(4);
      expect(p.opened).toBe(2);
      expect(results.map((r) => r.timings.reused)).toEqual([undefined, undefined, undefined, undefined]);
      // The resend is said, with how long the connection had been idle: response-completes
      // warns of a close after a short idle time (a server dropping requests), not after a long one.
      expect(results.map((r) => r.timings.resent !== undefined)).toEqual([false, true, false, true]);
      for (const r of [results[1], results[3]]) {
        expect(r?.timings.resent?.error).toMatch(how === 'reset' ? /ECONNRESET|closed|socket hang up/ : /closed|socket hang up|ECONNRESET|EPIPE/);
        expect(r?.timings.resent?.idleMs).toBeGreaterThanOrEqual(0);
        expect(r?.timings.resent?.idleMs).toBeLessThan(500);
      }
    },
  );

  it('says how long the connection it resent on had been idle', async () => {
    const server = await rawServer((_n, k) => (k === 0 ? OK : 'close'));
    const p = pool(1);
    const a = await send(get(server.url), FAST, undefined, p);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const b = await send(get(server.url), FAST, undefined, p);
    expect(a.timings.resent).toBeUndefined();
    expect(b.failure).toBeUndefined();
    // Wide margins: timers on a loaded machine fire late, never early.
    expect(b.timings.resent?.idleMs).toBeGreaterThanOrEqual(250);
    expect(b.timings.resent?.idleMs).toBeLessThan(3_000);
  });

  it('is retried once only: a server that cuts the fresh connection too is reported', async () => {
    // The first connection answers its first request; every later request is cut before any byte.
    const server = await rawServer((n, k) => (n === 0 && k === 0 ? OK : 'close'));
    const p = pool(1);
    const a = await send(get(server.url), FAST, undefined, p);
    const b = await send(get(server.url), FAST, undefined, p);
    expect(a.failure).toBeUndefined();
    expect(b.failure?.kind).toBe('reset');
    expect(b.connected).toBe(true);
    expect(server.connections).toBe(2);
  });

  it('is not retried after a byte of the answer: the cut is reported', async () => {
    const server = await rawServer((_n, k) => (k === 0 ? OK : { thenClose: 'HTTP/1.1 200 OK\r\nContent-Le' }));
    const p = pool(1);
    const a = await send(get(server.url), FAST, undefined, p);
    expect(a.failure).toBeUndefined();
    const b = await send(get(server.url), FAST, undefined, p);
    expect(b.failure?.kind).toMatch(/reset|protocol-error/);
    expect(b.timings.firstByteMs).toBeDefined();
    expect(server.connections).toBe(1);
  });

  it('a fresh connection cut before any byte is reported, never retried', async () => {
    const server = await rawServer(() => 'close');
    const p = pool(1);
    const a = await send(get(server.url), FAST, undefined, p);
    expect(a.failure?.kind).toBe('reset');
    expect(a.connected).toBe(true);
    expect(server.connections).toBe(1);
  });
});

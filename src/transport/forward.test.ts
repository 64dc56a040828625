/** The proxy's upstream client over loopback sockets: streaming, deadlines, aborts, stale connections. */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder, endToEndHeaders, type ForwardOutcome } from './forward.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listen(server: http.Server | net.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    closers.push(() => {
      if (server instanceof http.Server) server.closeAllConnections();
      server.close();
    });
  });
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.resume();
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

function ok(outcome: ForwardOutcome): Extract<ForwardOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`forward failed: ${outcome.kind}: ${outcome.message}`);
  return outcome;
}

describe('endToEndHeaders', () => {
  it('drops hop-by-hop headers and those Connection names; keeps case and repeats', () => {
    const raw = ['Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked',
      'Proxy-Authorization', 'Basic x', 'TE', 'trailers', 'Upgrade', 'h2c', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Authorization', 'Bearer t'];
    expect(endToEndHeaders(raw)).toEqual(['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Authorization', 'Bearer t']);
  });
});

describe('createForwarder', () => {
  it('sends method, path, query, headers and body; hands the answer over while it is still coming', async () => {
    let release: () => void = () => undefined;
    let seen: { method?: string; url?: string; host?: string; custom?: string[]; body?: string } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, host: req.headers.host, custom: req.headersDistinct['x-custom'], body };
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        release = () => res.end('data: last\n\n');
      });
    });
    const base = await listen(server);
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 5_000 });
    closers.push(() => forwarder.close());
    const out = ok(
      await forwarder.forward({
        method: 'POST',
        url: new URL(`${base}/generate_stream?a=1&b=%20`),
        rawHeaders: ['Host', 'proxy:1', 'X-Custom', 'one', 'x-custom', 'two', 'Content-Type', 'application/json'],
        body: Readable.from([Buffer.from('{"inputs":'), Buffer.from('"hi"}')]),
      }),
    );
    expect(out.response.statusCode).toBe(200);
    // The first event arrives before the target has finished.
    const first = await new Promise<string>((resolve) => {
      out.response.once('data', (d: Buffer) => resolve(d.toString()));
      out.response.resume();
    });
    expect(first).toBe('data: first\n\n');
    release();
    expect(await readAll(out.response)).toBe('data: last\n\n');
    expect(await out.ended).toBeUndefined();
    expect(seen).toEqual({ method: 'POST', url: '/generate_stream?a=1&b=%20', host: new URL(base).host, custom: ['one', 'two'], body: '{"inputs":"hi"}' });
  });

  it('a refused connection: refused, not connected', async () => {
    const probe = net.createServer();
    const base = await listen(probe);
    probe.close();
    await new Promise((r) => setTimeout(r, 20));
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 2_000 });
    const out = await forwarder.forward({ method: 'GET', url: new URL(`${base}/info`), rawHeaders: [] });
    forwarder.close();
    expect(out).toMatchObject({ ok: false, kind: 'refused', connected: false });
  });

  it('a target that accepts and never answers: first-byte-timeout, the request ended', async () => {
    let closed = 0;
    const server = net.createServer((socket) => {
      socket.on('data', () => undefined);
      socket.on('close', () => closed++);
    });
    const base = await listen(server);
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 200 });
    const out = await forwarder.forward({ method: 'POST', url: new URL(`${base}/generate`), rawHeaders: [], body: Buffer.from('{}') });
    forwarder.close();
    expect(out).toMatchObject({ ok: false, kind: 'first-byte-timeout', connected: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(1);
  });

  it('the client goes away mid-stream: the upstream request is destroyed', async () => {
    let upstreamClosed: () => void = () => undefined;
    const closedAtTarget = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: x\n\n'), 5);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    const base = await listen(server);
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 2_000 });
    closers.push(() => forwarder.close());
    const controller = new AbortController();
    const out = ok(await forwarder.forward({ method: 'GET', url: new URL(`${base}/s`), rawHeaders: [] }, controller.signal));
    out.response.resume();
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    expect(await out.ended).toMatchObject({ kind: 'aborted' });
    await closedAtTarget;
  });

  it('the target cuts its answer: the end says reset', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n8\r\ndata: x\n\r\n');
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
    const base = await listen(server);
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 2_000 });
    closers.push(() => forwarder.close());
    const out = ok(await forwarder.forward({ method: 'GET', url: new URL(`${base}/s`), rawHeaders: [] }));
    out.response.resume();
    expect(await out.ended).toMatchObject({ kind: 'reset', connected: true });
  });

  it('a kept-alive connection the target closed as it was reused: sent once more, on a fresh one', async () => {
    const perConnection = new Map<net.Socket, number>();
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.on('data', () => {
        const n = (perConnection.get(socket) ?? 0) + 1;
        perConnection.set(socket, n);
        // The second request on a connection meets a reset: the target had timed it out.
        if (n > 1) return void socket.resetAndDestroy();
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
      });
    });
    const base = await listen(server);
    const forwarder = createForwarder({ connectTimeoutMs: 2_000, firstByteTimeoutMs: 2_000 });
    closers.push(() => forwarder.close());
    const resent: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const out = ok(await forwarder.forward({ method: 'POST', url: new URL(`${base}/generate`), rawHeaders: ['content-length', '2'], body: Buffer.from('{}') }));
      expect(await readAll(out.response)).toBe('ok');
      resent.push(out.resent);
    }
    expect(connections).toBe(3);
    // The resend is said, with the reused connection's idle time (here a few ms: a drop, not a timeout).
    expect(resent[0]).toBeUndefined();
    for (const r of resent.slice(1)) expect(r).toMatchObject({ idleMs: expect.any(Number) as number, error: expect.stringMatching(/ECONNRESET|socket hang up/) as string });
    expect((resent[1] as { idleMs: number }).idleMs).toBeLessThan(1_000);
  });
});

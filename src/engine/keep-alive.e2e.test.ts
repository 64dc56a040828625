/**
 * A run reuses its connections as real clients do: against the reference server, through a TCP
 * relay that counts the connections tgc opens, a run of hundreds of requests opens a handful
 * (at most `concurrency` in the pool, plus one for each exchange whose connection was cut), and
 * still finds nothing to report against a correct server. A server that drops the requests it
 * reads on kept-alive connections is reported, although tgc's resend hides it from the verdicts
 * of the bodies.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../reference/index.js';
import { DEFAULT_LIMITS } from '../transport/index.js';
import { runConformance } from './run.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Relays every connection to `port`, counting them and the most open at once. */
async function countingRelay(port: number): Promise<{ url: string; opened: () => number; maxOpen: () => number }> {
  let opened = 0;
  let open = 0;
  let max = 0;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    opened++;
    open++;
    max = Math.max(max, open);
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => {
      open--;
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  );
  const address = relay.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${address.port}`, opened: () => opened, maxOpen: () => max };
}

/**
 * An HTTP server in front of `port` that answers the first request of each connection (relayed)
 * and closes the connection when a second one arrives on it: it drops every request it reads on
 * a kept-alive connection.
 */
async function droppingServer(port: number): Promise<{ url: string; dropped: () => number }> {
  let dropped = 0;
  const served = new WeakSet<net.Socket>();
  const server = http.createServer((req, res) => {
    if (served.has(req.socket)) {
      dropped++;
      req.socket.destroy();
      return;
    }
    served.add(req.socket);
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, dropped: () => dropped };
}

describe('a run keeps its connections alive', () => {
  it('opens a handful of connections for hundreds of requests, never more than --concurrency at once', async () => {
    const reference = await startReferenceServer({ latencyMs: 0 });
    closers.push(() => reference.close());
    const relay = await countingRelay(reference.port);
    const concurrency = 3;
    const report = await runConformance({
      url: relay.url,
      api: 'tgi',
      authRequired: false,
      headers: {},
      seed: 1,
      maxExamples: 5,
      checks: [],
      excludeChecks: [],
      concurrency,
      rate: 0,
      maxRequests: 5000,
      limits: { ...DEFAULT_LIMITS },
      serverLimits: {},
    });
    expect(report.summary.violations).toBe(0);
    expect(report.findings.filter((f) => f.kind === 'kept-alive-dropped')).toEqual([]);
    expect(report.summary.requests).toBeGreaterThan(100);
    // A fresh connection only for the pool's first `concurrency` and after an exchange that was
    // cut (none against a correct server but the scenarios that cancel a stream on purpose).
    expect(relay.opened()).toBeLessThan(report.summary.requests / 10);
    expect(relay.maxOpen()).toBeLessThanOrEqual(concurrency + 1);
  });

  it('reports a server that drops the requests it reads on kept-alive connections, without a false violation', async () => {
    const reference = await startReferenceServer({ latencyMs: 0 });
    closers.push(() => reference.close());
    const server = await droppingServer(reference.port);
    const report = await runConformance({
      url: server.url,
      api: 'tgi',
      authRequired: false,
      headers: {},
      seed: 1,
      maxExamples: 1,
      checks: [],
      excludeChecks: [],
      concurrency: 2,
      rate: 0,
      maxRequests: 5000,
      limits: { ...DEFAULT_LIMITS },
      serverLimits: {},
    });
    // Each dropped request was sent again on a fresh connection and answered: no violation, and
    // a warning for each drop, that names the idle time.
    expect(server.dropped()).toBeGreaterThan(5);
    expect(report.summary.violations).toBe(0);
    const dropped = report.findings.filter((f) => f.check === 'response-completes' && f.kind === 'kept-alive-dropped');
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((f) => f.severity === 'warning')).toBe(true);
    expect(dropped[0]?.message).toMatch(/kept-alive connection that had been idle [\d.]+ ms/);
    const row = report.checks.find((c) => c.id === 'response-completes');
    // One warning per judged exchange that was resent (discovery's and the scenarios' requests are
    // not judged by the per-exchange checks, and may have been dropped too).
    expect(row?.warnings).toBeLessThanOrEqual(server.dropped());
    expect(row?.warnings).toBeGreaterThan(server.dropped() / 2);
  });
});

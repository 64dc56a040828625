/**
 * proxy.ratio: requests per second through `tgc proxy` (judging included) over requests per
 * second straight to the same `tgc mock --latency-ms 0` (its own process), on the same request
 * mix; proxy.firstByteAddedMs: what the proxy adds to a stream's first byte, at the median.
 *
 * Throughput: autocannon, 8 connections (kept alive, as clients keep them), `BENCH_PROXY_SECONDS`
 * (5) each, direct and through the proxy alternating, the order rotating each round; medians. The
 * mix, round-robin: POST /generate (details), POST /generate_stream, POST / (TGI's array), a
 * rejected request (422), POST /v1/chat/completions plain and streamed (with usage), POST
 * /v1/completions, GET /v1/models. The proxy's own CPU per request is read from /proc.
 *
 * First byte: `BENCH_PROXY_STREAMS` (200) streams of POST /generate_stream, one at a time over a
 * kept-alive connection, alternating direct and through the proxy; each timed from the request's
 * start to the first body byte. The added time is median(proxy) − median(direct).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { childCpuMs, CLI, envInt, log, median, round, startListening, startMock, type ListeningProcess } from './lib.js';

export const PROXY_RATIO_TARGET = 0.9;
export const PROXY_FIRST_BYTE_TARGET_MS = 1;
const CONNECTIONS = 8;

/** Copied for each request: autocannon adds a content-length to the headers object it is given. */
const json = { 'content-type': 'application/json' };
const CHAT = { model: 'tgc/reference-model', messages: [{ role: 'user', content: 'The capital of France is' }], max_tokens: 8 };
const MIX: { method: 'GET' | 'POST'; path: string; body?: string }[] = [
  { method: 'POST', path: '/generate', body: JSON.stringify({ inputs: 'The capital of France is', parameters: { details: true, max_new_tokens: 8 } }) },
  { method: 'POST', path: '/generate_stream', body: JSON.stringify({ inputs: 'The capital of France is', parameters: { max_new_tokens: 8 } }) },
  { method: 'POST', path: '/', body: JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 4 } }) },
  { method: 'POST', path: '/generate', body: JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 0 } }) },
  { method: 'POST', path: '/v1/chat/completions', body: JSON.stringify(CHAT) },
  { method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ ...CHAT, stream: true, stream_options: { include_usage: true } }) },
  { method: 'POST', path: '/v1/completions', body: JSON.stringify({ model: 'tgc/reference-model', prompt: 'Hello', max_tokens: 8 }) },
  { method: 'GET', path: '/v1/models' },
];

function startProxy(target: string, dir: string): Promise<ListeningProcess> {
  return startListening('tgc proxy', [CLI, 'proxy', '--port', '0', '--target', target, '--report-dir', dir, '--format', 'json'], {
    stopSignal: 'SIGTERM',
    graceMs: 15_000,
  });
}

async function cannon(base: string, seconds: number): Promise<{ rps: number; requests: number; non2xx: number; errors: number }> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const m = MIX[next++ % MIX.length] ?? MIX[0];
          return { ...req, method: m?.method ?? 'GET', path: m?.path ?? '/', headers: { ...json }, ...(m?.body !== undefined ? { body: m.body } : {}) };
        },
      },
    ],
  });
  return { rps: result.requests.total / result.duration, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors };
}

/** Milliseconds from the start of a stream request to its first body byte. */
function firstByte(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(`${url}/generate_stream`, { method: 'POST', headers: { ...json }, agent }, (res) => {
      res.once('data', () => {
        const ms = performance.now() - t0;
        res.resume();
        res.once('end', () => resolve(ms));
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end('{"inputs":"The capital of France is","parameters":{"max_new_tokens":4}}');
  });
}

export async function benchProxy(): Promise<Record<string, unknown>> {
  const rounds = envInt('BENCH_ROUNDS', 3);
  const seconds = envInt('BENCH_PROXY_SECONDS', 5);
  const streams = envInt('BENCH_PROXY_STREAMS', 200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tgc-bench-proxy-'));
  const mock = await startMock();
  const proxy = await startProxy(mock.url, dir);
  log(`proxy: mock at ${mock.url}, proxy at ${proxy.url}; autocannon ${seconds} s × ${CONNECTIONS} connections, ${rounds} rounds; ${streams} streams for the first byte`);
  try {
    // Warm-up (not counted): the mock's JIT, the proxy's contracts.
    await cannon(mock.url, 1);
    await cannon(proxy.url, 1);
    const direct: number[] = [];
    const through: number[] = [];
    const proxyCpu: number[] = [];
    let failures = 0;
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['direct', 'proxy'] as const) : (['proxy', 'direct'] as const);
      for (const side of order) {
        const cpu0 = childCpuMs(proxy.child.pid);
        const out = await cannon(side === 'direct' ? mock.url : proxy.url, seconds);
        const cpu1 = childCpuMs(proxy.child.pid);
        failures += out.errors;
        (side === 'direct' ? direct : through).push(out.rps);
        if (side === 'proxy' && cpu0 !== undefined && cpu1 !== undefined) proxyCpu.push((cpu1 - cpu0) / out.requests);
        log(`proxy: round ${r + 1} ${side}: ${round(out.rps)} req/s (${out.non2xx} non-2xx by design, ${out.errors} errors)`);
      }
    }
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const firstDirect: number[] = [];
    const firstProxy: number[] = [];
    for (let i = 0; i < 10; i++) await firstByte(agent, proxy.url); // warm-up
    for (let i = 0; i < streams; i++) {
      if (i % 2 === 0) {
        firstDirect.push(await firstByte(agent, mock.url));
        firstProxy.push(await firstByte(agent, proxy.url));
      } else {
        firstProxy.push(await firstByte(agent, proxy.url));
        firstDirect.push(await firstByte(agent, mock.url));
      }
    }
    agent.destroy();
    const ratio = median(through) / median(direct);
    const added = median(firstProxy) - median(firstDirect);
    return {
      ratio: round(ratio),
      firstByteAddedMs: round(added),
      requestsPerSecond: { direct: round(median(direct)), proxy: round(median(through)) },
      firstByteMs: { direct: round(median(firstDirect)), proxy: round(median(firstProxy)) },
      ...(proxyCpu.length > 0 ? { proxyCpuMsPerRequest: round(median(proxyCpu)) } : {}),
      errors: failures,
      mix: MIX.map((m) => `${m.method} ${m.path}`),
      rounds,
      seconds,
      connections: CONNECTIONS,
      streams,
    };
  } finally {
    await proxy.stop();
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

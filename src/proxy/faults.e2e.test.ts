/**
 * `tgc proxy` against broken targets and through its stops: a fault of the reference server is
 * reported by the check that names it (and a baseline quiets it); a target that hangs or refuses
 * gets the client a 504 / 502 and a finding, never a hung proxy; the first signal drains and
 * exits by the verdict, a second one exits at once with 143 after writing what there is.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFaults, findFault, startReferenceServer, type ReferenceServer } from '../reference/index.js';
import { reportSchemaErrors } from '../report/__fixtures__/report-schema.js';
import type { TgcReport } from '../report/report.js';
import { request, startProxyProcess } from './__fixtures__/proxy-process.js';

let dir: string;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tgc-proxy-faults-'));
});
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const readReport = (d: string): TgcReport => JSON.parse(readFileSync(path.join(d, 'report.json'), 'utf8')) as TgcReport;
const post = (url: string, body: unknown): Promise<{ status: number; body: Buffer }> =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function rawServer(onSocket: (socket: net.Socket) => void): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a broken reference server behind the proxy', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    const parts = ['generated-tokens-off-by-one', 'openai-object-chat-text-completion'].map((n) => findFault(n));
    if (parts.some((p) => !p)) throw new Error('fault not found');
    server = await startReferenceServer({ fault: composeFaults('both', parts as NonNullable<(typeof parts)[number]>[]) });
    closers.push(() => server.close());
  });

  const traffic = async (url: string): Promise<void> => {
    expect((await post(`${url}/generate`, { inputs: 'Hello', parameters: { max_new_tokens: 4, details: true } })).status).toBe(200);
    expect((await post(`${url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3 })).status).toBe(200);
  };

  it('reports each fault by its check as it happens, exits 1; with the report as baseline, exits 0', async () => {
    const reports = path.join(dir, 'faulty');
    const proxy = await startProxyProcess(['--target', server.url, '--report-dir', reports, '--format', 'json,md']);
    await traffic(proxy.url);
    const first = await proxy.stop('SIGTERM');
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stdout).toMatch(/POST \/generate 200: violation tokens-count/);
    expect(first.stdout).toMatch(/POST \/v1\/chat\/completions 200: violation openai-object/);
    const report = readReport(reports);
    const checks = new Set(report.findings.filter((f) => f.severity === 'violation').map((f) => f.check));
    // The check each fault names (generated_tokens off by one also upsets the checks that count tokens).
    expect(checks).toContain('tokens-count');
    expect(checks).toContain('openai-object');
    expect(report.findings.find((f) => f.check === 'tokens-count')?.reproduce).toMatch(/^curl .*\/generate/);

    const again = path.join(dir, 'baselined');
    const second = await startProxyProcess(['--target', server.url, '--report-dir', again, '--format', 'json', '--baseline', path.join(reports, 'report.json')]);
    await traffic(second.url);
    const stopped = await second.stop('SIGINT');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(readReport(again).findings.filter((f) => f.severity === 'violation').every((f) => f.known === true)).toBe(true);
  });
});

describe('a target that hangs, stalls or refuses', () => {
  it('hangs: the client gets a 504 and the report a response-completes violation; a stalled stream is cut at the end of the drain', async () => {
    const hanging = await rawServer((socket) => {
      socket.once('data', (d: Buffer) => {
        // /generate_stream: headers and one event, then silence; anything else: silence.
        if (d.toString().startsWith('POST /generate_stream')) {
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
          const event = 'data:{"index":1,"token":{"id":1,"text":"a","logprob":-1.0,"special":false},"generated_text":null,"details":null}\n\n';
          socket.write(`${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`);
        }
      });
    });
    const reports = path.join(dir, 'hang');
    const proxy = await startProxyProcess(['--target', hanging, '--report-dir', reports, '--format', 'json', '--first-byte-timeout-ms', '300', '--drain-ms', '500']);
    const t0 = Date.now();
    const answer = await post(`${proxy.url}/generate`, { inputs: 'Hi' });
    expect(answer.status).toBe(504);
    expect(answer.body.toString()).toMatch(/first-byte-timeout/);
    expect(Date.now() - t0).toBeLessThan(10_000);

    // A stream that stalls is never cut by the proxy while it runs: the client sees its first event.
    const firstEvent = new Promise<string>((resolve, reject) => {
      const req = http.request(`${proxy.url}/generate_stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
        res.once('data', (d: Buffer) => resolve(d.toString()));
        res.on('error', () => undefined);
      });
      req.on('error', reject);
      req.end('{"inputs":"Hi","parameters":{"max_new_tokens":3}}');
    });
    expect(await firstEvent).toMatch(/^data:/);

    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    const report = readReport(reports);
    expect(report.findings.map((f) => `${f.check}:${f.kind}`)).toEqual(['response-completes:first-byte-timeout']);
    expect(report.skipped).toEqual([{ case: 'POST /generate_stream', reason: 'not judged: still in flight when the proxy stopped' }]);
    expect(stopped.stdout).toMatch(/cut 1 exchange still in flight/);
  });

  it('refuses: the client gets a 502; the proxy exits 2, the target never reached', async () => {
    // Take a port, then free it: nothing listens there any more.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const free = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = await startProxyProcess(['--target', `http://127.0.0.1:${free}`, '--report-dir', path.join(dir, 'refused'), '--format', 'json']);
    const answer = await post(`${proxy.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.status).toBe(502);
    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(/accepted no connection/);
    expect(readReport(path.join(dir, 'refused')).findings.map((f) => `${f.check}:${f.kind}`)).toEqual(['response-completes:refused']);
  });
});

describe('a target that drops the requests it reads on kept-alive connections', () => {
  it('the client gets every answer (the proxy resends on a fresh connection), and the report warns of each drop', async () => {
    const body = '{"generated_text":" world"}';
    const answer = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    const dropping = await rawServer((socket) => {
      let requests = 0;
      socket.on('data', () => {
        // One request a packet on loopback: answer the first of the connection, drop the next.
        if (++requests > 1) socket.destroy();
        else socket.write(answer);
      });
    });
    const reports = path.join(dir, 'dropping');
    const proxy = await startProxyProcess(['--target', dropping, '--report-dir', reports, '--format', 'json']);
    for (let i = 0; i < 4; i++) {
      const got = await post(`${proxy.url}/generate`, { inputs: 'Hello', parameters: { max_new_tokens: 1 } });
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe(body);
    }
    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    const dropped = readReport(reports).findings.filter((f) => f.kind === 'kept-alive-dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped.every((f) => f.check === 'response-completes' && f.severity === 'warning')).toBe(true);
  });
});

describe('stopping', () => {
  it('the first SIGINT lets a stream in flight finish, judges it, and exits by the verdict (0)', async () => {
    const server = await startReferenceServer({ latencyMs: 40 });
    closers.push(() => server.close());
    const reports = path.join(dir, 'drain');
    const proxy = await startProxyProcess(['--target', server.url, '--report-dir', reports, '--format', 'json']);
    const streamed = post(`${proxy.url}/generate_stream`, { inputs: 'Hello', parameters: { max_new_tokens: 15 } });
    await new Promise((r) => setTimeout(r, 250));
    const stopping = proxy.stop('SIGINT');
    const answer = await streamed;
    expect(answer.status).toBe(200);
    expect(answer.body.toString().match(/^data:/gm)).toHaveLength(15);
    const stopped = await stopping;
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/SIGINT: not accepting connections; 1 exchange in flight/);
    const report = readReport(reports);
    expect(report).toMatchObject({ interrupted: false, summary: { cases: 1, requests: 1, violations: 0 } });
  });

  it("--fail-on-client: the client's departures fail too (exit 1); the target's answers were right", async () => {
    const server = await startReferenceServer({});
    closers.push(() => server.close());
    const proxy = await startProxyProcess(['--target', server.url, '--report-dir', path.join(dir, 'client'), '--format', 'json', '--fail-on-client']);
    expect((await post(`${proxy.url}/generate`, { inputs: 'Hi', parameters: { max_new_tokens: 0 } })).status).toBe(422);
    const stopped = await proxy.stop('SIGINT');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    const report = readReport(path.join(dir, 'client'));
    expect(report.findings.map((f) => `${f.check}:${f.severity}`)).toEqual(['client-request:violation']);
  });

  it('a second SIGTERM exits at once with 143, after writing what it has', async () => {
    const stalled = await rawServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n'));
    });
    const reports = path.join(dir, 'twice');
    const record = path.join(dir, 'twice.jsonl');
    const proxy = await startProxyProcess(['--target', stalled, '--report-dir', reports, '--record', record, '--drain-ms', '60000']);
    const inFlight = new Promise<void>((resolve) => {
      const req = http.request(`${proxy.url}/generate_stream`, { method: 'POST', agent: false }, (res) => {
        res.on('error', () => undefined);
        res.on('close', () => undefined);
        resolve();
      });
      req.on('error', () => undefined);
      req.end('{"inputs":"Hi"}');
    });
    await inFlight;
    proxy.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(proxy.child.exitCode).toBeNull(); // draining
    const t0 = Date.now();
    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code).toBe(143);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(existsSync(path.join(reports, 'report.html'))).toBe(true);
    expect(readReport(reports)).toMatchObject({ interrupted: true, summary: { requests: 0 } });
    expect(reportSchemaErrors(readReport(reports))).toEqual([]);
    expect(existsSync(record)).toBe(true);
    expect(stopped.stderr).toMatch(/terminated again/);
  });
});

/**
 * tgc is gentle with live targets and stops cleanly: --rate, --concurrency and --max-requests
 * are honoured (measured at the server, with margins), Ctrl-C writes the partial report and
 * exits 130, and a token never reaches anything tgc writes.
 */
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../reference/index.js';
import type { TgcReport } from '../report/report.js';
import { BIN, tgc } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-safety-'));

/** A pass-through proxy that records when each request starts and how many are in flight. */
function countingProxy(target: string): Promise<{ server: Server; url: string; starts: number[]; maxInFlight: () => number }> {
  const starts: number[] = [];
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    starts.push(performance.now());
    inFlight++;
    max = Math.max(max, inFlight);
    const upstream = httpRequest(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    res.on('close', () => inFlight--);
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, starts, maxInFlight: () => max });
    }),
  );
}

describe.skipIf(!existsSync(BIN))('safety of live targets', () => {
  let reference: ReferenceServer;
  beforeAll(async () => {
    reference = await startReferenceServer({ latencyMs: 5 });
  });
  afterAll(async () => {
    await reference?.close();
  });

  it('honours --rate, --concurrency and --max-requests', async () => {
    const proxy = await countingProxy(reference.url);
    try {
      const dir = path.join(tmp, 'gentle');
      const r = await tgc(['run', '--url', proxy.url, '--rate', '10', '--concurrency', '2', '--max-requests', '30', '--seed', '1', '--report-dir', dir]);
      expect(r.code, r.stdout).toBe(0);
      expect(proxy.starts.length).toBeLessThanOrEqual(30);
      expect(proxy.maxInFlight()).toBeLessThanOrEqual(2);
      const seconds = ((proxy.starts.at(-1) ?? 0) - (proxy.starts[0] ?? 0)) / 1000;
      // n requests at 10/s need at least (n-1)/10 s; allow 10% for timer slack.
      expect(seconds).toBeGreaterThanOrEqual(((proxy.starts.length - 1) / 10) * 0.9);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
      expect(report.summary.requests).toBe(proxy.starts.length);
      expect(report.summary.skippedCases).toBeGreaterThan(0);
      expect(report.skipped[0]?.reason).toContain('--max-requests 30');
    } finally {
      proxy.server.close();
    }
  });

  it('stops on Ctrl-C, writes the partial report marked interrupted, exits 130', async () => {
    const slow = await startReferenceServer({ latencyMs: 40 });
    try {
      const dir = path.join(tmp, 'interrupted');
      const child = spawn(process.execPath, [BIN, 'run', '--url', slow.url, '--seed', '2', '--report-dir', dir, '--rate', '0']);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const t0 = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(code, out).toBe(130);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
      expect(report.interrupted).toBe(true);
      expect(report.summary.violations).toBe(0); // the cut exchanges are not the server's fault
      expect(out).toContain('INTERRUPTED');
    } finally {
      await slow.close();
    }
  });

  it('stops on SIGTERM within 3 s, writes the partial report, exits 143', async () => {
    const slow = await startReferenceServer({ latencyMs: 40 });
    try {
      const dir = path.join(tmp, 'terminated');
      const child = spawn(process.execPath, [BIN, 'run', '--url', slow.url, '--seed', '3', '--report-dir', dir, '--rate', '0']);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(code, out).toBe(143);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
      expect(report.interrupted).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('a second signal exits at once', async () => {
    // A server that accepts and never answers: the first signal waits for nothing to finish.
    // Its first request tells that tgc has started and listens for signals (a fixed wait raced a
    // slow start on a loaded machine: a signal before the handlers is the default one).
    let requested: () => void = () => undefined;
    const firstRequest = new Promise<void>((resolve) => (requested = resolve));
    const hang = createServer(() => requested());
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
      const child = spawn(process.execPath, [BIN, 'run', '--url', url, '--report-dir', path.join(tmp, 'twice'), '--timeout-ms', '60000']);
      // Read what it writes: a full pipe would block the child in a synchronous write, deaf to signals.
      child.stdout.resume();
      child.stderr.resume();
      await firstRequest;
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(code).toBe(143);
    } finally {
      hang.close();
    }
  });

  it('never writes the token, even when the server echoes it', async () => {
    const token = 'hf_tgcSECRETtoken_4f9a2c';
    // A server that echoes the Authorization header into a header and the body.
    const echo = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': auth });
      res.end(JSON.stringify({ generated_text: auth, details: null, echoed: auth.slice(7) }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = echo.address() as AddressInfo;
      const dir = path.join(tmp, 'echo');
      const record = path.join(dir, 'run.jsonl');
      const r = await tgc(['run', '--url', `http://127.0.0.1:${port}`, '--seed', '3', '--max-examples', '2', '--report-dir', dir, '--record', record], {
        env: { HF_TOKEN: token },
      });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(token);
      const files = readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
      expect(files.length).toBeGreaterThanOrEqual(3);
      for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(token);
      expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).toContain('$HF_TOKEN');
    } finally {
      echo.close();
    }
  });

  it('exits 2 on an unwritable report directory', async () => {
    const file = path.join(tmp, 'a-file');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'x'));
    const r = await tgc(['run', '--report-dir', path.join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tgc: cannot write to the report directory .*: (ENOTDIR|EEXIST)\n$/);
  });

  // Node 20's recursive mkdir spun here for minutes, deaf to SIGTERM, before a line was printed.
  it.skipIf(!existsSync('/proc/self'))('exits 2 at once on a report directory under /proc', async () => {
    const started = Date.now();
    const r = await tgc(['run', '--report-dir', '/proc/tgc-no-such-dir/reports']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tgc: cannot write to the report directory /proc/tgc-no-such-dir/reports: ENOENT\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

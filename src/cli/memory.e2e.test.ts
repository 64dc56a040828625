/**
 * Bounded memory (issue 17, item 3): `tgc run` (the built CLI, in a child process) against hostile
 * servers in other processes (the transport's raw-TCP test server, run by
 * src/transport/__fixtures__/hostile-process.ts). For each: exit 1, the report names the limit
 * hit and the flag that raises it, every violation is that one (one a case), and the peak
 * resident size of the tgc process (VmHWM, read from /proc while it runs) stays under 256 MB.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TgcReport } from '../report/report.js';
import type { HostileServerOptions } from '../transport/__fixtures__/hostile-server.js';
import { peakRssBytes } from './__fixtures__/peak-rss.js';
import { BIN, ROOT, startListening } from './__fixtures__/tgc-process.js';

const MB = 1024 * 1024;
const PEAK_RSS = 256 * MB;
const HOSTILE = path.join(ROOT, 'src', 'transport', '__fixtures__', 'hostile-process.ts');
const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-memory-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Hostile {
  url: string;
  stop(): void;
}

/** The hostile server in its own process; killed by `stop()`, and by itself after 2 minutes. */
async function startHostile(options: HostileServerOptions): Promise<Hostile> {
  const { url, child } = await startListening(['--import', 'tsx', HOSTILE, JSON.stringify({ ...options, lifetimeMs: 120_000 })], 'the hostile server');
  return {
    url,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

interface Measured {
  code: number | null;
  output: string;
  /** The largest VmHWM read, in bytes. */
  peakRss: number;
  report: TgcReport;
}

/** `tgc run --url URL --seed 1 --rate 0 …args`, its peak resident size polled every 20 ms. */
function run(name: string, url: string, args: readonly string[]): Promise<Measured> {
  const dir = path.join(tmp, name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', '--url', url, '--seed', '1', '--rate', '0', '--report-dir', dir, '--format', 'json', ...args], {
      cwd: ROOT,
    });
    let output = '';
    let peakRss = 0;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const poll = setInterval(() => {
      const v = peakRssBytes(child.pid);
      if (v !== undefined && v > peakRss) peakRss = v;
    }, 20);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tgc run did not finish in 60 s\n${output}`));
    }, 60_000);
    child.once('exit', () => {
      // The status is readable until the parent reaps the child: one last read.
      const v = peakRssBytes(child.pid);
      if (v !== undefined && v > peakRss) peakRss = v;
    });
    child.once('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      try {
        const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
        resolve({ code, output, peakRss, report });
      } catch (e) {
        reject(new Error(`no report.json (exit ${String(code)}): ${String(e)}\n${output}`));
      }
    });
  });
}

/** Exit 1; every violation is `kind` of response-completes, at most one a case; its message matches `named`. */
function expectOneLimitViolation(m: Measured, kind: string, named: RegExp): void {
  expect(m.code, m.output).toBe(1);
  const violations = m.report.findings.filter((f) => f.severity === 'violation');
  expect(violations.length, m.output).toBeGreaterThan(0);
  for (const f of violations) {
    expect(`${f.check} ${f.kind}`).toBe(`response-completes ${kind}`);
    expect(f.message).toMatch(named);
  }
  const cases = violations.map((f) => f.case?.id).filter((id) => id !== undefined);
  expect(new Set(cases).size).toBe(cases.length);
}

async function against(options: HostileServerOptions, name: string, args: readonly string[]): Promise<Measured> {
  const server = await startHostile(options);
  try {
    return await run(name, server.url, args);
  } finally {
    server.stop();
  }
}

// Linux only: VmHWM comes from /proc.
describe.skipIf(!existsSync(BIN) || !existsSync('/proc/self/status'))('tgc run: peak memory against hostile servers', () => {
  it('a server that streams token events forever, with the default limits: too-many-events, < 256 MB', async () => {
    const m = await against({ mode: 'endless-sse' }, 'endless-sse', ['--max-examples', '2', '--max-requests', '12']);
    expectOneLimitViolation(m, 'too-many-events', /more than \d+ data events \(the bound for max_(new_)?tokens \d+.*--max-events/);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('a server that sends a 2 GiB body (Content-Length 2 GiB): body-too-large at once, < 256 MB', async () => {
    const m = await against({ mode: 'huge-body', size: 2 * 1024 ** 3 }, 'huge-body', ['--max-examples', '2', '--max-requests', '12']);
    // A request without a bound (top_n_tokens: top tokens may list the vocabulary) meets maxBodyBytes.
    expectOneLimitViolation(
      m,
      'body-too-large',
      /^the body declares Content-Length 2147483648, more than (\d+ bytes \(the bound for max_new_tokens \d+.*not read; --max-body-bytes N sets another bound|maxBodyBytes \(10485760 bytes\); not read; --max-body-bytes raises it$)/,
    );
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('a server that sends a 2 GiB body without a Content-Length: body-too-large at the bound its request sets, < 256 MB', async () => {
    const m = await against({ mode: 'huge-body', size: 2 * 1024 ** 3, undeclared: true }, 'huge-body-undeclared', ['--max-examples', '2', '--max-requests', '12']);
    expectOneLimitViolation(
      m,
      'body-too-large',
      /^the (body|stream) exceeded (\d+ bytes \(the bound for max_new_tokens \d+.*reading stopped after \d+ bytes; --max-body-bytes N sets another bound|maxBodyBytes \(10485760 bytes\); --max-body-bytes raises it$)/,
    );
    expect(m.report.findings.filter((f) => f.message.includes('the bound for max_new_tokens')).length, m.output).toBeGreaterThan(0);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('a server that answers every request with an endless 500 body, 8 at once: body-too-large past 1 MiB and the request, < 256 MB', async () => {
    const m = await against({ mode: 'huge-body', size: 2 * 1024 ** 3, undeclared: true, status: '500 Internal Server Error' }, 'huge-error-body', [
      '--max-examples', '2', '--max-requests', '24', '--concurrency', '8',
    ]);
    expectOneLimitViolation(m, 'body-too-large', /^the body exceeded \d+ bytes \(the bound for an answer that is not 2xx, to a request of \d+ bytes: 1 MiB, plus four times the request.*--max-body-bytes N sets another bound/);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('JSON nested a million deep: kept as text, never parsed, < 256 MB', async () => {
    // 2 MB of brackets: past the bound a request sets on its answer, so --max-body-bytes (given,
    // even at its default) lifts it and lets the nesting be what stops the parse.
    const m = await against({ mode: 'deep-json', depth: 1_000_000 }, 'deep-json', ['--max-examples', '2', '--max-requests', '12', '--max-body-bytes', '10485760']);
    expectOneLimitViolation(m, 'protocol-error', /nested more than 1000 levels deep; kept as text, not parsed/);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('response headers that never end, flooding: node’s header limit, < 256 MB', async () => {
    const m = await against({ mode: 'header-flood' }, 'header-flood', ['--max-examples', '2', '--max-requests', '12']);
    expectOneLimitViolation(m, 'protocol-error', /response headers exceed node's limit \(\d+ bytes; `node --max-http-header-size` raises it\)/);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('response headers that never end, dripping: the request deadline, < 256 MB', async () => {
    const m = await against({ mode: 'header-drip', dripMs: 10 }, 'header-drip', ['--max-examples', '2', '--max-requests', '12', '--timeout-ms', '1500']);
    expectOneLimitViolation(m, 'deadline', /response headers did not complete within timeoutMs \(1500 ms\); --timeout-ms raises it/);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });

  it('many slow streams at once (--concurrency 32): the stream deadline, < 256 MB', async () => {
    const m = await against({ mode: 'slow-streams', dripMs: 250 }, 'slow-streams', [
      '--max-examples', '4', '--max-requests', '64', '--concurrency', '32', '--stream-timeout-ms', '2500',
    ]);
    expectOneLimitViolation(m, 'stream-deadline', /did not end within streamTotalMs \(2500 ms\).*--stream-timeout-ms raises it/);
    expect(m.report.findings.filter((f) => f.kind === 'stream-deadline').length).toBeGreaterThan(32);
    expect(m.peakRss).toBeLessThan(PEAK_RSS);
  });
});

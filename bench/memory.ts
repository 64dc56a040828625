/**
 * Peak resident memory of a `tgc run` process, measured from outside (its VmHWM in /proc, read
 * every 20 ms while it runs), against a server in another process:
 *
 * - `memory.run10kMB`: a clean run of about 10,000 cases against `tgc mock`;
 * - `memory.run10kFaultedMB`: the same against `tgc mock --fault generated-text-renamed`, which
 *   fails every non-stream response (thousands of findings: the report lists the first of each
 *   kind and counts the rest);
 * - the hostile servers of issue 17 item 3 (src/transport/__fixtures__/hostile-server.ts, run in
 *   their own process with tsx): an endless SSE stream, a 2 GB body, JSON nested a million deep,
 *   headers that never end, many slow streams at once.
 *
 * Goal: under 256 MB each. Every measurement is bounded in time; one that runs out of time has no
 * value (null) and says so.
 *
 * Environment: BENCH_MEMORY_CASES=10000 (cases of the two long runs; fewer for a quick look),
 * BENCH_MEMORY_ONLY=run10k,run10kFaulted,endlessSse,hugeBody,hugeBodyUndeclared,hugeBodyConcurrent,hugeErrorBody,deepJson,headerFlood,slowStreams.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peakRssBytes } from '../src/cli/__fixtures__/peak-rss.js';
import { CLI, envInt, log, round, ROOT, startListening, startMock, type ListeningProcess, type Metric } from './lib.js';

export const MEMORY_GOAL_MB = 256;
/** A fault of `tgc mock` that fails many cases: every non-stream answer lacks `generated_text`. */
export const MEMORY_FAULT = 'generated-text-renamed';
const HOSTILE_PROCESS = path.join(ROOT, 'src', 'transport', '__fixtures__', 'hostile-process.ts');
/** tgc's native plan: about 4.08 cases per --max-examples (3 positive routes, and the fixed cases). */
const CASES_PER_EXAMPLE = 4.08;

/** One `tgc run` measured: its peak RSS, how long it took, how it ended. */
interface Measured {
  peakMB: number | null;
  seconds: number;
  exitCode: number | null;
  timedOut: boolean;
  /** The run's own summary line, when it printed one. */
  summary?: string;
  error?: string;
}

interface HostileCase {
  key: string;
  label: string;
  server: Record<string, unknown>;
  args: string[];
  timeoutMs: number;
}

/**
 * The hostile servers, each with a run that meets it a few times: tgc stops reading at its limits
 * and goes on, so a run ends within its deadlines. Options the server does not know yet are
 * ignored by it (the mode's default then applies).
 */
/** A short run: one example of each case, six requests, two at once. */
const FEW = ['--max-examples', '1', '--max-requests', '6', '--concurrency', '2'];

const HOSTILE: readonly HostileCase[] = [
  {
    key: 'memory.endlessSseMB',
    label: 'an endless SSE stream',
    server: { mode: 'endless-sse' },
    args: [...FEW, '--stream-timeout-ms', '20000'],
    timeoutMs: 90_000,
  },
  {
    key: 'memory.hugeBodyMB',
    label: 'a 2 GB body',
    server: { mode: 'huge-body', size: 2 * 1024 ** 3 },
    args: FEW,
    timeoutMs: 90_000,
  },
  {
    key: 'memory.hugeBodyUndeclaredMB',
    label: 'a 2 GB body without Content-Length',
    server: { mode: 'huge-body', size: 2 * 1024 ** 3, undeclared: true },
    args: FEW,
    timeoutMs: 90_000,
  },
  {
    // Eight at once, forty in all: the requests that set no bound on their answer (top tokens) meet 10 MiB each.
    key: 'memory.hugeBodyConcurrentMB',
    label: 'a 2 GB body without Content-Length, 8 requests at once',
    server: { mode: 'huge-body', size: 2 * 1024 ** 3, undeclared: true },
    args: ['--max-examples', '2', '--max-requests', '40', '--concurrency', '8'],
    timeoutMs: 90_000,
  },
  {
    key: 'memory.hugeErrorBodyMB',
    label: 'an endless 500 body, 8 requests at once',
    server: { mode: 'huge-body', size: 2 * 1024 ** 3, undeclared: true, status: '500 Internal Server Error' },
    args: ['--max-examples', '2', '--max-requests', '40', '--concurrency', '8'],
    timeoutMs: 90_000,
  },
  {
    key: 'memory.deepJsonMB',
    label: 'JSON nested 1e6 deep',
    server: { mode: 'deep-json', depth: 1_000_000 },
    // Given, the limit lifts the request's bound on the answer's bytes: the nesting stops the parse.
    args: [...FEW, '--max-body-bytes', '10485760'],
    timeoutMs: 90_000,
  },
  {
    key: 'memory.headerFloodMB',
    label: 'headers that never end',
    server: { mode: 'header-flood' },
    args: [...FEW, '--timeout-ms', '10000'],
    timeoutMs: 90_000,
  },
  {
    key: 'memory.slowStreamsMB',
    label: 'many slow streams at once',
    server: { mode: 'slow-streams', dripMs: 50 },
    args: ['--max-examples', '20', '--max-requests', '200', '--concurrency', '200', '--stream-timeout-ms', '15000'],
    timeoutMs: 90_000,
  },
];

/** Runs `tgc run` with `args` to its end or `timeoutMs`, sampling its peak RSS from outside. */
function measureRun(args: readonly string[], timeoutMs: number): Promise<Measured> {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'tgc-bench-memory-'));
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'run', '--seed', '1', '--rate', '0', '--report-dir', reportDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  let peakKiB = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout = (stdout + c.toString()).slice(-4000)));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const sample = (): void => {
    const bytes = peakRssBytes(child.pid);
    if (bytes !== undefined && bytes / 1024 > peakKiB) peakKiB = bytes / 1024;
  };
  const poll = setInterval(sample, 20);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    sample();
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise<Measured>((resolve) => {
    const finish = (exitCode: number | null, error?: string): void => {
      clearInterval(poll);
      clearTimeout(timer);
      rmSync(reportDir, { recursive: true, force: true });
      const summary = /tgc: (?:INTERRUPTED: )?\d+ checks, [^\n]*/.exec(stdout)?.[0];
      resolve({
        peakMB: peakKiB > 0 ? round(peakKiB / 1024) : null,
        seconds: round((Date.now() - started) / 1000),
        exitCode,
        timedOut,
        ...(summary ? { summary } : {}),
        ...(error ? { error } : exitCode !== 0 && exitCode !== 1 && !timedOut ? { error: stderr.trim().split('\n').slice(-3).join(' | ') } : {}),
      });
    };
    child.once('error', (e) => finish(null, e.message));
    child.once('exit', (code) => finish(code));
  });
}

/** Starts the raw-TCP hostile server in its own process (tsx), and waits for its URL. */
function startHostile(options: Record<string, unknown>): Promise<ListeningProcess> {
  return startListening('hostile server', ['--import', 'tsx', HOSTILE_PROCESS, JSON.stringify({ ...options, lifetimeMs: 300_000 })], {
    stdin: 'pipe',
    cwd: ROOT,
    stopSignal: 'SIGTERM',
    graceMs: 3_000,
  });
}

function selectedParts(): Set<string> | undefined {
  const raw = process.env['BENCH_MEMORY_ONLY'];
  return raw ? new Set(raw.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
}

const short = (key: string): string => key.replace(/^memory\./, '').replace(/MB$/, '');

export async function benchMemory(): Promise<Record<string, unknown> & { metrics: Metric[] }> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run npm run build first`);
  const only = selectedParts();
  const wanted = (key: string): boolean => !only || only.has(short(key));
  const cases = envInt('BENCH_MEMORY_CASES', 10_000);
  const examples = Math.max(1, Math.round(cases / CASES_PER_EXAMPLE));
  // A run of 10,000 cases takes about a minute against tgc mock on a quiet machine.
  const longTimeoutMs = Math.max(60_000, cases * 25);
  const runs: Record<string, Measured & { label: string }> = {};
  const metrics: Metric[] = [];
  const add = (key: string, label: string, m: Measured | undefined): void => {
    metrics.push({ key, label, value: m && !m.timedOut && m.error === undefined ? m.peakMB : null, goal: MEMORY_GOAL_MB, better: 'lower' });
    if (m) runs[key] = { ...m, label };
  };

  for (const [key, fault] of [
    ['memory.run10kMB', undefined],
    ['memory.run10kFaultedMB', MEMORY_FAULT],
  ] as const) {
    const label = `peak RSS of tgc run, ${cases} cases against tgc mock${fault ? ` --fault ${fault}` : ''} (MB)`;
    if (!wanted(key)) continue;
    const mock = await startMock(fault ? ['--fault', fault] : []);
    try {
      log(`memory: ${cases} cases${fault ? ` (--fault ${fault})` : ''}…`);
      const m = await measureRun(['--url', mock.url, '--max-examples', String(examples), '--max-requests', String(Math.max(20_000, cases * 2))], longTimeoutMs);
      log(`memory: ${short(key)} ${m.peakMB ?? 'n/a'} MB in ${m.seconds} s${m.timedOut ? ' (timed out)' : ''}${m.summary ? `: ${m.summary}` : ''}`);
      add(key, label, m);
    } finally {
      await mock.stop();
    }
  }

  for (const h of HOSTILE) {
    if (!wanted(h.key)) continue;
    const label = `peak RSS of tgc run against ${h.label} (MB)`;
    let server: ListeningProcess | undefined;
    try {
      server = await startHostile(h.server);
      log(`memory: ${h.label}…`);
      const m = await measureRun(['--url', server.url, ...h.args], h.timeoutMs);
      log(`memory: ${short(h.key)} ${m.peakMB ?? 'n/a'} MB in ${m.seconds} s${m.timedOut ? ' (timed out)' : ''}`);
      add(h.key, label, m);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`memory: ${short(h.key)}: ${message}`);
      add(h.key, label, { peakMB: null, seconds: 0, exitCode: null, timedOut: false, error: message });
    } finally {
      await server?.stop();
    }
  }

  return {
    goalMB: MEMORY_GOAL_MB,
    cases,
    maxExamples: examples,
    fault: MEMORY_FAULT,
    method: 'VmHWM of the tgc run process from /proc/<pid>/status, read every 20 ms from this process; servers in their own processes',
    runs,
    metrics,
  };
}

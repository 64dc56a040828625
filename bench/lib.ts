/**
 * Helpers shared by the benchmarks: timing (wall and CPU), medians, seeded randomness, child
 * processes, the machine's description.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (bench/ is one level down). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** tgc's command line, as built by `npm run build`. */
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const MiB = 1024 * 1024;

export interface Sample {
  wallMs: number;
  /** User + system CPU of this process (GC threads included), in ms. */
  cpuMs: number;
}

/** Times one call of `fn` (no forced GC: see validation.ts on why not between short turns). */
export function measure<T>(fn: () => T): { value: T; sample: Sample } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, sample: { wallMs, cpuMs: (used.user + used.system) / 1000 } };
}

export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc(); // a second pass collects what the first one's finalisation released
  }
}

export function hasGc(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Rounds for JSON and tables: 3 significant digits, integers kept whole. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 10 ** digits) return Math.round(value);
  return Number(value.toPrecision(digits));
}

/** mulberry32: a small seeded generator, so that every run feeds the same bytes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** Reads an integer from the environment (for quicker runs while developing the bench). */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

export interface Machine {
  node: string;
  v8: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  loadAverage1m: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGB: round(os.totalmem() / 1024 ** 3),
    loadAverage1m: round(os.loadavg()[0] ?? 0),
  };
}

/** Installed versions of the packages the benchmarks exercise. */
export function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  out['tgc'] = own.version;
  for (const name of ['eventsource-parser', 'ajv', 'autocannon', 'fast-check', 'msw']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      out[name] = pkg.version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

/** A process of the bench's that serves on a port (`tgc mock`, `tgc proxy`, the hostile server). */
export interface ListeningProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export type Mock = ListeningProcess;

/**
 * Starts `args` under this node and waits (30 s at most) for its "listening on URL" line; its
 * output is drained after. `stop()` sends `stopSignal`, then SIGKILL after `graceMs`.
 */
export async function startListening(
  what: string,
  args: readonly string[],
  options: { stdin?: 'ignore' | 'pipe'; cwd?: string; stopSignal: NodeJS.Signals; graceMs: number },
): Promise<ListeningProcess> {
  const child = spawn(process.execPath, args, { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${String(code)} before listening: ${output.slice(-500)}`));
    });
  });
  // Keep draining its lines (a log line a request, or one a finding).
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(options.stopSignal);
      }),
  };
}

/**
 * Starts `tgc mock` in its own process and waits for its "listening on URL" line.
 */
export function startMock(extra: readonly string[] = []): Promise<Mock> {
  const args = [CLI, 'mock', '--port', '0', '--latency-ms', '0', '--max-concurrent-requests', '1000', ...extra];
  return startListening('tgc mock', args, { stopSignal: 'SIGINT', graceMs: 5_000 });
}

/** Runs a command to its end; rejects on a spawn failure only. */
export function runProcess(args: readonly string[], options: { cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd ?? ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** CPU seconds a child process has used so far (Linux /proc), or undefined elsewhere. */
export function childCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * One figure a benchmark guards: printed by `npm run bench` with its goal, and judged by
 * `npm run bench -- --check` (which exits 1 when one falls short). `value` is null when the
 * figure could not be measured (skipped or failed): that counts as falling short under --check.
 */
export interface Metric {
  /** Dotted name, as in reports/bench.json: `validation.ratio`, `stream.heapGrowthMB`, … */
  key: string;
  /** What it measures, for the table. */
  label: string;
  value: number | null;
  goal: number;
  better: 'higher' | 'lower';
}

/** True when the metric meets its goal; false when it falls short or was not measured. */
export function metricMet(m: Pick<Metric, 'value' | 'goal' | 'better'>): boolean {
  if (m.value === null || !Number.isFinite(m.value)) return false;
  return m.better === 'lower' ? m.value <= m.goal : m.value >= m.goal;
}

/** The better of two values of one metric (null counts as the worst). */
export function betterValue(better: Metric['better'], a: number | null, b: number | null): number | null {
  if (a === null || !Number.isFinite(a)) return b;
  if (b === null || !Number.isFinite(b)) return a;
  return better === 'lower' ? Math.min(a, b) : Math.max(a, b);
}

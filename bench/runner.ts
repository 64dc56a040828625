/**
 * runner: tgc's request rate ÷ autocannon's, on the same server (`tgc mock --latency-ms 0` in a
 * process of its own), the same request bytes and the same connection count (8, kept alive on
 * both sides), measured side by side: every round runs the four measurements below, the order
 * rotating each round; medians over the rounds (issue 17, item 2: each ratio at least 0.8).
 *
 * - `mixRatio`: tgc's run (`runConformance` with `tgc run`'s options: `--concurrency 8 --rate 0
 *   --max-examples N --seed 1`, in a child process: bench/runner-child.ts) ÷ autocannon replaying
 *   the very requests that run sent (recorded with `tgc run --record` in a warm-up, with their
 *   headers, shuffled with a fixed seed, round-robin) for `BENCH_RUNNER_SECONDS`. tgc's rate is
 *   the requests it sent after planning ÷ the time from its first case to its report (judging,
 *   scenarios, shrinking and building the report included; start-up, i.e. loading, compiling the
 *   contract and planning, is not a rate and is reported apart as `startupMs`).
 * - `fixedRatio`: tgc's engine sending one fixed request again and again (the plan replaced by
 *   copies of one positive case with the fixed body: scheduler, transport, decoding, every check
 *   and the report, as `tgc run` judges any case) ÷ autocannon sending the same bytes. tgc's
 *   count is chosen to take about as long as autocannon's run.
 * - `ratio` (kept from before): tgc's mix ÷ autocannon fixed, i.e. the cost of tgc's requests
 *   and of tgc as a client together.
 *
 * Both sides send `accept`, `user-agent`, `content-type` and `accept-encoding: identity` as tgc
 * does. `BENCH_RUNNER_CONNECTION_CLOSE=1` makes autocannon send `connection: close` (one
 * connection per request: what tgc's transport did before it kept connections alive).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { ChildArgs, ChildResult } from './runner-child.js';
import { parseExchangeLine, stringifyJson } from './tgc.js';
import type { ExactJson } from '../dist/core/json.js';
import { childCpuMs, CLI, envInt, log, median, ROOT, round, runProcess, seededRandom, startMock, type Metric, type Mock } from './lib.js';

/** Issue 17, item 2. */
export const RUNNER_TARGET = 0.8;
const CONCURRENCY = 8;
export const FIXED_BODY = '{"inputs":"The capital of France is","parameters":{"details":true,"max_new_tokens":8}}';
/** The most one child run may take before it is killed (a bound, not an expectation). */
const CHILD_TIMEOUT_MS = 180_000;

/** The surface the runner drives: TGI's native routes, or the OpenAI-compatible ones of the same mock. */
interface Surface {
  api: 'tgi' | 'openai';
  /** The metrics' key prefix, as bench/run.ts names the benchmark. */
  name: 'runner' | 'runnerOpenai';
  /** What `tgc run --url` takes, under the mock's address. */
  base: (mockUrl: string) => string;
  /** The fixed request: its path on the mock, tgc's name for its route, its body. */
  fixedPath: string;
  fixedRoute: string;
  fixedBody: string;
}

const SURFACES: Record<'tgi' | 'openai', Surface> = {
  tgi: { api: 'tgi', name: 'runner', base: (u) => u, fixedPath: '/generate', fixedRoute: 'POST /generate', fixedBody: FIXED_BODY },
  openai: {
    api: 'openai',
    name: 'runnerOpenai',
    base: (u) => `${u}/v1`,
    fixedPath: '/v1/chat/completions',
    fixedRoute: 'POST /v1/chat/completions',
    fixedBody: '{"messages":[{"role":"user","content":"The capital of France is"}],"max_tokens":8}',
  },
};

interface Replayed {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface TgcRun extends ChildResult {
  mockCpuMsPerRequest?: number;
}

interface CannonRun {
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  latencyMs: number;
  mockCpuMsPerRequest?: number;
}

/** Runs bench/runner-child.ts in a process of its own, killed after CHILD_TIMEOUT_MS. */
function runChild(args: ChildArgs, mock: Mock): Promise<TgcRun> {
  const cpu0 = childCpuMs(mock.child.pid);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'runner-child.ts'), JSON.stringify(args)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const cpu1 = childCpuMs(mock.child.pid);
      try {
        const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
        resolve({ ...r, ...(cpu0 !== undefined && cpu1 !== undefined && r.requests > 0 ? { mockCpuMsPerRequest: (cpu1 - cpu0) / r.requests } : {}) });
      } catch {
        reject(new Error(`runner-child (${args.mode}) exited with ${String(code)}: ${stderr.slice(-2000)}`));
      }
    });
  });
}

/** `tgc run` itself (the CLI, its whole process), recording its requests: the warm-up. */
async function runCli(surface: Surface, mock: Mock, examples: number, dir: string, record: string): Promise<{ requests: number; rps: number }> {
  const args = [CLI, 'run', '--api', surface.api, '--url', surface.base(mock.url), '--concurrency', String(CONCURRENCY), '--rate', '0',
    '--max-examples', String(examples), '--max-requests', '1000000', '--seed', '1', '--report-dir', dir, '--format', 'json', '--record', record];
  const r = await runProcess(args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`tgc run exited with ${String(r.code)}: ${r.stderr}${r.stdout.slice(-2000)}`);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { durationMs: number; summary: { requests: number } };
  return { requests: report.summary.requests, rps: report.summary.requests / (report.durationMs / 1000) };
}

async function runCannon(mock: Mock, seconds: number, requests: readonly Replayed[]): Promise<CannonRun> {
  const cpu0 = childCpuMs(mock.child.pid);
  const close = process.env['BENCH_RUNNER_CONNECTION_CLOSE'] === '1';
  let next = 0;
  const result = await autocannon({
    url: mock.url,
    connections: CONCURRENCY,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const m = requests[next++ % requests.length] as Replayed;
          return {
            ...req,
            method: m.method,
            path: m.path,
            headers: close ? { ...m.headers, connection: 'close' } : m.headers,
            ...(m.body !== undefined ? { body: m.body } : {}),
          };
        },
      },
    ],
  });
  const cpu1 = childCpuMs(mock.child.pid);
  const total = result.requests.total;
  return {
    rps: total / result.duration,
    requests: total,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: result.latency.average,
    ...(cpu0 !== undefined && cpu1 !== undefined && total > 0 ? { mockCpuMsPerRequest: (cpu1 - cpu0) / total } : {}),
  };
}

/** The headers tgc sends (without Authorization, which the recording never holds), and identity. */
function wireHeaders(recorded: Record<string, string> | undefined): Record<string, string> {
  return { ...recorded, 'accept-encoding': 'identity' };
}

/** The requests of tgc's run, as recorded, with their headers; shuffled with a fixed seed. */
function readMix(file: string): Replayed[] {
  const out: Replayed[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    // Parsed exactly: a request's integers beyond 2^53 are replayed as sent.
    const parsed = parseExchangeLine(line);
    if (!parsed.ok) throw new Error(`the warm-up's recording: ${parsed.error}`);
    const e = parsed.exchange;
    // Route names are the paths on the server (`POST /generate`, `POST /v1/chat/completions`).
    const [method, route] = e.route.split(' ') as ['GET' | 'POST', string];
    // A body that was not JSON is not in the recording: that request is left out of the replay.
    if (method === 'POST' && e.request === undefined) continue;
    const body = method === 'POST' ? stringifyJson(e.request as ExactJson) : undefined;
    out.push({ method, path: route, headers: wireHeaders(e.requestHeaders), ...(body !== undefined ? { body } : {}) });
  }
  const random = seededRandom(3);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as Replayed, out[i] as Replayed];
  }
  return out;
}

/** The runner on the OpenAI-compatible routes of the same mock, with this API's request mix. */
export function benchRunnerOpenAI(): Promise<Record<string, unknown>> {
  return benchRunner('openai');
}

export async function benchRunner(api: 'tgi' | 'openai' = 'tgi'): Promise<Record<string, unknown>> {
  const surface = SURFACES[api];
  const rounds = envInt('BENCH_ROUNDS', 3);
  const examples = envInt('BENCH_RUNNER_EXAMPLES', 100);
  const seconds = envInt('BENCH_RUNNER_SECONDS', 5);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tgc-bench-runner-'));
  const mock = await startMock();
  log(`${surface.name}: mock at ${mock.url} (pid ${String(mock.child.pid)}); tgc --max-examples ${examples}, autocannon ${seconds} s; ${rounds} rounds`);
  try {
    // Warm-up (not counted): the mock's JIT, and tgc's requests recorded for the mix.
    const record = path.join(tmp, 'requests.jsonl');
    const cli = await runCli(surface, mock, examples, path.join(tmp, 'warm'), record);
    const mix = readMix(record);
    if (mix.length === 0) throw new Error('the warm-up recorded no request to replay');
    const fixedRequest: Replayed = {
      method: 'POST',
      path: surface.fixedPath,
      headers: wireHeaders(mix.find((m) => m.method === 'POST' && m.headers['content-type'] === 'application/json')?.headers),
      body: surface.fixedBody,
    };
    const base: Omit<ChildArgs, 'mode'> = { api: surface.api, url: surface.base(mock.url), concurrency: CONCURRENCY, examples };
    const fixedArgs = (count: number): ChildArgs => ({ ...base, mode: 'fixed', examples: 1, count, fixed: { route: surface.fixedRoute, body: surface.fixedBody } });
    const calibration = await runChild(fixedArgs(300), mock);
    await runCannon(mock, 1, [fixedRequest]);
    log(`${surface.name}: warm-up: tgc run ${cli.requests} requests (${cli.rps.toFixed(0)}/s, start-up included); mix of ${mix.length} recorded requests; tgc fixed ${calibration.rps.toFixed(0)}/s`);

    const tgcMix: TgcRun[] = [];
    const tgcFixed: TgcRun[] = [];
    const cannonFixed: CannonRun[] = [];
    const cannonMix: CannonRun[] = [];
    let fixedRate = calibration.rps;
    const steps: (() => Promise<void>)[] = [
      async () => {
        tgcMix.push(await runChild({ ...base, mode: 'mix' }, mock));
      },
      async () => {
        const r = await runChild(fixedArgs(Math.max(200, Math.round(fixedRate * seconds))), mock);
        fixedRate = r.rps;
        tgcFixed.push(r);
      },
      async () => {
        cannonFixed.push(await runCannon(mock, seconds, [fixedRequest]));
      },
      async () => {
        cannonMix.push(await runCannon(mock, seconds, mix));
      },
    ];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < steps.length; k++) await (steps[(r + k) % steps.length] as () => Promise<void>)();
      log(
        `${surface.name}: round ${r + 1}/${rounds}: mix tgc ${tgcMix.at(-1)?.rps.toFixed(0)}/s vs autocannon ${cannonMix.at(-1)?.rps.toFixed(0)}/s; ` +
          `fixed tgc ${tgcFixed.at(-1)?.rps.toFixed(0)}/s vs autocannon ${cannonFixed.at(-1)?.rps.toFixed(0)}/s`,
      );
    }
    const mixRps = median(tgcMix.map((t) => t.rps));
    const fixedRps = median(tgcFixed.map((t) => t.rps));
    const cannonFixedRps = median(cannonFixed.map((t) => t.rps));
    const cannonMixRps = median(cannonMix.map((t) => t.rps));
    const mixRatio = mixRps / cannonMixRps;
    const fixedRatio = fixedRps / cannonFixedRps;
    const perRequest = (runs: readonly { mockCpuMsPerRequest?: number }[]): number | null => {
      const v = runs.map((r) => r.mockCpuMsPerRequest).filter((x): x is number => x !== undefined);
      return v.length > 0 ? round(median(v)) : null;
    };
    const metrics: Metric[] = [
      {
        key: `${surface.name}.mixRatio`,
        label: `${surface.name}.mixRatio (tgc run req/s ÷ autocannon replaying the same requests, keep-alive, 8 connections)`,
        value: round(mixRatio),
        goal: RUNNER_TARGET,
        better: 'higher',
      },
      {
        key: `${surface.name}.fixedRatio`,
        label: `${surface.name}.fixedRatio (tgc judging one fixed request req/s ÷ autocannon sending its bytes, keep-alive, 8 connections)`,
        value: round(fixedRatio),
        goal: RUNNER_TARGET,
        better: 'higher',
      },
    ];
    const cannon = (c: CannonRun): Record<string, number> => ({ rps: round(c.rps), non2xx: c.non2xx, errors: c.errors, latencyMs: round(c.latencyMs) });
    return {
      api,
      metrics,
      mixRatio: round(mixRatio),
      fixedRatio: round(fixedRatio),
      ratio: round(mixRps / cannonFixedRps),
      target: RUNNER_TARGET,
      met: mixRatio >= RUNNER_TARGET && fixedRatio >= RUNNER_TARGET,
      roundRatios: {
        mix: tgcMix.map((t, i) => round(t.rps / (cannonMix[i]?.rps ?? Number.NaN))),
        fixed: tgcFixed.map((t, i) => round(t.rps / (cannonFixed[i]?.rps ?? Number.NaN))),
      },
      requestsPerSecond: { tgc: round(mixRps), tgcFixed: round(fixedRps), autocannonFixed: round(cannonFixedRps), autocannonMix: round(cannonMixRps) },
      mockRps: round(cannonFixedRps),
      startupMs: round(median(tgcMix.map((t) => t.startupMs))),
      wholeRun: { note: '`tgc run` (the CLI) in the warm-up: requests ÷ its report\'s durationMs, start-up included', requests: cli.requests, rps: round(cli.rps) },
      tgcCpuMsPerRequest: {
        note: "tgc's own CPU (user + system) in its window, per request: what a loaded machine's ratio follows",
        mix: round(median(tgcMix.map((t) => t.cpuMsPerRequest))),
        fixed: round(median(tgcFixed.map((t) => t.cpuMsPerRequest))),
      },
      mockCpuMsPerRequest: { tgc: perRequest(tgcMix), tgcFixed: perRequest(tgcFixed), autocannonFixed: perRequest(cannonFixed), autocannonMix: perRequest(cannonMix) },
      tgc: {
        maxExamples: examples,
        mix: tgcMix.map((t) => ({ rps: round(t.rps), requests: t.requests, windowMs: round(t.windowMs), cpuMsPerRequest: round(t.cpuMsPerRequest), violations: t.violations })),
        fixed: tgcFixed.map((t) => ({ rps: round(t.rps), cases: t.cases, windowMs: round(t.windowMs), cpuMsPerRequest: round(t.cpuMsPerRequest), violations: t.violations })),
      },
      autocannon: {
        seconds,
        connections: CONCURRENCY,
        connectionClose: process.env['BENCH_RUNNER_CONNECTION_CLOSE'] === '1',
        fixedBody: surface.fixedBody,
        fixed: cannonFixed.map(cannon),
        mixRequests: mix.length,
        mix: cannonMix.map(cannon),
      },
      rounds,
      timed:
        'tgc: bench/runner-child.ts (runConformance with tgc run\'s options, its own process): requests from the first case to the report ÷ that time; ' +
        'autocannon (programmatic, in the bench process): total responses / duration; both with 8 kept-alive connections to `tgc mock --latency-ms 0 --max-concurrent-requests 1000` (another process)',
    };
  } finally {
    await mock.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

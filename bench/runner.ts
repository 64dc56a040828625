/**
 * runner.ratio: requests per second that `tgc run` drives against `tgc mock --latency-ms 0`
 * (its own process) at concurrency 8, over what autocannon drives against the same mock with 8
 * connections. Runs alternate, the order rotating each round; medians.
 *
 * tgc: `node dist/cli/main.js run --url … --concurrency 8 --rate 0 --max-examples N --seed 1`,
 * requests/s = summary.requests / durationMs of its report.json (the process's start-up is
 * excluded; the report's duration does include planning the cases, before the first request, and
 * compiling the contract's validators: both are timed apart in `startupMs`).
 *
 * autocannon, twice per round, 5 s each:
 * - `fixed`: POST /generate `{"inputs":"The capital of France is","parameters":{"details":true,
 *   "max_new_tokens":8}}`, the body the issue names: the ratio's denominator, and the mock's own
 *   throughput.
 * - `mix`: the requests tgc itself sent (recorded with --record in a warm-up run, shuffled with a
 *   fixed seed, replayed round-robin), each on a fresh connection (`connection: close`), as tgc's
 *   transport sends them: the same server work per request as tgc's run, so that tgc's cost as a
 *   client (runner.mixRatio) shows apart from the cost of the requests it chooses
 *   (autocannonMix / autocannonFixed). Bodies that tgc sent raw (not JSON) are replayed as
 *   recorded, i.e. as their parsed value, when there is one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { stringifyJson, type RecordedExchange } from './tgc.js';
import { childCpuMs, CLI, envInt, log, median, ROOT, round, runProcess, seededRandom, startMock, type Mock } from './lib.js';

export const RUNNER_TARGET = 0.5;
const CONCURRENCY = 8;
export const FIXED_BODY = '{"inputs":"The capital of France is","parameters":{"details":true,"max_new_tokens":8}}';

/** The surface the runner drives: TGI's native routes, or the OpenAI-compatible ones of the same mock. */
interface Surface {
  api: 'tgi' | 'openai';
  /** What `tgc run --url` takes, under the mock's address. */
  base: (mockUrl: string) => string;
  /** autocannon's fixed request. */
  fixedPath: string;
  fixedBody: string;
}

const SURFACES: Record<'tgi' | 'openai', Surface> = {
  tgi: { api: 'tgi', base: (u) => u, fixedPath: '/generate', fixedBody: FIXED_BODY },
  openai: {
    api: 'openai',
    base: (u) => `${u}/v1`,
    fixedPath: '/v1/chat/completions',
    fixedBody: '{"messages":[{"role":"user","content":"The capital of France is"}],"max_tokens":8}',
  },
};

interface Replayed {
  path: string;
  body: string;
}

interface TgcRun {
  rps: number;
  requests: number;
  durationMs: number;
  cases: number;
  violations: number;
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

async function runTgc(surface: Surface, mock: Mock, examples: number, dir: string, record?: string): Promise<TgcRun> {
  const cpu0 = childCpuMs(mock.child.pid);
  const args = [CLI, 'run', '--api', surface.api, '--url', surface.base(mock.url), '--concurrency', String(CONCURRENCY), '--rate', '0',
    '--max-examples', String(examples), '--max-requests', '1000000', '--seed', '1', '--report-dir', dir, '--format', 'json'];
  if (record) args.push('--record', record);
  const r = await runProcess(args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`tgc run exited with ${String(r.code)}: ${r.stderr}${r.stdout.slice(-2000)}`);
  const cpu1 = childCpuMs(mock.child.pid);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
    durationMs: number;
    summary: { requests: number; cases: number; violations: number };
  };
  return {
    rps: report.summary.requests / (report.durationMs / 1000),
    requests: report.summary.requests,
    durationMs: report.durationMs,
    cases: report.summary.cases,
    violations: report.summary.violations,
    ...(cpu0 !== undefined && cpu1 !== undefined ? { mockCpuMsPerRequest: (cpu1 - cpu0) / report.summary.requests } : {}),
  };
}

async function runCannon(surface: Surface, mock: Mock, seconds: number, mix?: readonly Replayed[]): Promise<CannonRun> {
  const cpu0 = childCpuMs(mock.child.pid);
  const headers = { 'content-type': 'application/json' };
  let next = 0;
  const result = await autocannon({
    url: mix ? mock.url : `${mock.url}${surface.fixedPath}`,
    connections: CONCURRENCY,
    duration: seconds,
    timeout: 30,
    ...(mix
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const m = mix[next++ % mix.length] as Replayed;
                // A fresh connection per request, as tgc's transport opens (agent: false).
                return { ...req, method: 'POST', path: m.path, headers: { ...headers, connection: 'close' }, body: m.body };
              },
            },
          ],
        }
      : { method: 'POST', headers, body: surface.fixedBody }),
  });
  const cpu1 = childCpuMs(mock.child.pid);
  const requests = result.requests.total;
  return {
    rps: requests / result.duration,
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: result.latency.average,
    ...(cpu0 !== undefined && cpu1 !== undefined && requests > 0 ? { mockCpuMsPerRequest: (cpu1 - cpu0) / requests } : {}),
  };
}

/**
 * What `tgc run` does besides sending, timed in a fresh process: compiling the contract (ajv; on
 * first use of each validator) and planning the cases (fast-check, before the first case is
 * sent). Both fall inside the report's duration.
 */
async function startupCosts(examples: number): Promise<{ contractMs: number; planMs: number } | { error: string }> {
  const url = (p: string): string => JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', p)).href);
  const script = `
    const { loadContract } = await import(${url('contract/contract.js')});
    const { planCases, TGI_SURFACE } = await import(${url('engine/cases.js')});
    const { TGI_DEFAULT_LIMITS } = await import(${url('engine/options.js')});
    const t0 = performance.now();
    // Validators may be compiled on first use: use each kind of body once.
    const contract = await loadContract();
    contract.request({ inputs: 'Hi', parameters: { max_new_tokens: 1 } }, 'POST /generate');
    contract.request({ inputs: 'Hi', parameters: { max_new_tokens: 1 } }, 'POST /');
    contract.response({ generated_text: 'x' }, 'object');
    contract.streamEvent({ index: 1, token: { id: 1, text: 'x', logprob: -1, special: false }, generated_text: null, details: null }, 0);
    contract.errorBody({ error: 'e', error_type: 'validation' });
    const t1 = performance.now();
    planCases({ surface: TGI_SURFACE, seed: 1, maxExamples: ${examples}, limits: { ...TGI_DEFAULT_LIMITS },
      knownLimits: new Set(), authRequired: false, hasToken: false });
    const t2 = performance.now();
    console.log(JSON.stringify({ contractMs: t1 - t0, planMs: t2 - t1 }));`;
  const r = await runProcess(['--input-type=module', '-e', script]);
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as { contractMs: number; planMs: number };
  } catch {
    return { error: `could not time the start-up: ${r.stderr.slice(0, 300)}` };
  }
}

function readMix(file: string): Replayed[] {
  const out: Replayed[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as RecordedExchange;
    if (e.request === undefined || !e.route.startsWith('POST ')) continue;
    const p = e.route.slice('POST '.length);
    out.push({ path: p, body: stringifyJson(e.request) });
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
  log(`runner: mock at ${mock.url} (pid ${String(mock.child.pid)}); tgc run --max-examples ${examples}, autocannon ${seconds} s; ${rounds} rounds`);
  try {
    // Warm-up (not counted): warms the mock's JIT and records tgc's requests for the mix.
    const record = path.join(tmp, 'requests.jsonl');
    const warm = await runTgc(surface, mock, examples, path.join(tmp, 'warm'), record);
    const mix = readMix(record);
    await runCannon(surface, mock, 1);
    log(`runner: warm-up: tgc ${warm.requests} requests at ${warm.rps.toFixed(0)}/s; mix of ${mix.length} recorded requests`);

    const tgc: TgcRun[] = [];
    const fixed: CannonRun[] = [];
    const mixed: CannonRun[] = [];
    const steps: (() => Promise<void>)[] = [
      async () => {
        tgc.push(await runTgc(surface, mock, examples, path.join(tmp, `run-${tgc.length}`)));
      },
      async () => {
        fixed.push(await runCannon(surface, mock, seconds));
      },
      async () => {
        mixed.push(await runCannon(surface, mock, seconds, mix));
      },
    ];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < steps.length; k++) await (steps[(r + k) % steps.length] as () => Promise<void>)();
      log(`runner: round ${r + 1}/${rounds}: tgc ${tgc.at(-1)?.rps.toFixed(0)}/s, autocannon fixed ${fixed.at(-1)?.rps.toFixed(0)}/s, autocannon mix ${mixed.at(-1)?.rps.toFixed(0)}/s`);
    }
    const startup = await startupCosts(examples);
    const fixedMs = 'error' in startup ? 0 : startup.contractMs + startup.planMs;
    const tgcRps = median(tgc.map((t) => t.rps));
    const steadyRps = median(tgc.map((t) => t.requests / ((t.durationMs - fixedMs) / 1000)));
    const fixedRps = median(fixed.map((t) => t.rps));
    const mixRps = median(mixed.map((t) => t.rps));
    const perRequest = (runs: readonly { mockCpuMsPerRequest?: number }[]): number | null => {
      const v = runs.map((r) => r.mockCpuMsPerRequest).filter((x): x is number => x !== undefined);
      return v.length > 0 ? round(median(v)) : null;
    };
    return {
      api,
      ratio: round(tgcRps / fixedRps),
      target: RUNNER_TARGET,
      met: tgcRps / fixedRps >= RUNNER_TARGET,
      mockRps: round(fixedRps),
      mixRatio: round(tgcRps / mixRps),
      startupMs: 'error' in startup ? startup : { contractCompile: round(startup.contractMs), planCases: round(startup.planMs) },
      withoutStartup: {
        note: 'requests / (durationMs − contract compile − planning), both timed in a fresh process',
        rps: round(steadyRps),
        ratio: round(steadyRps / fixedRps),
        mixRatio: round(steadyRps / mixRps),
      },
      requestsPerSecond: { tgc: round(tgcRps), autocannonFixed: round(fixedRps), autocannonMix: round(mixRps) },
      mockCpuMsPerRequest: { tgc: perRequest(tgc), autocannonFixed: perRequest(fixed), autocannonMix: perRequest(mixed) },
      tgc: {
        maxExamples: examples,
        requests: tgc.map((t) => t.requests),
        cases: tgc[0]?.cases,
        violations: tgc.map((t) => t.violations),
        durationMs: tgc.map((t) => t.durationMs),
        rps: tgc.map((t) => round(t.rps)),
      },
      autocannon: {
        seconds,
        connections: CONCURRENCY,
        fixedBody: surface.fixedBody,
        fixed: fixed.map((c) => ({ rps: round(c.rps), non2xx: c.non2xx, errors: c.errors, latencyMs: round(c.latencyMs) })),
        mixRequests: mix.length,
        mix: mixed.map((c) => ({ rps: round(c.rps), non2xx: c.non2xx, errors: c.errors, latencyMs: round(c.latencyMs) })),
      },
      rounds,
      timed:
        'tgc: summary.requests / durationMs from report.json of `tgc run` (child process) against `tgc mock --latency-ms 0 --max-concurrent-requests 1000` (another child); ' +
        'autocannon (programmatic, in the bench process): total responses / duration, 8 connections',
    };
  } finally {
    await mock.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

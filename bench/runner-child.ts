/**
 * The tgc side of runner.ts, in a process of its own: `runConformance` (what `tgc run` calls,
 * with the options `tgc run` parses) against the mock, timed from the first case to the report,
 * so that start-up (loading, compiling the contract, planning) stays out of the rate.
 *
 * - `mix`: the run `tgc run --concurrency 8 --rate 0 --max-examples N --seed 1` makes: its cases,
 *   scenarios and shrinking; requests/s = exchanges sent after planning ÷ the time from then to
 *   the report.
 * - `fixed`: the same engine (scheduler, transport, decoding, every check, the report), with the
 *   plan replaced by `count` copies of one positive case whose body is the fixed request (and no
 *   scenario checks): judged cases/s over the same window. Bench-only: the driver's planCases is
 *   swapped in this process, nothing else.
 *
 * Invoked as `node --import tsx bench/runner-child.ts '<json>'`; prints one JSON line.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { ApiDriver } from '../dist/apis/index.js';
import type { BaseExchangeView } from '../dist/core/exchange.js';
import type { Case } from '../dist/engine/cases.js';
import type { RunEvent } from '../dist/engine/run.js';

/** The build to measure: dist/, or another (`TGC_BENCH_DIST`, to compare two builds side by side). */
const DIST = process.env['TGC_BENCH_DIST'] ?? path.join(import.meta.dirname, '..', 'dist');
const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(DIST, file)).href) as Promise<T>;
// The heap as `tgc` sets it (dist/cli/main.js calls the same before anything else); not with
// TGC_BENCH_NO_TUNE=1 (to measure V8's defaults), nor for a build that predates it.
if (process.env['TGC_BENCH_NO_TUNE'] === undefined) {
  const heap = await load<Partial<typeof import('../dist/cli/heap.js')>>('cli/heap.js').catch(() => ({}) as Partial<typeof import('../dist/cli/heap.js')>);
  heap.tuneHeap?.();
}
const { apiByName, everyCheck } = await load<typeof import('../dist/apis/index.js')>('apis/index.js');
const { parseRunOptions } = await load<typeof import('../dist/cli/run-command.js')>('cli/run-command.js');
const { parseJson, stringifyJson } = await load<typeof import('../dist/index.js')>('index.js');
const { runConformance } = await load<typeof import('../dist/engine/run.js')>('engine/run.js');

export interface ChildArgs {
  mode: 'mix' | 'fixed';
  api: 'tgi' | 'openai';
  url: string;
  concurrency: number;
  examples: number;
  /** fixed: the route (as tgc names it) and the exact body. */
  fixed?: { route: string; body: string };
  /** fixed: cases to send. */
  count?: number;
}

export interface ChildResult {
  requests: number;
  cases: number;
  windowMs: number;
  rps: number;
  violations: number;
  /** From the start of the process to the first case. */
  startupMs: number;
  /** This process's CPU time (user + system, GC included) in the window, per request. */
  cpuMsPerRequest: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const options = parseRunOptions(
    {
      url: args.url,
      api: args.api,
      header: [],
      seed: '1',
      maxExamples: String(args.examples),
      concurrency: String(args.concurrency),
      rate: '0',
      maxRequests: '1000000',
      reportDir: '.',
    },
    undefined,
    everyCheck().map((c) => c.id),
  );
  const api = apiByName(args.api);
  if (!api?.driver) throw new Error(`no driver for ${args.api}`);
  if (args.mode === 'fixed') {
    const fixed = args.fixed;
    if (!fixed || !args.count) throw new Error('fixed: route, body and count are needed');
    const parsed = parseJson(fixed.body);
    if (!parsed.ok) throw new Error(`fixed: the body is not JSON: ${parsed.error}`);
    const body = parsed.value;
    if (stringifyJson(body) !== fixed.body) throw new Error('fixed: the body does not round-trip to the same bytes');
    const driver = api.driver as ApiDriver<BaseExchangeView>;
    const plan = driver.planCases.bind(driver);
    driver.planCases = (o) => {
      const model = plan(o).find((c: Case) => c.route === fixed.route && c.expectation.purpose === 'positive' && c.expectation.outcome === 'accept');
      if (!model) throw new Error(`fixed: no positive case on ${fixed.route} to copy`);
      const { redraw: _redraw, ...rest } = model;
      return Array.from({ length: args.count ?? 0 }, (_, id) => ({ ...rest, id, body, expectation: { ...model.expectation, label: 'fixed request' } }));
    };
    (api as unknown as { scenarioChecks: unknown[] }).scenarioChecks = [];
  }
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  let exchanges = 0;
  const onEvent = (e: RunEvent): void => {
    if (e.type === 'start') {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    } else if (e.type === 'exchange' && t0 > 0) exchanges++;
  };
  const report = await runConformance(options, { onEvent });
  const windowMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    requests: exchanges,
    cases: report.summary.cases,
    windowMs,
    rps: (args.mode === 'fixed' ? report.summary.cases : exchanges) / (windowMs / 1000),
    violations: report.summary.violations,
    startupMs: t0,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, exchanges),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`runner-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

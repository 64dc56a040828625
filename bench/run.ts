/**
 * `npm run bench`: tgc's performance as figures, each measured side by side with a baseline in
 * alternated runs (so that the noise of a shared machine cancels). Every benchmark returns, besides
 * its details, `metrics`: the figures it guards, each with its goal and whether higher or lower is
 * better. Prints a Markdown table of the metrics (value, goal, met?) on stdout (progress on
 * stderr) and writes reports/bench.json. See README, "Performance".
 *
 * `npm run bench -- --check`: the same, as a gate. A benchmark is run again while one of its
 * metrics falls short, up to BENCH_ROUNDS times (default 3), and each metric keeps its best value
 * over those runs; the command exits 1 when a metric still falls short (or could not be
 * measured), listing which. Without --check it exits 0 whatever the figures (1 only on a crash).
 *
 * Environment (for quicker runs while working on the bench; the defaults are the benchmark):
 *   BENCH_ONLY=validation,stream,runner,runnerOpenai,scaling,proxy,memory  which benchmarks to run
 *   BENCH_ROUNDS=3          alternated rounds per ratio; under --check also the most runs of a benchmark
 *   BENCH_VALIDATION_MB=100  BENCH_VALIDATION_KIND_MB=20  BENCH_VALIDATION_KINDS=all,nativeJson,…
 *   BENCH_STREAM_EVENTS=1000000
 *   BENCH_RUNNER_EXAMPLES=100  BENCH_RUNNER_SECONDS=5   BENCH_SCALING_SIZES=100,1000,10000
 *   BENCH_FIXTURES=../shared/fixtures
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { betterValue, envInt, hasGc, log, machine, metricMet, ROOT, round, versions, type Metric } from './lib.js';
import { benchRunner, benchRunnerOpenAI } from './runner.js';
import { benchScaling, SCALING_TARGET } from './scaling.js';
import { benchProxy, PROXY_FIRST_BYTE_TARGET_MS, PROXY_RATIO_TARGET } from './proxy.js';
import { benchStream, STREAM_HEAP_TARGET_MB, STREAM_RATIO_TARGET } from './stream.js';
import { benchValidation, VALIDATION_KINDS, VALIDATION_TARGET } from './validation.js';
import { benchMemory } from './memory.js';

type Result = Record<string, unknown> & { ratio?: number | null; skipped?: string; metrics?: Metric[] };

/** Issue 17 item 2: the runner at least 0.8× autocannon, on the mix and on one fixed request. */
const RUNNER_GOAL = 0.8;

/** Every benchmark, in the order run. A new one adds a line here (and, if it has none, its metrics below). */
const BENCHMARKS = {
  validation: benchValidation,
  stream: benchStream,
  runner: () => benchRunner('tgi'),
  runnerOpenai: benchRunnerOpenAI,
  scaling: benchScaling,
  proxy: benchProxy,
  memory: benchMemory,
} satisfies Record<string, () => Promise<Result>>;
type Name = keyof typeof BENCHMARKS;
const ALL = Object.keys(BENCHMARKS) as Name[];

function selected(): Name[] {
  const raw = process.env['BENCH_ONLY'];
  if (!raw) return [...ALL];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(ALL as string[]).includes(n)) throw new Error(`BENCH_ONLY: unknown benchmark "${n}" (${ALL.join(', ')})`);
  return names as Name[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The metrics a benchmark's result stands for: its own `metrics`, and, for the figures of
 * benchmarks that do not (yet) return them, metrics made from their fields with the goals of the
 * issues (a result that carries `metrics` is taken at its word).
 */
export function metricsOf(name: string, r: Result): Metric[] {
  const derived: Metric[] = [];
  const add = (key: string, label: string, value: unknown, goal: number, better: Metric['better']): void => {
    derived.push({ key, label, value: num(value), goal, better });
  };
  switch (name) {
    case 'validation':
      add('validation.ratio', 'validation.ratio (all recordings: tgc bytes→findings ÷ JSON.parse)', r.ratio, VALIDATION_TARGET, 'lower');
      for (const [k, label] of Object.entries(VALIDATION_KINDS)) add(`validation.kinds.${k}.ratio`, `validation, ${label}`, null, VALIDATION_TARGET, 'lower');
      break;
    case 'stream':
      add('stream.ratio', 'stream.ratio (tgc events/s ÷ eventsource-parser + JSON.parse)', r.ratio, STREAM_RATIO_TARGET, 'higher');
      add('stream.heapGrowthMB', 'stream.heapGrowthMB (1M events, after forced GC)', r['heapGrowthMB'], STREAM_HEAP_TARGET_MB, 'lower');
      break;
    case 'runner':
    case 'runnerOpenai':
      add(`${name}.mixRatio`, `${name}.mixRatio (tgc run req/s ÷ autocannon replaying tgc's requests)`, r['mixRatio'], RUNNER_GOAL, 'higher');
      add(`${name}.fixedRatio`, `${name}.fixedRatio (tgc run req/s ÷ autocannon on one fixed request)`, r['fixedRatio'] ?? r.ratio, RUNNER_GOAL, 'higher');
      break;
    case 'scaling':
      add('scaling.ratio', 'scaling.ratio (marginal engine CPU/case 1k→10k ÷ 100→1k)', r.ratio, SCALING_TARGET, 'lower');
      break;
    case 'proxy':
      add('proxy.ratio', 'proxy.ratio (req/s through tgc proxy, judging included ÷ direct)', r.ratio, PROXY_RATIO_TARGET, 'higher');
      add('proxy.firstByteAddedMs', "proxy.firstByteAddedMs (added to a stream's first byte, median)", r['firstByteAddedMs'], PROXY_FIRST_BYTE_TARGET_MS, 'lower');
      break;
    default:
      break;
  }
  // A benchmark that returns its own metrics names all of its figures.
  return Array.isArray(r.metrics) && r.metrics.length > 0 ? r.metrics : derived;
}

interface MetricRow extends Metric {
  met: boolean;
  /** How many runs of its benchmark the value is the best of. */
  runs: number;
}

async function main(): Promise<void> {
  const check = process.argv.slice(2).includes('--check');
  if (!hasGc()) log('warning: run with node --expose-gc (npm run bench does): heap figures and GC between runs need it');
  const maxRuns = check ? envInt('BENCH_ROUNDS', 3) : 1;
  const started = Date.now();
  const results: Partial<Record<Name, Result>> = {};
  const rows: MetricRow[] = [];
  for (const name of selected()) {
    const t0 = Date.now();
    const best = new Map<string, Metric>();
    let runs = 0;
    let result: Result = {};
    for (let run = 1; run <= maxRuns; run++) {
      runs = run;
      try {
        result = await BENCHMARKS[name]();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log(`${name}: failed: ${message}`);
        result = { ratio: null, skipped: `failed: ${message}` };
      }
      for (const m of metricsOf(name, result)) {
        const prior = best.get(m.key);
        best.set(m.key, prior ? { ...m, value: betterValue(m.better, prior.value, m.value) } : m);
      }
      const short = [...best.values()].filter((m) => !metricMet(m));
      if (short.length === 0 || run === maxRuns || result.skipped !== undefined) break;
      log(`${name}: short of its goal after run ${run}/${maxRuns} (${short.map((m) => `${m.key} ${String(m.value)}`).join(', ')}): running it again`);
    }
    const metrics = [...best.values()];
    result = { ...result, metrics, ...(check ? { runs } : {}), benchSeconds: round((Date.now() - t0) / 1000) };
    results[name] = result;
    for (const m of metrics) rows.push({ ...m, met: metricMet(m), runs });
  }

  const short = rows.filter((m) => !m.met);
  const bench: Record<string, unknown> = {};
  for (const name of ALL) bench[name] = results[name] ?? { ratio: null, skipped: 'not selected (BENCH_ONLY)', metrics: [] };
  bench['metrics'] = rows;
  if (check) bench['check'] = { passed: short.length === 0, maxRuns, short: short.map((m) => m.key) };
  bench['meta'] = {
    command: check ? 'npm run bench -- --check' : 'npm run bench',
    startedAt: new Date(started).toISOString(),
    totalSeconds: round((Date.now() - started) / 1000),
    machine: machine(),
    versions: versions(),
    forcedGc: hasGc(),
    note: check
      ? `ratios are of medians of alternated runs on the same machine; under --check each metric is the best of up to ${maxRuns} runs of its benchmark`
      : 'ratios are of medians of alternated runs on the same machine; absolute figures vary with its load',
  };
  const out = path.join(ROOT, 'reports', 'bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(bench, null, 2)}\n`);
  process.stdout.write(table(rows, results, check));
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out) || out} (${round((Date.now() - started) / 1000)} s)\n`);
  if (check) {
    if (short.length > 0) {
      process.stdout.write(`\nbench --check: ${short.length} of ${rows.length} metrics short of their goals: ${short.map((m) => `${m.key} = ${m.value === null ? 'n/a' : m.value} (goal ${goalText(m)})`).join('; ')}\n`);
      process.exitCode = 1;
    } else process.stdout.write(`\nbench --check: all ${rows.length} metrics meet their goals\n`);
  }
}

function goalText(m: Pick<Metric, 'goal' | 'better'>): string {
  return `${m.better === 'lower' ? '≤' : '≥'} ${m.goal}`;
}

function table(rows: readonly MetricRow[], results: Partial<Record<Name, Result>>, check: boolean): string {
  const fmt = (v: unknown): string => (typeof v === 'number' ? String(v) : 'n/a');
  const head = check ? '| metric | best value | runs | goal | met? |\n|---|---|---|---|---|' : '| metric | value | goal | met? |\n|---|---|---|---|';
  const lines = rows.map((m) => {
    const why = m.value === null ? `no${skippedOf(m.key, results)}` : m.met ? 'yes' : 'no';
    return check ? `| ${m.label} | ${fmt(m.value)} | ${m.runs} | ${goalText(m)} | ${why} |` : `| ${m.label} | ${fmt(m.value)} | ${goalText(m)} | ${why} |`;
  });
  const details: string[] = [];
  const v = results.validation ?? {};
  const vt = v['throughputMBps'] as { baseline: number; tgc: number } | undefined;
  if (vt) details.push(`validation: JSON.parse ${vt.baseline} MB/s, tgc ${vt.tgc} MB/s over ${round(((v['bytes'] as number) ?? 0) / 2 ** 20)} MiB (CPU-time ratio ${fmt(v['cpuRatio'])}; against JSON.parse of each line alone, streams left strings: ${fmt(v['lineOnlyRatio'])})`);
  const kinds = v['kinds'] as Record<string, { ratio: number; cpuRatio: number; lineOnlyRatio: number; floorRatio: number; rulesShare: number; lines: number }> | undefined;
  if (vt) details.push(`validation floor (tgc's parse and decoder, no rule's own work: bench/validation-floor.ts) over all the recordings: ${fmt(v['floorRatio'])} × JSON.parse; the rules' own work ${fmt(v['rulesShare'])}`);
  if (kinds) details.push(`validation per kind (ratio, CPU ratio, line-only ratio; floor, rules' share): ${Object.entries(kinds).map(([k, x]) => `${k} ${x.ratio} / ${x.cpuRatio} / ${x.lineOnlyRatio}; ${fmt(x.floorRatio)}, ${fmt(x.rulesShare)} (${x.lines} exchanges)`).join('; ')}`);
  const s = results.stream ?? {};
  const se = s['eventsPerSecond'] as { baseline: number; tgc: number } | undefined;
  if (se) details.push(`stream: eventsource-parser + JSON.parse ${se.baseline} events/s, tgc ${se.tgc} events/s`);
  for (const name of ['runner', 'runnerOpenai'] as const) {
    const r = results[name] ?? {};
    const rr = r['requestsPerSecond'] as { tgc: number; autocannonFixed: number; autocannonMix: number } | undefined;
    if (rr) details.push(`${name}: tgc ${rr.tgc} req/s; autocannon on one fixed request ${rr.autocannonFixed} req/s; autocannon replaying tgc's request mix ${rr.autocannonMix} req/s`);
  }
  const c = results.scaling ?? {};
  const cm = c['marginalMsPerCase'] as { wall: Record<string, number>; engineCpu: Record<string, number> } | undefined;
  if (cm) details.push(`scaling: marginal ms/case engine CPU ${JSON.stringify(cm.engineCpu)}, wall ${JSON.stringify(cm.wall)} (wall-time ratio ${fmt(c['wallRatio'])})`);
  const p = results.proxy ?? {};
  const pr = p['requestsPerSecond'] as { direct: number; proxy: number } | undefined;
  const pf = p['firstByteMs'] as { direct: number; proxy: number } | undefined;
  if (pr && pf) details.push(`proxy: direct ${pr.direct} req/s, through the proxy ${pr.proxy} req/s (proxy CPU ${fmt(p['proxyCpuMsPerRequest'])} ms/request); a stream's first byte ${pf.direct} ms direct, ${pf.proxy} ms through the proxy`);
  const m = machine();
  details.push(`machine: Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load average ${m.loadAverage1m} at the end`);
  return `${head}\n${lines.join('\n')}\n\n${details.map((d) => `- ${d}`).join('\n')}\n`;
}

function skippedOf(key: string, results: Partial<Record<Name, Result>>): string {
  const r = results[key.split('.')[0] as Name];
  return r?.skipped ? ` (${r.skipped})` : ' (not measured)';
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bench`: tgc's performance as four ratios, each measured side by side with a baseline
 * in alternated runs (so that the noise of a shared machine cancels). Prints a Markdown table on
 * stdout (progress on stderr) and writes reports/bench.json. See docs/performance.md.
 *
 * Environment (for quicker runs while working on the bench; the defaults are the benchmark):
 *   BENCH_ONLY=validation,stream,runner,runnerOpenai,scaling,proxy  which benchmarks to run
 *   BENCH_ROUNDS=3                               alternated rounds per ratio
 *   BENCH_VALIDATION_MB=100  BENCH_STREAM_EVENTS=1000000  BENCH_RUNNER_EXAMPLES=100
 *   BENCH_RUNNER_SECONDS=5   BENCH_SCALING_SIZES=100,1000,10000  BENCH_FIXTURES=../shared/fixtures
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasGc, log, machine, ROOT, round, versions } from './lib.js';
import { benchRunner, benchRunnerOpenAI, RUNNER_TARGET } from './runner.js';
import { benchScaling, SCALING_TARGET } from './scaling.js';
import { benchProxy, PROXY_FIRST_BYTE_TARGET_MS, PROXY_RATIO_TARGET } from './proxy.js';
import { benchStream, STREAM_HEAP_TARGET_MB, STREAM_RATIO_TARGET } from './stream.js';
import { benchValidation, VALIDATION_TARGET } from './validation.js';

type Result = Record<string, unknown> & { ratio?: number | null; skipped?: string };

const ALL = ['validation', 'stream', 'runner', 'runnerOpenai', 'scaling', 'proxy'] as const;
type Name = (typeof ALL)[number];

function selected(): Name[] {
  const raw = process.env['BENCH_ONLY'];
  if (!raw) return [...ALL];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(ALL as readonly string[]).includes(n)) throw new Error(`BENCH_ONLY: unknown benchmark "${n}" (${ALL.join(', ')})`);
  return names as Name[];
}

async function main(): Promise<void> {
  if (!hasGc()) log('warning: run with node --expose-gc (npm run bench does): heap figures and GC between runs need it');
  const started = Date.now();
  const results: Partial<Record<Name, Result>> = {};
  const runners: Record<Name, () => Promise<Result>> = {
    validation: benchValidation,
    stream: benchStream,
    runner: () => benchRunner('tgi'),
    runnerOpenai: benchRunnerOpenAI,
    scaling: benchScaling,
    proxy: benchProxy,
  };
  for (const name of selected()) {
    const t0 = Date.now();
    try {
      results[name] = await runners[name]();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`${name}: failed: ${message}`);
      results[name] = { ratio: null, skipped: `failed: ${message}` };
    }
    (results[name] as Result)['benchSeconds'] = round((Date.now() - t0) / 1000);
  }

  const bench = {
    validation: results.validation ?? { ratio: null, skipped: 'not selected (BENCH_ONLY)' },
    stream: results.stream ?? { ratio: null, heapGrowthMB: null, skipped: 'not selected (BENCH_ONLY)' },
    runner: results.runner ?? { ratio: null, skipped: 'not selected (BENCH_ONLY)' },
    runnerOpenai: results.runnerOpenai ?? { ratio: null, skipped: 'not selected (BENCH_ONLY)' },
    scaling: results.scaling ?? { ratio: null, skipped: 'not selected (BENCH_ONLY)' },
    proxy: results.proxy ?? { ratio: null, firstByteAddedMs: null, skipped: 'not selected (BENCH_ONLY)' },
    meta: {
      command: 'npm run bench',
      startedAt: new Date(started).toISOString(),
      totalSeconds: round((Date.now() - started) / 1000),
      machine: machine(),
      versions: versions(),
      forcedGc: hasGc(),
      note: 'ratios are of medians of alternated runs on the same machine; absolute figures vary with its load',
    },
  };
  const out = path.join(ROOT, 'reports', 'bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(bench, null, 2)}\n`);
  process.stdout.write(table(bench));
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out) || out} (${bench.meta.totalSeconds} s)\n`);
}

function table(b: { validation: Result; stream: Result; runner: Result; runnerOpenai: Result; scaling: Result; proxy: Result; meta: { machine: { node: string; cpus: number; cpuModel: string; loadAverage1m: number } } }): string {
  const rows: [string, string, string, string][] = [];
  const fmt = (v: unknown): string => (typeof v === 'number' ? String(v) : 'n/a');
  const met = (r: Result, ok: boolean | undefined): string => (r.skipped ? `skipped: ${r.skipped}` : ok ? 'yes' : 'no');
  const v = b.validation;
  rows.push(['validation.ratio (tgc bytes→findings ÷ JSON.parse)', fmt(v.ratio), `≤ ${VALIDATION_TARGET}`, met(v, typeof v.ratio === 'number' && v.ratio <= VALIDATION_TARGET)]);
  const s = b.stream;
  rows.push(['stream.ratio (tgc events/s ÷ eventsource-parser + JSON.parse)', fmt(s.ratio), `≥ ${STREAM_RATIO_TARGET}`, met(s, typeof s.ratio === 'number' && s.ratio >= STREAM_RATIO_TARGET)]);
  rows.push(['stream.heapGrowthMB (1M events, after forced GC)', fmt(s['heapGrowthMB']), `≤ ${STREAM_HEAP_TARGET_MB}`, met(s, typeof s['heapGrowthMB'] === 'number' && s['heapGrowthMB'] <= STREAM_HEAP_TARGET_MB)]);
  const r = b.runner;
  rows.push(['runner.ratio (tgc run req/s ÷ autocannon, same mock)', fmt(r.ratio), `≥ ${RUNNER_TARGET}`, met(r, typeof r.ratio === 'number' && r.ratio >= RUNNER_TARGET)]);
  const ro = b.runnerOpenai;
  rows.push(['runnerOpenai.ratio (tgc run --api openai req/s ÷ autocannon on /v1/chat/completions)', fmt(ro.ratio), `≥ ${RUNNER_TARGET}`, met(ro, typeof ro.ratio === 'number' && ro.ratio >= RUNNER_TARGET)]);
  const c = b.scaling;
  rows.push(['scaling.ratio (marginal engine CPU/case 1k→10k ÷ 100→1k)', fmt(c.ratio), `≤ ${SCALING_TARGET}`, met(c, typeof c.ratio === 'number' && c.ratio <= SCALING_TARGET)]);
  const p = b.proxy;
  rows.push(['proxy.ratio (req/s through tgc proxy, judging included ÷ direct, same mix and mock)', fmt(p.ratio), `≥ ${PROXY_RATIO_TARGET}`, met(p, typeof p.ratio === 'number' && p.ratio >= PROXY_RATIO_TARGET)]);
  rows.push(["proxy.firstByteAddedMs (a stream's first byte, median)", fmt(p['firstByteAddedMs']), `≤ ${PROXY_FIRST_BYTE_TARGET_MS}`, met(p, typeof p['firstByteAddedMs'] === 'number' && p['firstByteAddedMs'] <= PROXY_FIRST_BYTE_TARGET_MS)]);
  const lines = ['| metric | value | target | met? |', '|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  const details: string[] = [];
  const vt = v['throughputMBps'] as { baseline: number; tgc: number } | undefined;
  if (vt) details.push(`validation: JSON.parse ${vt.baseline} MB/s, tgc ${vt.tgc} MB/s over ${round(((v['bytes'] as number) ?? 0) / 2 ** 20)} MiB (CPU-time ratio ${fmt(v['cpuRatio'])})`);
  const se = s['eventsPerSecond'] as { baseline: number; tgc: number } | undefined;
  if (se) details.push(`stream: eventsource-parser + JSON.parse ${se.baseline} events/s, tgc ${se.tgc} events/s`);
  const rr = r['requestsPerSecond'] as { tgc: number; autocannonFixed: number; autocannonMix: number } | undefined;
  if (rr) details.push(`runner: tgc ${rr.tgc} req/s; mock's own throughput (autocannon, fixed body) ${rr.autocannonFixed} req/s; autocannon replaying tgc's request mix ${rr.autocannonMix} req/s (ratio ${fmt(r['mixRatio'])})`);
  const ro2 = ro['requestsPerSecond'] as { tgc: number; autocannonFixed: number; autocannonMix: number } | undefined;
  if (ro2) details.push(`runner (OpenAI-compatible routes): tgc ${ro2.tgc} req/s; autocannon fixed chat request ${ro2.autocannonFixed} req/s; autocannon replaying tgc's request mix ${ro2.autocannonMix} req/s (ratio ${fmt(ro['mixRatio'])})`);
  const cm = c['marginalMsPerCase'] as { wall: Record<string, number>; engineCpu: Record<string, number> } | undefined;
  if (cm) details.push(`scaling: marginal ms/case engine CPU ${JSON.stringify(cm.engineCpu)}, wall ${JSON.stringify(cm.wall)} (wall-time ratio ${fmt(c['wallRatio'])})`);
  const pr = p['requestsPerSecond'] as { direct: number; proxy: number } | undefined;
  const pf = p['firstByteMs'] as { direct: number; proxy: number } | undefined;
  if (pr && pf) details.push(`proxy: direct ${pr.direct} req/s, through the proxy ${pr.proxy} req/s (proxy CPU ${fmt(p['proxyCpuMsPerRequest'])} ms/request); a stream's first byte ${pf.direct} ms direct, ${pf.proxy} ms through the proxy`);
  const m = b.meta.machine;
  details.push(`machine: Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load average ${m.loadAverage1m} at the end`);
  return `${lines.join('\n')}\n\n${details.map((d) => `- ${d}`).join('\n')}\n`;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

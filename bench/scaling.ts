/**
 * scaling.ratio: the marginal cost of a case between 1,000 and 10,000 cases over that between
 * 100 and 1,000: ((t(10k) − t(1k)) / 9000) / ((t(1k) − t(100)) / 900).
 *
 * A case is one random valid request the engine plans, sends, and judges with every check: with
 * `--max-examples M` tgc draws M per route group (4 on the TGI API), so N = 4M. Every run also
 * sends the same fixed cases (parameter boundaries, invalid requests, scenarios; the same at
 * every N), which cancel out in the differences, as does the start-up (contract, /info).
 *
 * The engine runs in this process (`runConformance`, options parsed by `tgc run`'s own parser:
 * concurrency 8, rate 0, seed 1); the reference server is `tgc mock --latency-ms 0` in another
 * process. t is the CPU time this process spends in `runConformance` (user + system, GC threads
 * included): the engine's own cost, which the load of a shared machine does not stretch and the
 * server's (linear) work does not dilute. The wall time is reported beside it (`wallRatio`): over
 * a 10,000-case run of a minute or more it moves with the machine's load (0.73 and 1.34 in two
 * runs ten minutes apart, where the CPU ratio gave 0.75 and 0.83). The heap's peak is sampled.
 */
import { allChecks, parseRunOptions, runConformance, scenarioChecks } from './tgc.js';
import { forceGc, log, median, MiB, round, startMock, type Mock } from './lib.js';

export const SCALING_TARGET = 1.3;

interface Point {
  cases: number;
  wallMs: number;
  cpuMs: number;
  peakHeapMB: number;
  requests: number;
  judged: number;
  violations: number;
}

function sizes(): number[] {
  const raw = process.env['BENCH_SCALING_SIZES'];
  const list = raw ? raw.split(',').map((s) => Number(s.trim())) : [100, 1000, 10_000];
  if (list.length !== 3 || list.some((n) => !Number.isSafeInteger(n) || n < 4 || n % 4 !== 0) || !((list[0] ?? 0) < (list[1] ?? 0) && (list[1] ?? 0) < (list[2] ?? 0))) {
    throw new Error(`BENCH_SCALING_SIZES must be three increasing multiples of 4, got ${JSON.stringify(raw)}`);
  }
  return list;
}

async function runAt(mock: Mock, cases: number): Promise<Point> {
  const ids = [...allChecks, ...scenarioChecks].map((c) => c.id);
  const options = parseRunOptions(
    {
      url: mock.url,
      api: 'tgi',
      header: [],
      seed: '1',
      maxExamples: String(cases / 4),
      concurrency: '8',
      rate: '0',
      maxRequests: '10000000',
      reportDir: 'unused',
    },
    undefined,
    ids,
  );
  forceGc();
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 50);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance(options);
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return {
    cases,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    peakHeapMB: peak / MiB,
    requests: report.summary.requests,
    judged: report.summary.cases,
    violations: report.summary.violations,
  };
}

function marginalRatio(points: Record<number, number>, [a, b, c]: number[]): number {
  const ta = points[a as number] ?? Number.NaN;
  const tb = points[b as number] ?? Number.NaN;
  const tc = points[c as number] ?? Number.NaN;
  return (tc - tb) / ((c as number) - (b as number)) / ((tb - ta) / ((b as number) - (a as number)));
}

export async function benchScaling(): Promise<Record<string, unknown>> {
  const [small, mid, large] = sizes() as [number, number, number];
  const mock = await startMock();
  log(`scaling: mock at ${mock.url}; runConformance in-process at ${small}, ${mid}, ${large} cases`);
  try {
    await runAt(mock, small); // warm-up: JIT of engine and mock, the contract compiled
    // The small sizes are cheap: repeated, interleaved, and the medians taken.
    const order = [small, mid, small, mid, small, large];
    const points: Point[] = [];
    for (const n of order) {
      const p = await runAt(mock, n);
      points.push(p);
      log(`scaling: ${n} cases: ${(p.wallMs / 1000).toFixed(1)} s wall, ${(p.cpuMs / 1000).toFixed(1)} s CPU (engine), ${p.requests} requests, heap peak ${p.peakHeapMB.toFixed(0)} MB`);
    }
    const at = (n: number, pick: (p: Point) => number): number => median(points.filter((p) => p.cases === n).map(pick));
    const wall: Record<number, number> = {};
    const cpu: Record<number, number> = {};
    for (const n of [small, mid, large]) {
      wall[n] = at(n, (p) => p.wallMs);
      cpu[n] = at(n, (p) => p.cpuMs);
    }
    const ratio = marginalRatio(cpu, [small, mid, large]);
    const wallRatio = marginalRatio(wall, [small, mid, large]);
    const perCase = (t: Record<number, number>, a: number, b: number): number => ((t[b] ?? 0) - (t[a] ?? 0)) / (b - a);
    return {
      ratio: round(ratio),
      target: SCALING_TARGET,
      met: ratio <= SCALING_TARGET,
      measure: 'engine CPU time (user + system of the process running runConformance, GC threads included)',
      wallRatio: round(wallRatio),
      sizes: [small, mid, large],
      marginalMsPerCase: {
        wall: { [`${small}-${mid}`]: round(perCase(wall, small, mid)), [`${mid}-${large}`]: round(perCase(wall, mid, large)) },
        engineCpu: { [`${small}-${mid}`]: round(perCase(cpu, small, mid)), [`${mid}-${large}`]: round(perCase(cpu, mid, large)) },
      },
      medianWallMs: Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, round(v)])),
      medianEngineCpuMs: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v)])),
      runs: points.map((p) => ({
        cases: p.cases,
        wallMs: round(p.wallMs),
        engineCpuMs: round(p.cpuMs),
        requests: p.requests,
        judgedCases: p.judged,
        violations: p.violations,
        peakHeapMB: round(p.peakHeapMB),
      })),
      caseDefinition: 'one random valid request (4 × --max-examples on the TGI API), planned, sent, judged by every check; fixed cases and start-up cancel out',
      timed: 'runConformance in the bench process (its CPU time; wall time beside it); the mock in its own process',
    };
  } finally {
    await mock.stop();
  }
}

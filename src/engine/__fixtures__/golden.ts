/**
 * The golden runs: fixed seeds against the reference server, clean and with faults, whose
 * reports (timings, ports and dates aside) must not change when the engine is restructured, so
 * that users' baselines keep matching. `UPDATE_GOLDEN=1` rewrites the stored reports; do that
 * only for a change that means to alter a verdict, and say so in the commit.
 */
import { apiByName } from '../../apis/index.js';
import { faults, startReferenceServer } from '../../reference/index.js';
import { DEFAULT_LIMITS } from '../../transport/index.js';
import type { TgcReport } from '../../report/report.js';
import { runConformance } from '../run.js';

export interface GoldenRun {
  name: string;
  api: 'tgi' | 'hf';
  seed: number;
  fault?: string;
}

export const GOLDEN_RUNS: readonly GoldenRun[] = [
  { name: 'tgi-clean-seed-7', api: 'tgi', seed: 7 },
  { name: 'hf-clean-seed-7', api: 'hf', seed: 7 },
  { name: 'tgi-finish-reason-wrong-enum', api: 'tgi', seed: 1, fault: 'finish-reason-wrong-enum' },
  { name: 'tgi-stream-index-gap', api: 'tgi', seed: 2, fault: 'stream-index-gap' },
  { name: 'tgi-validation-error-500', api: 'tgi', seed: 3, fault: 'validation-error-500' },
  { name: 'tgi-seed-ignored', api: 'tgi', seed: 4, fault: 'seed-ignored' },
  { name: 'hf-wait-for-model-ignored', api: 'hf', seed: 5, fault: 'hf-wait-for-model-ignored' },
];

/** The fields of report.json (schema version 1) a baseline depends on; version 2 only adds. */
const V1_KEYS = ['tool', 'target', 'seed', 'interrupted', 'limits', 'summary', 'checks', 'findings', 'skipped', 'coverage'] as const;

export async function goldenReport(run: GoldenRun): Promise<unknown> {
  const fault = run.fault === undefined ? undefined : faults.find((f) => f.name === run.fault);
  if (run.fault !== undefined && !fault) throw new Error(`no fault named ${run.fault}`);
  // Where the API's declaration says its built-in target is, as the fault catalogue does.
  const builtIn = apiByName(run.api)?.driver?.builtIn;
  if (!builtIn) throw new Error(`no API drives ${run.api}`);
  const server = await startReferenceServer({ ...(fault ? { fault, ...(fault.mockOptions ?? {}) } : {}), profile: builtIn.profile });
  try {
    const report = await runConformance(
      {
        url: builtIn.url(server.url),
        api: run.api,
        authRequired: false,
        headers: fault?.runOptions?.headers ?? {},
        seed: run.seed,
        maxExamples: 3,
        checks: [],
        excludeChecks: [],
        // One request at a time: the order of findings is then the order of cases.
        concurrency: 1,
        rate: 0,
        maxRequests: 5000,
        limits: { ...DEFAULT_LIMITS, timeoutMs: 4000, streamIdleMs: 1500, streamTotalMs: 8000 },
        serverLimits: {},
      },
      {},
      undefined,
      { builtIn: false },
    );
    return normalise(report, server.url);
  } finally {
    await server.close();
  }
}

/** Check rows whose counts depend on timing or on unseeded sampling, not on the run's seed. */
const OUTPUT_DEPENDENT = new Set(['stream-incremental', 'grammar-adherence']);

/**
 * What a baseline and a user's reading depend on: every field of the version-1 report, findings
 * reduced to what is a pure function of the seed (a fault that ignores the seed serves random
 * text, so messages and excerpts are not), timings, ports and dates aside.
 */
function normalise(report: TgcReport, url: string): unknown {
  const v1: Record<string, unknown> = {};
  for (const k of V1_KEYS) v1[k] = (report as unknown as Record<string, unknown>)[k];
  // stream-incremental judges when tokens arrive: on a loaded machine the reference server's
  // tokens may come too fast to judge (skip) or not (pass). Its row is timing, not the seed's.
  // grammar-adherence judges only generations that completed their grammar, and requests without
  // a seed sample from a random one: how many it judged is chance, not the seed's.
  v1['checks'] = report.checks.map((c) =>
    OUTPUT_DEPENDENT.has(c.id) && c.violations === 0 ? { id: c.id, severity: c.severity, title: c.title, violations: 0, warnings: c.warnings, timing: true } : c,
  );
  v1['findings'] = report.findings.map((f) => ({
    check: f.check,
    severity: f.severity,
    kind: f.kind,
    title: f.title,
    dedupeKey: f.dedupeKey,
    seed: f.seed,
    route: f.route,
    pointer: f.pointer,
    event: f.event,
    case: f.case,
    shrunk: f.shrunk,
    request: f.request,
    status: f.response?.status,
    reproduce: f.reproduce,
  }));
  const host = new URL(url).host;
  const text = JSON.stringify(v1)
    .split(host)
    .join('HOST')
    .replace(/"created":\d+/g, '"created":0');
  return JSON.parse(text);
}

/**
 * The target of the contract suites, read from the environment, so that the same suites run in
 * tgc's CI (against the reference server) and in a user's vitest (against their server):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `TGC_URL` | the server (api tgi: base URL; api hf: the endpoint URL) | the reference server, in-process |
 * | `TGC_API` | `tgi` or `hf` | `tgi` |
 * | `HF_TOKEN` | sent as `Authorization: Bearer …`, never written | none |
 * | `TGC_AUTH_REQUIRED` | `1`: a missing or wrong token must be rejected | off |
 * | `TGC_SEED` | the seed of the generated requests | random, shown in failures |
 * | `TGC_MAX_EXAMPLES` | random cases per route | 20 |
 * | `TGC_CHECKS` / `TGC_EXCLUDE_CHECKS` | comma-separated check ids | every check |
 * | `TGC_CONCURRENCY` / `TGC_RATE` / `TGC_MAX_REQUESTS` / `TGC_TIMEOUT_MS` | as the `tgc run` flags | as `tgc run` |
 * | `TGC_BASELINE` | an earlier report.json: its violations do not fail | none |
 * | `TGC_SUPPRESS` | a suppressions file (check, route?, reason) | none |
 * | `TGC_REPORT_DIR` | also write report.json, junit.xml, report.md, report.html there | none |
 * | `TGC_SHARD` | `I/N`: run the I-th of N slices of the plan, as `tgc run --shard` (needs `TGC_SEED`); `tgc merge` joins the shards' reports | the whole plan |
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiByName } from '../src/apis/index.js';
import { allChecks, scenarioChecks } from '../src/checks/index.js';
import { RUN_DEFAULTS, type RunOptions, type ShardSpec } from '../src/engine/options.js';
import { runConformance } from '../src/engine/run.js';
import { startReferenceServer } from '../src/reference/index.js';
import { applyBaseline, baselineKeys } from '../src/report/baseline.js';
import { BUILTIN_REPORTERS, reportFileNames, reporters } from '../src/report/index.js';
import type { TgcReport } from '../src/report/report.js';
import { createScrubber } from '../src/report/scrub.js';
import { applySuppressions, parseSuppressions } from '../src/report/suppressions.js';
import { DEFAULT_LIMITS } from '../src/transport/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every check id, exchange checks then scenario checks, as `tgc checks` lists them. */
export const ALL_CHECK_IDS: readonly string[] = [...allChecks, ...scenarioChecks].map((c) => c.id);

export interface SuiteTarget {
  /** What the suites run against, for their titles. */
  description: string;
  /** The check ids the run covers: one test each. */
  checkIds: readonly string[];
  /** Runs the conformance run once (starting the reference server when TGC_URL is unset). */
  run(signal?: AbortSignal): Promise<TgcReport>;
}

/** Reads the target from the environment; throws an Error naming the variable at fault. */
export function suiteTargetFromEnv(env: Env, cwd: string = process.cwd()): SuiteTarget {
  const api = env['TGC_API'] ?? 'tgi';
  const declaration = apiByName(api);
  if (!declaration?.driver) throw new Error(`TGC_API must name an API tgc run drives (tgi, hf), got "${api}"`);
  const url = env['TGC_URL'];
  if (url !== undefined && url !== '' && !/^https?:\/\//.test(url)) throw new Error(`TGC_URL must be an http(s) URL, got "${url}"`);
  const builtIn = url === undefined || url === '';
  const token = env['HF_TOKEN'] || undefined;
  const checks = ids(env, 'TGC_CHECKS');
  const exclude = ids(env, 'TGC_EXCLUDE_CHECKS');
  const shard = shardOf(env);
  const options: RunOptions = {
    url: builtIn ? '' : declaration.driver.normaliseUrl(url),
    api: declaration.name,
    ...(token !== undefined ? { token } : {}),
    authRequired: env['TGC_AUTH_REQUIRED'] === '1' || env['TGC_AUTH_REQUIRED'] === 'true',
    headers: {},
    seed: int(env, 'TGC_SEED', Math.floor(Math.random() * 2 ** 31), 0),
    maxExamples: int(env, 'TGC_MAX_EXAMPLES', RUN_DEFAULTS.maxExamples, 1),
    checks,
    excludeChecks: exclude,
    // The in-process server is our own: no need to be gentle with it.
    concurrency: int(env, 'TGC_CONCURRENCY', builtIn ? 8 : RUN_DEFAULTS.concurrency, 1),
    rate: int(env, 'TGC_RATE', builtIn ? 0 : RUN_DEFAULTS.rate, 0),
    maxRequests: int(env, 'TGC_MAX_REQUESTS', RUN_DEFAULTS.maxRequests, 1),
    limits: { ...DEFAULT_LIMITS, timeoutMs: int(env, 'TGC_TIMEOUT_MS', DEFAULT_LIMITS.timeoutMs, 1) },
    serverLimits: {},
    ...(shard ? { shard } : {}),
  };
  const baseline = file(env, 'TGC_BASELINE', cwd, baselineKeys);
  const suppressions = file(env, 'TGC_SUPPRESS', cwd, (text) => parseSuppressions(text, ALL_CHECK_IDS));
  const reportDir = env['TGC_REPORT_DIR'] ? path.resolve(cwd, env['TGC_REPORT_DIR']) : undefined;

  return {
    description: `${builtIn ? `the reference server (api ${api})` : `${options.url} (api ${api})`}${shard ? `, shard ${shard.index}/${shard.count}` : ''}`,
    checkIds: ALL_CHECK_IDS.filter((id) => (checks.length === 0 || checks.includes(id)) && !exclude.includes(id)),
    async run(signal) {
      const builtInServer = apiByName(api)?.driver?.builtIn;
      const server = builtIn && builtInServer ? await startReferenceServer({ profile: builtInServer.profile, host: '127.0.0.1', port: 0 }) : undefined;
      try {
        const target = server && builtInServer ? { ...options, url: builtInServer.url(server.url) } : options;
        const report = await runConformance(target, {}, signal, { builtIn: server !== undefined });
        if (suppressions) applySuppressions(report, suppressions);
        if (baseline) applyBaseline(report, baseline);
        if (reportDir) writeReports(report, reportDir, createScrubber([token]));
        return report;
      } finally {
        await server?.close();
      }
    },
  };
}

function writeReports(report: TgcReport, dir: string, scrub: (text: string) => string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of BUILTIN_REPORTERS) writeFileSync(path.join(dir, reportFileNames[name]), scrub(reporters[name](report)));
}

/** `TGC_SHARD=I/N`, as `tgc run --shard I/N`: every shard must plan the same cases, so TGC_SEED is required. */
function shardOf(env: Env): ShardSpec | undefined {
  const raw = env['TGC_SHARD'];
  if (raw === undefined || raw === '') return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`TGC_SHARD must be I/N with 1 <= I <= N (e.g. 2/4), got "${raw}"`);
  if (env['TGC_SEED'] === undefined || env['TGC_SEED'] === '') throw new Error('TGC_SHARD needs TGC_SEED: every shard must plan the same cases from the same seed');
  return { index, count };
}

function ids(env: Env, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of list) if (!ALL_CHECK_IDS.includes(id)) throw new Error(`${name}: unknown check "${id}" (see tgc checks)`);
  return list;
}

function int(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return Number(raw);
}

function file<T>(env: Env, name: string, cwd: string, parse: (text: string) => T): T | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, value), 'utf8');
  } catch (e) {
    throw new Error(`${name}: cannot read ${value}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return parse(text);
  } catch (e) {
    throw new Error(`${name} ${value}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

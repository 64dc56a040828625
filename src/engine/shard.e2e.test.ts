/**
 * `tgc run --shard I/N` and `tgc merge`: the shards of one run, merged, give the report the
 * unsharded run gives with the same seed (cases, check rows, violations, dedupe keys, findings in
 * the same order), against the reference server, clean and with faults caught by an exchange
 * check and by a scenario check, on the native and the OpenAI-compatible routes. Requests,
 * timings and shrinking are spent differently on several machines and are left aside.
 */
import { describe, expect, it } from 'vitest';
import { apiByName } from '../apis/index.js';
import type { ApiName } from '../core/exchange.js';
import { faults, startReferenceServer, type Fault, type ReferenceServer } from '../reference/index.js';
import { reportSchemaErrors } from '../report/__fixtures__/report-schema.js';
import { combineReports } from '../report/combine.js';
import { MergeRefused, mergeShardReports } from '../report/merge.js';
import type { TgcReport } from '../report/report.js';
import { DEFAULT_LIMITS } from '../transport/index.js';
import type { RunOptions, ShardSpec } from './options.js';
import { runConformance } from './run.js';

interface Scenario {
  api: ApiName;
  seed: number;
  fault?: string;
  /** What the fault makes fail: the check id. */
  caughtBy?: string;
  /**
   * A server that ignores the seed answers random text: whether a check judges a random answer
   * (a grammar completed, a length reached) is chance, in one run as in another. Such runs keep
   * to the checks that judge every answer, and the scenario checks.
   */
  checks?: string[];
  /** Server settings tgc does not know before a case: a 422 teaches them, mid-run, in each shard. */
  server?: { maxTopNTokens?: number; maxStopSequences?: number };
  /** Default 3. */
  maxExamples?: number;
}

const SCENARIOS: readonly Scenario[] = [
  { api: 'tgi', seed: 11 },
  { api: 'tgi', seed: 6, server: { maxTopNTokens: 1 } },
  { api: 'tgi', seed: 2, fault: 'stream-index-gap', caughtBy: 'stream-index' },
  // More findings of one kind than a report lists (listedPerKind): the run lists the first by
  // plan order and counts the rest; merged shards list and count the same ones.
  { api: 'tgi', seed: 1, fault: 'generated-text-renamed', caughtBy: 'response-schema', maxExamples: 120 },
  {
    api: 'tgi',
    seed: 4,
    fault: 'seed-ignored',
    caughtBy: 'determinism',
    // Not stream-equivalence: under this fault a stream and its non-stream twin sample with two
    // unrelated random seeds, so whether they share the first token is chance, run to run.
    checks: ['response-completes', 'response-schema', 'stream-framing', 'stream-index', 'determinism', 'stream-incremental'],
  },
  { api: 'openai', seed: 11 },
  { api: 'openai', seed: 3, fault: 'openai-stream-done-missing', caughtBy: 'openai-stream-done' },
  {
    api: 'openai',
    seed: 5,
    fault: 'openai-seed-ignored',
    caughtBy: 'openai-determinism',
    // Not openai-stream-equivalence, for the same reason as seed-ignored above.
    checks: ['response-completes', 'stream-framing', 'openai-response-schema', 'openai-chunk-schema', 'openai-stream-done', 'openai-determinism'],
  },
];

/**
 * The reference server samples a request without a seed with a random one (as TGI does): whether
 * such an answer stops on length is chance, in one run as in another. Fixed here, so that a run
 * is a function of tgc's seed, as it must be for the comparison to mean something.
 */
const FIXED_SEED = (): bigint => 0x5eedn;

function faultNamed(name: string | undefined): Fault | undefined {
  if (name === undefined) return undefined;
  const fault = faults.find((f) => f.name === name);
  if (!fault) throw new Error(`no fault named ${name}`);
  return fault;
}

function options(server: ReferenceServer, api: ApiName, seed: number, fault: Fault | undefined, shard?: ShardSpec, checks: string[] = [], maxExamples = 3): RunOptions {
  const driver = apiByName(api)?.driver;
  if (!driver) throw new Error(`no driver for ${api}`);
  return {
    url: driver.builtIn.url(server.url),
    api,
    authRequired: false,
    headers: fault?.runOptions?.headers ?? {},
    seed,
    maxExamples,
    checks,
    excludeChecks: [],
    concurrency: 4,
    rate: 0,
    maxRequests: 5000,
    limits: { ...DEFAULT_LIMITS, timeoutMs: 4000, streamIdleMs: 1500, streamTotalMs: 8000 },
    serverLimits: {},
    ...(shard ? { shard } : {}),
  };
}

/** As report.json holds it: what `tgc merge` reads from a file. */
const asFile = (report: TgcReport): unknown => JSON.parse(JSON.stringify(report)) as unknown;

/**
 * What must be equal (golden.ts's normalisation, without what several machines spend
 * differently: requests, timings, shrinking and the shrunk request a finding then shows).
 * stream-incremental judges when tokens arrive (a timing, as in golden.ts); a server that ignores
 * the seed answers random text, so messages and excerpts are not compared.
 */
function normalise(report: TgcReport): unknown {
  return {
    tool: report.tool,
    target: report.target,
    seed: report.seed,
    interrupted: report.interrupted,
    limits: report.limits,
    summary: { ...report.summary, requests: 'aside' },
    checks: report.checks.map((c) =>
      c.id.endsWith('stream-incremental') && c.violations === 0 ? { id: c.id, violations: 0, warnings: c.warnings, timing: true } : c,
    ),
    findings: report.findings.map((f) => ({
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
      status: f.response?.status,
    })),
    skipped: report.skipped,
    coverage: report.coverage,
    omittedFindings: report.omittedFindings,
  };
}

describe('sharded runs merge into the unsharded report', () => {
  for (const s of SCENARIOS) {
    it(`api ${s.api}, ${s.fault ?? (s.server ? `limits learned ${JSON.stringify(s.server)}` : 'clean')} (seed ${s.seed}): 2 and 3 shards merged equal one run`, async () => {
      const fault = faultNamed(s.fault);
      const server = await startReferenceServer({
        ...(fault ? { fault, ...(fault.mockOptions ?? {}) } : {}),
        profile: apiByName(s.api)?.driver?.builtIn.profile ?? 'tgi',
        randomSeed: FIXED_SEED,
        ...s.server,
      });
      try {
        const whole = await runConformance(options(server, s.api, s.seed, fault, undefined, s.checks, s.maxExamples));
        const shardsOf = (count: number): Promise<TgcReport[]> =>
          Promise.all(
            Array.from({ length: count }, (_, i) => runConformance(options(server, s.api, s.seed, fault, { index: i + 1, count }, s.checks, s.maxExamples))),
          );
        if (s.maxExamples !== undefined) expect(whole.omittedFindings?.length, 'a run that lists fewer findings than it counts').toBeGreaterThan(0);
        const [two, three] = [await shardsOf(2), await shardsOf(3)];

        if (s.server) expect(Object.values(whole.limits).some((l) => l.source === 'learned'), JSON.stringify(whole.limits)).toBe(true);
        if (s.caughtBy) {
          expect(whole.checks.find((c) => c.id === s.caughtBy)?.status).toBe('fail');
        } else {
          expect(whole.summary.violations, JSON.stringify(whole.findings.slice(0, 3), null, 1)).toBe(0);
        }
        for (const shards of [two, three]) {
          for (const shard of shards) expect(reportSchemaErrors(shard)).toEqual([]);
          // Every case in one slice, each scenario check in one slice.
          expect(shards.reduce((n, r) => n + (r.shard?.cases ?? 0), 0)).toBe(whole.summary.cases + whole.summary.skippedCases);
          const owners = shards.flatMap((r) => r.shard?.surfaces[0]?.scenarioChecks ?? []);
          expect([...owners].sort()).toEqual(whole.checks.filter((c) => apiByName(s.api)?.scenarioChecks.some((sc) => sc.id === c.id)).map((c) => c.id).sort());

          // In any order: tgc merge sorts them.
          const merged = mergeShardReports([...shards].reverse().map((r, i) => ({ name: `shard-${i}.json`, report: asFile(r) })));
          expect(reportSchemaErrors(merged)).toEqual([]);
          expect(merged.shard).toBeUndefined();
          expect(normalise(merged)).toEqual(normalise(whole));
          expect(merged.findings.map((f) => f.dedupeKey)).toEqual(whole.findings.map((f) => f.dedupeKey));
        }
      } finally {
        await server.close();
      }
    }, 60_000);
  }

  it('several surfaces of one server (--api tgi,openai): each shard combined, then merged', async () => {
    const server = await startReferenceServer({ profile: 'tgi', randomSeed: FIXED_SEED });
    try {
      const both = (shard?: ShardSpec): Promise<TgcReport> =>
        Promise.all((['tgi', 'openai'] as const).map((api) => runConformance(options(server, api, 9, undefined, shard)))).then(combineReports);
      const whole = await both();
      const shards = await Promise.all([both({ index: 1, count: 2 }), both({ index: 2, count: 2 })]);
      expect(shards[0]?.shard?.surfaces.map((s) => s.api)).toEqual(['tgi', 'openai']);
      const merged = mergeShardReports(shards.map((r, i) => ({ name: `shard-${i + 1}.json`, report: asFile(r) })));
      expect(normalise(merged)).toEqual(normalise(whole));
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a shard spends its share of --max-requests, and names its slice', async () => {
    const server = await startReferenceServer({ profile: 'tgi' });
    try {
      const report = await runConformance({ ...options(server, 'tgi', 1, undefined, { index: 2, count: 4 }), maxRequests: 40 });
      expect(report.summary.requests).toBeLessThanOrEqual(10);
      expect(report.shard).toMatchObject({ index: 2, count: 4 });
      expect(report.run).toMatchObject({ maxRequests: 40, maxExamples: 3, checks: [], token: false });
      expect(report.shard?.surfaces[0]?.caseIds.every((id) => id % 4 === 1)).toBe(true);
      // Refused with one line: a missing shard.
      expect(() => mergeShardReports([{ name: 'only.json', report: asFile(report) }])).toThrow(MergeRefused);
    } finally {
      await server.close();
    }
  }, 60_000);
});

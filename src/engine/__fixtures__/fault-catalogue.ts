/**
 * Every fault of the catalogue is caught: the engine, over real HTTP on 127.0.0.1, run against
 * the reference server with the fault on, reports a violation from the check the fault names,
 * for three seeds. Prints the detection table. 100% is required.
 *
 * In-process (the same engine `tgc run` drives, and the same server `tgc mock --fault` serves) so
 * that the whole catalogue fits in CI's time; src/cli/reproduce.e2e.test.ts covers the two
 * executables end to end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { faults, startReferenceServer } from '../../reference/index.js';
import { DEFAULT_LIMITS } from '../../transport/index.js';
import type { Fault } from '../../reference/index.js';
import type { TgcReport } from '../../report/report.js';
import { runConformance } from '../run.js';

const SEEDS = [1, 2, 3];
const PARALLEL = 2;
const API_KEY = 'tgc-fault-key';

interface Row {
  fault: string;
  detectedBy: string;
  seeds: { seed: number; detected: boolean; violations: number; checks: string[] }[];
}

async function runAgainst(fault: Fault, seed: number): Promise<TgcReport> {
  const server = await startReferenceServer({
    fault,
    ...(fault.mockOptions ?? {}),
    ...(fault.runOptions?.authRequired ? { apiKey: fault.mockOptions?.apiKey ?? API_KEY } : {}),
  });
  try {
    const hf = fault.runOptions?.api === 'hf' || fault.mockOptions?.profile === 'hf';
    return await runConformance({
      url: hf ? `${server.url}/models/tgc/reference-model` : server.url,
      api: hf ? 'hf' : 'tgi',
      ...(fault.runOptions?.authRequired ? { token: fault.mockOptions?.apiKey ?? API_KEY } : {}),
      authRequired: fault.runOptions?.authRequired === true,
      headers: fault.runOptions?.headers ?? {},
      seed,
      maxExamples: 2,
      checks: [],
      excludeChecks: [],
      concurrency: 8,
      rate: 0,
      maxRequests: 5000,
      // Short deadlines: the faults that stall must not hold the suite.
      limits: { ...DEFAULT_LIMITS, timeoutMs: 4000, streamIdleMs: 1500, streamTotalMs: 8000 },
      serverLimits: {},
    });
  } finally {
    await server.close();
  }
}

/**
 * The catalogue test for one shard of the faults (`index % shards === shard`): vitest runs each
 * shard's file in its own worker, so the catalogue uses every core.
 */
export function describeFaultCatalogue(shard: number, shards: number): void {
const rows: Row[] = [];

describe(`the fault catalogue (shard ${shard + 1} of ${shards})`, () => {
  afterAll(() => {
    const width = Math.max(...rows.map((r) => r.fault.length));
    const lines = rows.map(
      (r) =>
        `${r.fault.padEnd(width)}  ${r.detectedBy.padEnd(26)}  ${r.seeds.map((s) => (s.detected ? 'caught' : 'MISSED')).join(' ')}`,
    );
    const caught = rows.flatMap((r) => r.seeds).filter((s) => s.detected).length;
    const total = rows.flatMap((r) => r.seeds).length;
    // The detection table, printed for the CI log.
    process.stdout.write(`\nfault detection, shard ${shard + 1} of ${shards} (seeds ${SEEDS.join(', ')}):\n${lines.join('\n')}\n${caught}/${total} detected\n`);
  });

  it.skipIf(shard !== 0)('has at least 40 faults, each naming a check', () => {
    if (process.env['TGC_FAULTS']) return;
    expect(faults.length).toBeGreaterThanOrEqual(40);
    for (const f of faults) expect(f.detectedBy, f.name).toBeTruthy();
  });

  it(
    'every fault is detected by the check it names, for three seeds',
    async () => {
      // TGC_FAULTS=a,b limits the loop while working on a fault.
      const only = process.env['TGC_FAULTS']?.split(',').filter(Boolean);
      const queue = faults.filter((f, i) => i % shards === shard && (!only || only.includes(f.name)));
      const worker = async (): Promise<void> => {
        for (let fault = queue.shift(); fault; fault = queue.shift()) {
          const row: Row = { fault: fault.name, detectedBy: fault.detectedBy ?? '', seeds: [] };
          for (const seed of SEEDS) {
            const report = await runAgainst(fault, seed);
            const violations = report.findings.filter((f) => f.severity === 'violation');
            row.seeds.push({
              seed,
              detected: violations.some((f) => f.check === fault.detectedBy),
              violations: violations.length,
              checks: [...new Set(violations.map((f) => f.check))],
            });
          }
          rows.push(row);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const missed = rows.flatMap((r) => r.seeds.filter((s) => !s.detected).map((s) => `${r.fault} (seed ${s.seed}; saw ${s.checks.join(', ') || 'nothing'})`));
      expect(missed).toEqual([]);
    },
    600_000,
  );
});
}

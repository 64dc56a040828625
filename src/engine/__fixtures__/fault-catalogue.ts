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
import { apiByName } from '../../apis/index.js';
import { faults, startReferenceServer } from '../../reference/index.js';
import { DEFAULT_LIMITS } from '../../transport/index.js';
import type { Fault } from '../../reference/index.js';
import type { TgcReport } from '../../report/report.js';
import { reporters } from '../../report/index.js';
import { formatExchangeLine } from '../exchange-lines.js';
import { runConformance } from '../run.js';

const SEEDS = [1, 2, 3];
const PARALLEL = 2;
/**
 * Every run sends this token (the auth faults' servers require it): nothing tgc produces from a
 * run, any report format or the recorded exchanges, may contain it, even before scrubbing.
 */
const TOKEN = 'hf_tgcCatalogueTOKEN_7c1e93';

interface Row {
  fault: string;
  detectedBy: string;
  seeds: { seed: number; detected: boolean; violations: number; checks: string[] }[];
}

async function runAgainst(fault: Fault, seed: number, recorded: string[]): Promise<TgcReport> {
  // The API the fault shows on: its run options', else the profile's surface (hf), else TGI's.
  const api = apiByName(fault.runOptions?.api ?? (fault.mockOptions?.profile === 'hf' ? 'hf' : 'tgi'));
  const builtIn = api?.driver?.builtIn;
  if (!api || !builtIn) throw new Error(`fault ${fault.name}: no API drives ${fault.runOptions?.api ?? 'tgi'}`);
  const server = await startReferenceServer({
    fault,
    profile: builtIn.profile,
    ...(fault.mockOptions ?? {}),
    ...(fault.runOptions?.authRequired ? { apiKey: TOKEN } : {}),
  });
  try {
    return await runConformance({
      url: builtIn.url(server.url),
      api: api.name,
      token: TOKEN,
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
    }, { onEvent: (e) => void (e.type === 'exchange' && recorded.push(formatExchangeLine(e.exchange))) });
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
const leaks: string[] = [];

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
            const recorded: string[] = [];
            const report = await runAgainst(fault, seed, recorded);
            const written = [...Object.values(reporters).map((render) => render(report)), ...recorded];
            if (written.some((text) => text.includes(TOKEN))) leaks.push(`${fault.name} (seed ${seed})`);
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
      expect(leaks, 'the token appeared in a report or a record').toEqual([]);
      const missed = rows.flatMap((r) => r.seeds.filter((s) => !s.detected).map((s) => `${r.fault} (seed ${s.seed}; saw ${s.checks.join(', ') || 'nothing'})`));
      expect(missed).toEqual([]);
    },
    600_000,
  );
});
}

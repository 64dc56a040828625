/**
 * `tgc run --shard I/N` and `tgc merge` as a CI job runs them: the built executable, two shards
 * (each on its own machine, here its own process), then the merge; its exit code and verdicts
 * are those of the unsharded run.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TgcReport } from '../report/report.js';
import { BIN, startMock, tgc, type MockProcess } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-shard-'));
const readReport = (dir: string): TgcReport => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
const quick = ['--max-examples', '2', '--format', 'json,md'];

/**
 * What a merge must give as the unsharded run gives it (timings, requests and shrinking aside).
 * One row is chance in any run against `tgc mock`: stream-incremental judges when tokens arrive.
 * The mock runs with --sampling-seed, so an unseeded sampling request (whether it completes its
 * grammar, what it generates) gets the same answer in the whole run and in its shard.
 */
const CHANCE = new Set(['stream-incremental']);
const verdicts = (r: TgcReport): unknown => ({
  cases: r.summary.cases,
  violations: r.summary.violations,
  rows: r.checks.map((c) => (CHANCE.has(c.id) ? [c.id, c.violations] : [c.id, c.status, c.cases, c.violations])),
  keys: r.findings.map((f) => f.dedupeKey),
});

describe.skipIf(!existsSync(BIN))('tgc run --shard, then tgc merge (built CLI)', () => {
  it('against the built-in reference server: 2 shards merge into a passing report, exit 0', async () => {
    const dirs = [1, 2].map((i) => path.join(tmp, `builtin-${i}`));
    const shards = await Promise.all(dirs.map((dir, i) => tgc(['run', '--seed', '5', '--shard', `${i + 1}/2`, '--report-dir', dir, ...quick])));
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    expect(shards[0]?.stdout).toMatch(/tgc: shard 1\/2: \d+ checks/);
    const merged = await tgc(['merge', ...dirs.map((d) => path.join(d, 'report.json')), '--out', path.join(tmp, 'builtin-merged')]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    const report = readReport(path.join(tmp, 'builtin-merged'));
    expect(report.summary.cases).toBe(readReport(dirs[0]!).summary.cases + readReport(dirs[1]!).summary.cases);
    expect(report.shard).toBeUndefined();
    expect(existsSync(path.join(tmp, 'builtin-merged', 'report.html'))).toBe(true);
  });

  describe('against tgc mock --fault stream-index-gap', () => {
    let mock: MockProcess;
    beforeAll(async () => {
      mock = await startMock(['--fault', 'stream-index-gap', '--sampling-seed', '1']);
    });
    afterAll(async () => {
      await mock?.stop();
    });

    it('the merge exits 1 as the unsharded run does, with its verdicts', async () => {
      const run = (dir: string, ...extra: string[]) =>
        tgc(['run', '--url', mock.url, '--seed', '2', '--rate', '0', '--concurrency', '8', '--report-dir', path.join(tmp, dir), ...quick, ...extra]);
      const [whole, one, two] = await Promise.all([run('whole'), run('gap-1', '--shard', '1/2'), run('gap-2', '--shard', '2/2')]);
      expect(whole.code).toBe(1);
      expect([one?.code, two?.code]).toContain(1);
      const merged = await tgc(['merge', path.join(tmp, 'gap-2', 'report.json'), path.join(tmp, 'gap-1', 'report.json'), '--out', path.join(tmp, 'gap-merged')]);
      expect(merged.code, merged.stderr).toBe(1);
      expect(merged.stdout).toContain('stream-index');
      expect(verdicts(readReport(path.join(tmp, 'gap-merged')))).toEqual(verdicts(readReport(path.join(tmp, 'whole'))));

      // One shard missing, or mixed with another run's shard: exit 2, one line.
      const missing = await tgc(['merge', path.join(tmp, 'gap-1', 'report.json'), '--out', path.join(tmp, 'refused')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe('tgc: shard 2/2 missing: give the reports of all 2 shards\n');
      const mixed = await tgc(['merge', path.join(tmp, 'gap-1', 'report.json'), path.join(tmp, 'builtin-2', 'report.json'), '--out', path.join(tmp, 'refused')]);
      expect(mixed.code).toBe(2);
      expect(mixed.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});

/** Joining shard reports (src/report/merge.ts), on reports made by hand. */
import { describe, expect, it } from 'vitest';
import { shardReport } from './__fixtures__/shard-reports.js';
import { reportSchemaErrors } from './__fixtures__/report-schema.js';
import { MergeRefused, mergeShardReports } from './merge.js';

const inputs = (...reports: unknown[]) => reports.map((report, i) => ({ name: `r${i + 1}.json`, report }));

describe('mergeShardReports', () => {
  it('joins the slices: rows added up, findings by case then scenario, the scenario row from its shard', () => {
    const merged = mergeShardReports(inputs(shardReport(3, 3), shardReport(1, 3), shardReport(2, 3)));
    expect(reportSchemaErrors(merged)).toEqual([]);
    expect(merged.shard).toBeUndefined();
    expect(merged.run).toBeUndefined();
    expect(merged.checks).toEqual([
      { id: 'tokens-count', severity: 'violation', title: 'tokens', status: 'fail', cases: 6, violations: 1, warnings: 0 },
      { id: 'serverless-headers', severity: 'violation', title: 'serverless', status: 'skip', reason: 'not the serverless endpoint (--api hf)', cases: 0, violations: 0, warnings: 0 },
      { id: 'determinism', severity: 'violation', title: 'determinism', status: 'fail', cases: 2, violations: 1, warnings: 0 },
    ]);
    expect(merged.findings.map((f) => `${f.check}:${f.case?.id ?? '-'}`)).toEqual(['tokens-count:4', 'determinism:-']);
    expect(merged.summary).toMatchObject({ checks: 3, cases: 6, violations: 2, warnings: 0, known: 0 });
  });

  it('gives the same report whatever the number of shards', () => {
    const strip = (r: ReturnType<typeof mergeShardReports>) => ({ checks: r.checks, findings: r.findings, cases: r.summary.cases });
    expect(strip(mergeShardReports(inputs(shardReport(1, 2), shardReport(2, 2))))).toEqual(
      strip(mergeShardReports(inputs(shardReport(1, 3), shardReport(2, 3), shardReport(3, 3)))),
    );
  });

  it('drops the marks of a baseline or suppressions a shard was run with', () => {
    const two = shardReport(2, 2);
    two.findings[0] = { ...two.findings[0]!, known: true, suppressed: 'accepted' };
    const merged = mergeShardReports(inputs(shardReport(1, 2), two));
    expect(merged.findings.every((f) => f.known === undefined && f.suppressed === undefined)).toBe(true);
  });

  it.each([
    ['another seed', () => inputs(shardReport(1, 2), { ...shardReport(2, 2), seed: 8 }), /not a shard of the same run as r1\.json: the seeds differ/],
    ['another version', () => inputs(shardReport(1, 2), { ...shardReport(2, 2), tool: { name: 'tgc', version: '9.9.9' } }), /the tgc versions differ/],
    ['other options', () => inputs(shardReport(1, 2), { ...shardReport(2, 2), run: { ...shardReport(2, 2).run!, maxExamples: 5 } }), /the options differ/],
    ['another target', () => inputs(shardReport(1, 2), { ...shardReport(2, 2), target: { url: 'http://other:8080', api: 'tgi', builtIn: false } }), /the targets differ/],
    ['another split', () => inputs(shardReport(1, 2), shardReport(2, 3), shardReport(3, 3)), /the numbers of shards differ/],
    ['a missing shard', () => inputs(shardReport(1, 3), shardReport(3, 3)), /^shard 2\/3 missing/],
    ['a duplicate', () => inputs(shardReport(1, 2), shardReport(1, 2), shardReport(2, 2)), /^shard 1\/2 is given twice: r1\.json and r2\.json/],
    ['a report without --shard', () => inputs(shardReport(1, 2), { ...shardReport(2, 2), shard: undefined }), /r2\.json is not the report\.json of a tgc run --shard: it has no shard section/],
    ['something else', () => inputs(shardReport(1, 2), [1, 2]), /r2\.json is not the report\.json of a tgc run --shard: not a tgc report/],
  ])('refuses %s, in one line', (_name, make, message) => {
    let error: unknown;
    try {
      mergeShardReports(make());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MergeRefused);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

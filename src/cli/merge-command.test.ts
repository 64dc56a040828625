/**
 * `tgc merge` at the command line: the merged report in every format with the exit code the
 * unsharded run would have had; shards that do not belong together exit 2 with one line; and
 * `tgc run --shard` without `--seed` exits 2 before testing anything.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardReport } from '../report/__fixtures__/shard-reports.js';
import type { TgcReport } from '../report/report.js';
import { runCli } from './program.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tgc-merge-'));
const file = (name: string, value: unknown): string => {
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
};
const S1 = file('s1.json', shardReport(1, 2));
const S2 = file('s2.json', shardReport(2, 2));

async function tgc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: {} });
  return { code, stdout, stderr };
}

describe('tgc merge', () => {
  it('writes the merged report in every format and exits 1 on its violations', async () => {
    const r = await tgc('merge', S2, S1, '--out', 'merged');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    for (const name of ['report.json', 'junit.xml', 'report.md', 'report.html']) expect(existsSync(path.join(dir, 'merged', name))).toBe(true);
    const report = JSON.parse(readFileSync(path.join(dir, 'merged', 'report.json'), 'utf8')) as TgcReport;
    expect(report.summary).toMatchObject({ cases: 6, violations: 2 });
    expect(r.stdout).toContain('2 violations');
  });

  it('applies --baseline and --format as tgc run does: exit 0 when every violation is known', async () => {
    const baseline = file('baseline.json', { findings: [...shardReport(1, 2).findings, ...shardReport(2, 2).findings] });
    const r = await tgc('merge', S1, S2, '--out', 'known', '--format', 'json', '--baseline', baseline);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'known', 'report.md'))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(dir, 'known', 'report.json'), 'utf8')) as TgcReport;
    expect(report.summary.known).toBe(2);
  });

  it.each([
    ['a missing shard', () => [S1], /^tgc: shard 2\/2 missing/],
    ['a duplicate', () => [S1, S1, S2], /^tgc: shard 1\/2 is given twice/],
    ['another seed', () => [S1, file('seed.json', { ...shardReport(2, 2), seed: 99 })], /the seeds differ/],
    ['other options', () => [S1, file('opts.json', { ...shardReport(2, 2), run: { ...shardReport(2, 2).run, checks: ['tokens-count'] } })], /the options differ/],
    ['another tool version', () => [S1, file('version.json', { ...shardReport(2, 2), tool: { name: 'tgc', version: '0.0.1' } })], /the tgc versions differ/],
    ['another target', () => [S1, file('target.json', { ...shardReport(2, 2), target: { url: 'http://elsewhere/', api: 'tgi', builtIn: false } })], /the targets differ/],
    ['a report of a run without --shard', () => [S1, file('plain.json', { ...shardReport(2, 2), shard: undefined })], /not the report\.json of a tgc run --shard: it has no shard section/],
    ['a file that is not JSON', () => [S1, file('junit.xml', '<testsuites/>')], /junit\.xml is not the report\.json of a tgc run --shard: not JSON/],
    ['a file that is not there', () => [S1, 'nowhere.json'], /cannot read nowhere\.json: ENOENT/],
  ])('refuses %s: exit 2, one line, nothing written', async (_name, files, message) => {
    const out = `refused-${Math.random().toString(36).slice(2)}`;
    const r = await tgc('merge', ...files(), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(dir, out, 'report.json'))).toBe(false);
  });
});

describe('tgc run --shard', () => {
  it.each([
    [['--shard', '1/2'], /^tgc: --shard needs --seed/],
    [['--shard', '3/2', '--seed', '1'], /^tgc: --shard must be I\/N with 1 <= I <= N/],
    [['--shard', 'half', '--seed', '1'], /^tgc: --shard must be I\/N/],
    [['--shard', '0/2', '--seed', '1'], /^tgc: --shard must be I\/N/],
  ])('%j: exit 2 with one line, before testing', async (args, message) => {
    const r = await tgc('run', ...args, '--report-dir', 'unused');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

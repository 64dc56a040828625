/**
 * The contract suites as a user runs them: `vitest run --project suites` in a child process with
 * TGC_URL pointing at `tgc mock` in another process. They pass against the faithful server, fail
 * (on the check that names the rule) against a faulty one, and pass again against the faulty one
 * once a baseline made from its report says those violations are known.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, startMock, tgc, type MockProcess } from '../src/cli/__fixtures__/tgc-process.js';
import { findAll, parseXml } from '../src/report/__fixtures__/parse-xml.js';
import { reportSchemaErrors } from '../src/report/__fixtures__/report-schema.js';
import type { TgcReport } from '../src/report/report.js';
import { ALL_CHECK_IDS } from './target.js';

const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

interface SuitesRun {
  code: number | null;
  output: string;
  /** Test title → status (passed, failed, skipped) and failure messages. */
  tests: Map<string, { status: string; failures: string[] }>;
}

interface JsonResults {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

function runSuites(env: Record<string, string>, dir: string, args: readonly string[] = []): Promise<SuitesRun> {
  const out = path.join(dir, 'vitest.json');
  // The child reads only what we give it: no TGC_* or VITEST* variables leak from this process.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TGC_') && !k.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--project', 'suites', '--reporter=json', `--outputFile=${out}`, ...args], {
      cwd: ROOT,
      env: { ...base, TGC_MAX_EXAMPLES: '4', TGC_RATE: '0', TGC_SEED: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const tests = new Map<string, { status: string; failures: string[] }>();
      if (existsSync(out)) {
        const results = JSON.parse(readFileSync(out, 'utf8')) as JsonResults;
        for (const t of results.testResults.flatMap((r) => r.assertionResults)) tests.set(t.title, { status: t.status, failures: t.failureMessages });
      }
      resolve({ code, output, tests });
    });
  });
}

/** The failed tests with their messages, to explain an unexpected failure. */
const failures = (run: SuitesRun): string =>
  [...run.tests].filter(([, t]) => t.status === 'failed').map(([title, t]) => `${title}: ${t.failures.join('\n')}`).join('\n\n') || run.output;

const byStatus = (run: SuitesRun, status: string): string[] => [...run.tests].filter(([, t]) => t.status === status).map(([title]) => title).sort();

describe.skipIf(!existsSync(BIN))('npm run suites against tgc mock', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-suites-'));
  const reportDir = path.join(tmp, 'faulty-reports');
  let good: MockProcess;
  let faulty: MockProcess;
  const shardDir = (i: number): string => path.join(tmp, `shard-${i}-reports`);
  let pass: SuitesRun;
  let fail: SuitesRun;
  let shards: SuitesRun[];

  beforeAll(async () => {
    // --sampling-seed: an unseeded sampling request gets the same answer in the whole run and in
    // the shard that sends it (a random draw would make content-dependent warnings chance).
    [good, faulty] = await Promise.all([startMock(), startMock(['--fault', 'generated-tokens-off-by-one', '--sampling-seed', '1'])]);
    // Two CI machines: vitest spreads the family files, TGC_SHARD the requests of the run.
    const shard = (i: number): Promise<SuitesRun> =>
      runSuites({ TGC_URL: faulty.url, TGC_SHARD: `${i}/2`, TGC_REPORT_DIR: shardDir(i) }, path.join(tmp, `shard-${i}`), [`--shard=${i}/2`]);
    [pass, fail, ...shards] = await Promise.all([
      runSuites({ TGC_URL: good.url }, path.join(tmp, 'pass')),
      runSuites({ TGC_URL: faulty.url, TGC_REPORT_DIR: reportDir }, path.join(tmp, 'fail')),
      shard(1),
      shard(2),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([good?.stop(), faulty?.stop()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('passes against the faithful server: one test per check, none failed', () => {
    expect(byStatus(pass, 'failed'), failures(pass)).toEqual([]);
    expect(pass.code, pass.output).toBe(0);
    expect([...pass.tests.keys()].sort()).toEqual([...ALL_CHECK_IDS].sort());
    expect(byStatus(pass, 'passed').length).toBeGreaterThan(ALL_CHECK_IDS.length / 2);
  });

  it('fails against generated-tokens-off-by-one, on tokens-count, with the reproduce command', () => {
    expect(fail.code, fail.output).toBe(1);
    const failed = byStatus(fail, 'failed');
    expect(failed).toContain('tokens-count');
    const message = fail.tests.get('tokens-count')?.failures.join('\n') ?? '';
    expect(message).toMatch(/tokens-count: \d+ violations? of .* \(seed 1; rerun with TGC_SEED=1\)/);
    expect(message).toContain(`reproduce: curl -sS -X POST '${faulty.url}/generate`);
    expect(message).toContain('dedupeKey: tokens-count|POST /generate|tokens-length-mismatch');
    // Checks about other rules still pass.
    expect(byStatus(fail, 'passed')).toContain('stream-index');
  });

  it('writes every report with TGC_REPORT_DIR; report.json matches its schema, junit.xml names the failure', () => {
    const report = JSON.parse(readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as TgcReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.summary.violations).toBeGreaterThan(0);
    const junit = parseXml(readFileSync(path.join(reportDir, 'junit.xml'), 'utf8'));
    const failed = findAll(junit, 'testcase').filter((t) => t.children.some((c) => c.name === 'failure'));
    expect(failed.map((t) => t.attributes['name'])).toEqual(expect.arrayContaining(['tokens-count']));
    expect(readFileSync(path.join(reportDir, 'report.md'), 'utf8')).toMatch(/^# tgc conformance report: violations found/);
    expect(readFileSync(path.join(reportDir, 'report.html'), 'utf8')).toContain('<tr data-check="tokens-count" data-status="fail">');
  });

  it('spreads over vitest --shard and TGC_SHARD: each shard leaves a report, tgc merge joins them into the whole run\'s verdict', async () => {
    // Every family file ran on one of the two machines: one test per check in all.
    const titles = shards.flatMap((run) => [...run.tests.keys()]);
    expect([...titles].sort()).toEqual([...ALL_CHECK_IDS].sort());
    const merged = await tgc(['merge', path.join(shardDir(1), 'report.json'), path.join(shardDir(2), 'report.json'), '--out', path.join(tmp, 'merged')]);
    expect(merged.code, merged.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(tmp, 'merged', 'report.json'), 'utf8')) as TgcReport;
    const whole = JSON.parse(readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as TgcReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.summary.cases).toBe(whole.summary.cases);
    expect(report.checks.find((c) => c.id === 'tokens-count')).toMatchObject({ status: 'fail', violations: whole.checks.find((c) => c.id === 'tokens-count')?.violations });
    expect(new Set(report.findings.map((f) => f.dedupeKey))).toEqual(new Set(whole.findings.map((f) => f.dedupeKey)));
  });

  it('passes against the faulty server once its report is the baseline (TGC_BASELINE)', async () => {
    const again = await runSuites({ TGC_URL: faulty.url, TGC_BASELINE: path.join(reportDir, 'report.json') }, path.join(tmp, 'baseline'));
    expect(byStatus(again, 'failed'), failures(again)).toEqual([]);
    expect(again.code, again.output).toBe(0);
  });
});

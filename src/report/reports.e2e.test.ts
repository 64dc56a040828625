/**
 * Every report format from real conformance runs (the engine against the reference server over
 * a real port, faithful and faulty), checked the way their readers read them; and the baseline
 * workflow: a baseline made from a faulty run keeps the same run from failing, a new fault fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_DEFAULTS, type RunOptions } from '../engine/options.js';
import { runConformance } from '../engine/run.js';
import { findFault, startReferenceServer } from '../reference/index.js';
import { DEFAULT_LIMITS } from '../transport/index.js';
import { findAll, parseXml } from './__fixtures__/parse-xml.js';
import { reportSchemaErrors } from './__fixtures__/report-schema.js';
import { applyBaseline, baselineKeys } from './baseline.js';
import { BUILTIN_REPORTERS, reportFileNames, reporters } from './index.js';
import { failingViolations, type TgcReport } from './report.js';
import { applySuppressions, parseSuppressions } from './suppressions.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-reports-'));

async function run(fault?: string, seed = 5): Promise<TgcReport> {
  const f = fault === undefined ? undefined : findFault(fault);
  if (fault !== undefined && !f) throw new Error(`no fault ${fault}`);
  const server = await startReferenceServer({ host: '127.0.0.1', port: 0, ...(f ? { fault: f } : {}) });
  try {
    const options: RunOptions = {
      url: server.url,
      api: 'tgi',
      authRequired: false,
      headers: {},
      seed,
      maxExamples: 3,
      checks: [],
      excludeChecks: [],
      concurrency: 8,
      rate: 0,
      maxRequests: RUN_DEFAULTS.maxRequests,
      limits: DEFAULT_LIMITS,
      serverLimits: {},
    };
    return await runConformance(options, {}, undefined, { builtIn: false });
  } finally {
    await server.close();
  }
}

/** Writes every format, as `tgc run` does, and returns the directory. */
function writeAll(report: TgcReport, name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of BUILTIN_REPORTERS) writeFileSync(path.join(dir, reportFileNames[f]), reporters[f](report));
  return dir;
}

const read = (dir: string, format: keyof typeof reportFileNames): string => readFileSync(path.join(dir, reportFileNames[format]), 'utf8');

describe('reports from real runs', () => {
  let clean: TgcReport;
  let faulty: TgcReport;

  beforeAll(async () => {
    [clean, faulty] = await Promise.all([run(), run('generated-tokens-off-by-one')]);
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([
    ['without violations', () => clean, 'conforms', 0],
    ['with violations', () => faulty, 'violations found', 1],
  ])('a run %s gets every format, each readable', (name, get, verdict, failed) => {
    const report = get();
    expect(failingViolations(report) > 0 ? 1 : 0).toBe(failed);
    const dir = writeAll(report, name.replace(/\W+/g, '-'));

    const json = JSON.parse(read(dir, 'json')) as TgcReport;
    expect(reportSchemaErrors(json)).toEqual([]);
    expect(json.checks).toHaveLength(report.checks.length);

    const junit = parseXml(read(dir, 'junit'));
    const cases = findAll(junit, 'testcase');
    expect(cases.map((c) => c.attributes['name'])).toEqual(report.checks.map((c) => c.id));
    const failing = cases.filter((c) => c.children.some((e) => e.name === 'failure')).map((c) => c.attributes['name']);
    expect(failing).toEqual(report.checks.filter((c) => c.status === 'fail').map((c) => c.id));
    const skipped = cases.filter((c) => c.children.some((e) => e.name === 'skipped'));
    for (const s of skipped) expect(s.children.find((e) => e.name === 'skipped')?.attributes['message']).toBeTruthy();

    expect(read(dir, 'md').split('\n')[0]).toBe(`# tgc conformance report: ${verdict}`);
    const html = read(dir, 'html');
    expect(html.match(/<tr data-check=/g)).toHaveLength(report.checks.length);
    expect(html).toContain('data-chart="latency"');
    expect(html).toContain('data-chart="first-event"');
  });

  it('the faulty run fails on tokens-count, and its failure carries the reproduce command', () => {
    const junit = parseXml(read(writeAll(faulty, 'faulty-junit'), 'junit'));
    const tc = findAll(junit, 'testcase').find((c) => c.attributes['name'] === 'tokens-count');
    const failure = tc?.children.find((e) => e.name === 'failure');
    expect(failure?.text).toMatch(/reproduce \(seed 5\):\n {2}curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('a baseline made from the faulty run: the same run no longer fails; a new fault does; fixed keys are listed', async () => {
    const keys = baselineKeys(reporters.json(faulty));
    const [same, other] = await Promise.all([run('generated-tokens-off-by-one'), run('stream-index-from-zero')]);

    applyBaseline(same, keys);
    expect(failingViolations(same)).toBe(0);
    expect(same.summary.known).toBe(same.summary.violations);
    expect(same.fixed).toEqual([]);
    expect(reportSchemaErrors(same)).toEqual([]);
    expect(reporters.md(same).split('\n')[0]).toBe('# tgc conformance report: no new violations');

    applyBaseline(other, keys);
    expect(failingViolations(other)).toBeGreaterThan(0);
    expect(other.fixed).toContain('tokens-count|POST /generate|tokens-length-mismatch');
    expect(reporters.html(other)).toContain('<section id="fixed">');
    expect(reportSchemaErrors(other)).toEqual([]);
  });

  it('suppressing the faulty checks keeps the findings listed and the run from failing', async () => {
    const report = await run('generated-tokens-off-by-one');
    const failingChecks = [...new Set(report.findings.filter((f) => f.severity === 'violation').map((f) => f.check))];
    const rules = parseSuppressions(JSON.stringify({ suppressions: failingChecks.map((check) => ({ check, reason: `accepted: ${check}` })) }));
    applySuppressions(report, rules);
    expect(failingViolations(report)).toBe(0);
    expect(report.findings.filter((f) => f.severity === 'violation').every((f) => f.suppressed?.startsWith('accepted: '))).toBe(true);
    expect(reportSchemaErrors(report)).toEqual([]);
    const junit = parseXml(reporters.junit(report));
    expect(findAll(junit, 'failure')).toEqual([]);
    expect(findAll(junit, 'system-out').some((o) => o.text.includes('suppressed (accepted: tokens-count)'))).toBe(true);
  });
});

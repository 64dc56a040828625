import { describe, expect, it } from 'vitest';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { applyBaseline, baselineKeys } from './baseline.js';
import { renderJsonReport } from './json.js';
import { failingViolations, type TgcReport } from './report.js';

const unmarked = (): TgcReport => {
  const r = reportWithViolations();
  for (const f of r.findings) {
    delete f.known;
    delete f.suppressed;
  }
  delete r.fixed;
  return r;
};

describe('baseline', () => {
  it('a baseline made from a run makes the same run pass, and lists every violation as known', () => {
    const old = unmarked();
    const keys = baselineKeys(renderJsonReport(old, (t) => t));
    const again = unmarked();
    const outcome = applyBaseline(again, keys);
    expect(outcome).toEqual({ newViolations: 0, known: 7, fixed: [] });
    expect(failingViolations(again)).toBe(0);
    expect(again.findings.filter((f) => f.severity === 'violation').every((f) => f.known)).toBe(true);
    expect(again.findings.filter((f) => f.severity === 'warning').some((f) => f.known)).toBe(false);
  });

  it('reads a baseline written by a version-1 report (before the OpenAI-compatible routes)', () => {
    const v1 = JSON.parse(renderJsonReport(unmarked(), (t) => t)) as Record<string, unknown>;
    v1['schemaVersion'] = 1;
    const keys = baselineKeys(JSON.stringify(v1));
    const outcome = applyBaseline(unmarked(), keys);
    expect(outcome).toEqual({ newViolations: 0, known: 7, fixed: [] });
  });

  it('a new kind of violation still fails; keys gone from checks that ran are fixed', () => {
    const old = cleanReport();
    old.findings.push({ ...unmarked().findings[0]!, dedupeKey: 'tokens-count|POST /|tokens-length-mismatch' });
    old.findings.push({ ...unmarked().findings[0]!, check: 'serverless-headers', dedupeKey: 'serverless-headers|POST /|missing' });
    old.findings.push({ ...unmarked().findings[0]!, check: 'not-run', dedupeKey: 'not-run|POST /|x' });
    const keys = baselineKeys(JSON.stringify(old));
    const now = cleanReport();
    now.findings.push(unmarked().findings[0]!);
    const outcome = applyBaseline(now, keys);
    expect(outcome.newViolations).toBe(1);
    expect(failingViolations(now)).toBe(1);
    // tokens-count passed here: its old key is fixed. serverless-headers was skipped and not-run
    // did not run: they tell nothing.
    expect(now.fixed).toEqual(['tokens-count|POST /|tokens-length-mismatch']);
  });

  it('suppressed violations are not new violations', () => {
    const now = unmarked();
    for (const f of now.findings) if (f.check === 'tokens-count') f.suppressed = 'accepted';
    expect(applyBaseline(now, new Set()).newViolations).toBe(failingViolations(now));
  });

  it.each([
    ['not JSON', 'nope', /^not JSON/],
    ['no findings', '{}', /no "findings" list/],
    ['a finding without a key', '{"findings":[{"severity":"violation"}]}', /without "dedupeKey"/],
  ])('baselineKeys rejects %s', (_name, text, message) => {
    expect(() => baselineKeys(text)).toThrow(message);
  });
});

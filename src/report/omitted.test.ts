/**
 * Findings counted but not listed (`omittedFindings`): every count, verdict and writer includes
 * them as the listed findings of their kind, and the report still validates.
 */
import { describe, expect, it } from 'vitest';
import { reportSchemaErrors } from './__fixtures__/report-schema.js';
import { cleanReport } from './__fixtures__/sample-reports.js';
import { applyBaseline } from './baseline.js';
import { renderHtmlReport } from './html.js';
import { renderJunitReport } from './junit.js';
import { renderMarkdownReport } from './markdown.js';
import { countFindings, failingViolations, findingsByKind, type ReportFinding, type TgcReport } from './report.js';
import { applySuppressions } from './suppressions.js';

const KEY_A = 'response-schema|POST /generate|required:/generated_text';
const KEY_B = 'tokens-count|POST /|tokens-length-mismatch';

const finding = (key: string, caseId: number): ReportFinding => {
  const [check = '', route = '', kind = ''] = key.split('|');
  return { check, severity: 'violation', kind, title: `${check} failed`, message: `${check} failed on case ${caseId}`, dedupeKey: key, route, seed: 1, case: { id: caseId, label: `case ${caseId}`, purpose: 'positive' } };
};

/** A run that listed 2 findings of kind A (of 500) and 1 of kind B (of 3). */
function report(): TgcReport {
  const r = cleanReport();
  r.findings = [finding(KEY_A, 0), finding(KEY_A, 1), finding(KEY_B, 2)];
  r.omittedFindings = [
    { dedupeKey: KEY_A, check: 'response-schema', severity: 'violation', route: 'POST /generate', count: 498 },
    { dedupeKey: KEY_B, check: 'tokens-count', severity: 'violation', route: 'POST /', count: 2 },
  ];
  r.checks = [
    { id: 'response-schema', severity: 'violation', title: 'schema', status: 'fail', cases: 600, violations: 500, warnings: 0 },
    { id: 'tokens-count', severity: 'violation', title: 'tokens', status: 'fail', cases: 600, violations: 3, warnings: 0 },
  ];
  r.summary = { ...r.summary, checks: 2, cases: 600, violations: 503, warnings: 0 };
  return r;
}

describe('omittedFindings', () => {
  it('validates against report.schema.json', () => {
    expect(reportSchemaErrors(report())).toEqual([]);
    const bad = report() as unknown as { omittedFindings: { count: number }[] };
    bad.omittedFindings[0]!.count = 0;
    expect(reportSchemaErrors(bad).join('\n')).toMatch(/omittedFindings\/0\/count/);
  });

  it('counts in the verdict and per kind', () => {
    const r = report();
    expect(failingViolations(r)).toBe(503);
    expect(findingsByKind(r.findings, r.omittedFindings).map((k) => [k.finding.dedupeKey, k.count])).toEqual([
      [KEY_A, 500],
      [KEY_B, 3],
    ]);
    expect(countFindings(r, (f) => f.check === 'tokens-count')).toBe(3);
  });

  it('is known or suppressed as the listed findings of its kind', () => {
    const r = report();
    const s = applySuppressions(r, [{ check: 'tokens-count', route: 'POST /', reason: 'accepted' }]);
    expect(s.suppressed).toBe(3);
    expect(r.suppressions?.[0]?.matched).toBe(3);
    const b = applyBaseline(r, new Set([KEY_A]));
    expect(b.known).toBe(500);
    expect(b.newViolations).toBe(0);
    expect(r.summary.known).toBe(500);
    expect(failingViolations(r)).toBe(0);
  });

  it('shows in every writer: counts with the omitted ones, and a note that says so', () => {
    const r = report();
    const md = renderMarkdownReport(r);
    expect(md).toContain('500 findings are counted but not listed');
    expect(md).toContain('(500 times)');
    const html = renderHtmlReport(r);
    expect(html).toContain('500 findings are counted but not listed');
    expect(html).toContain('seen 500 times');
    expect(html).toContain('report.json lists 0 of them and counts the rest');
    expect(renderJunitReport(r)).toContain('500 violations');
  });
});

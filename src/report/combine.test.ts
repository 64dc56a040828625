import { describe, expect, it } from 'vitest';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { combineReports } from './combine.js';
import type { TgcReport } from './report.js';

const openai = (r: TgcReport): TgcReport => ({ ...r, target: { ...r.target, api: 'openai' } });

describe('combineReports', () => {
  it('one report is itself', () => {
    const r = cleanReport();
    expect(combineReports([r])).toBe(r);
  });

  it('adds up the rows of checks both ran, keeps the others, lists every finding and both APIs', () => {
    const a = reportWithViolations();
    const b = openai(cleanReport());
    const c = combineReports([a, b]);
    expect(c.target.apis).toEqual([a.target.api, 'openai']);
    expect(c.findings).toHaveLength(a.findings.length + b.findings.length);
    expect(c.summary.cases).toBe(a.summary.cases + b.summary.cases);
    expect(c.summary.violations).toBe(a.summary.violations + b.summary.violations);
    const ids = c.checks.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of c.checks) {
      const from = [a, b].flatMap((r) => r.checks.filter((x) => x.id === row.id));
      expect(row.cases).toBe(from.reduce((n, x) => n + x.cases, 0));
      expect(row.violations).toBe(from.reduce((n, x) => n + x.violations, 0));
      // The worse status wins: a failing row stays failing.
      if (from.some((x) => x.status === 'fail')) expect(row.status).toBe('fail');
    }
    expect(c.summary.checks).toBe(c.checks.length);
  });

  it('an interrupted surface makes the whole interrupted', () => {
    const b = { ...openai(cleanReport()), interrupted: true };
    expect(combineReports([cleanReport(), b]).interrupted).toBe(true);
  });
});

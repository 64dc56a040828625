import { describe, expect, it } from 'vitest';
import { reportWithViolations } from './__fixtures__/sample-reports.js';
import { BUILTIN_REPORTERS, isBuiltinReporter, reportFileNames, reporters } from './index.js';

describe('reporters', () => {
  it.each(BUILTIN_REPORTERS)('%s renders a report to text', (name) => {
    const text = reporters[name](reportWithViolations());
    expect(text.length).toBeGreaterThan(100);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('lists every reporter once, each with its own file', () => {
    expect([...BUILTIN_REPORTERS].sort()).toEqual(Object.keys(reporters).sort());
    expect(new Set(Object.values(reportFileNames)).size).toBe(BUILTIN_REPORTERS.length);
    expect(reportFileNames).toEqual({ json: 'report.json', junit: 'junit.xml', md: 'report.md', html: 'report.html' });
  });

  it.each([
    ['json', true],
    ['html', true],
    ['xml', false],
    ['toString', false],
  ])('isBuiltinReporter(%s) is %s', (name, want) => {
    expect(isBuiltinReporter(name)).toBe(want);
  });
});

import { describe, expect, it } from 'vitest';
import { reportWithViolations } from './__fixtures__/sample-reports.js';
import { failingViolations, type TgcReport } from './report.js';
import { applySuppressions, parseSuppressions } from './suppressions.js';

const KNOWN = ['tokens-count', 'stream-index', 'response-headers', 'error-message-exact'];

describe('parseSuppressions', () => {
  it.each([
    ['an object with a list', '{"suppressions":[{"check":"tokens-count","reason":" gateway "}]}', [{ check: 'tokens-count', reason: 'gateway' }]],
    ['a bare list', '[{"check":"stream-index","route":"POST /generate_stream","reason":"proxy"}]', [{ check: 'stream-index', route: 'POST /generate_stream', reason: 'proxy' }]],
    ['a scenario route', '[{"check":"tokens-count","route":"scenario","reason":"r"}]', [{ check: 'tokens-count', route: 'scenario', reason: 'r' }]],
    ['an empty list', '{"suppressions":[]}', []],
  ])('reads %s', (_name, text, want) => {
    expect(parseSuppressions(text, KNOWN)).toEqual(want);
  });

  it.each([
    ['not JSON', '{', /^not JSON/],
    ['no list', '{"rules":[]}', /^expected \{"suppressions": \[/],
    ['an entry that is not an object', '[1]', /^entry 1: expected an object/],
    ['a missing reason', '[{"check":"tokens-count"}]', /^entry 1 \(tokens-count\): "reason" is required/],
    ['a blank reason', '[{"check":"tokens-count","reason":"  "}]', /"reason" is required/],
    ['a missing check', '[{"reason":"x"}]', /^entry 1: "check" must be a check id/],
    ['an unknown check', '[{"check":"tokens-cout","reason":"x"}]', /^entry 1: unknown check "tokens-cout"/],
    ['an unknown route', '[{"check":"tokens-count","route":"/generate","reason":"x"}]', /^entry 1: "route" must be one of "POST \/generate"/],
    ['a misspelt field', '[{"check":"tokens-count","reason":"x"},{"check":"tokens-count","reasons":"x"}]', /^entry 2: unknown field "reasons"/],
  ])('rejects %s with a clear message', (_name, text, message) => {
    expect(() => parseSuppressions(text, KNOWN)).toThrow(message);
  });

  it('accepts any check id when it is not given the list', () => {
    expect(parseSuppressions('[{"check":"future-check","reason":"x"}]')).toEqual([{ check: 'future-check', reason: 'x' }]);
  });
});

describe('applySuppressions', () => {
  const fresh = (): TgcReport => {
    const r = reportWithViolations();
    for (const f of r.findings) delete f.suppressed;
    delete r.suppressions;
    delete r.summary.suppressed;
    return r;
  };

  it('marks matching findings with the reason, keeps them listed, and stops them failing the run', () => {
    // Arrange
    const report = fresh();
    const before = failingViolations(report);
    // Act
    const outcome = applySuppressions(report, [{ check: 'tokens-count', reason: 'tokenizer quirk' }]);
    // Assert
    const tokens = report.findings.filter((f) => f.check === 'tokens-count');
    expect(tokens).toHaveLength(2);
    expect(tokens.every((f) => f.suppressed === 'tokenizer quirk')).toBe(true);
    expect(outcome).toEqual({ suppressed: 2, unused: [] });
    expect(report.summary.suppressed).toBe(2);
    expect(failingViolations(report)).toBe(before - 2);
    expect(report.suppressions).toEqual([{ check: 'tokens-count', reason: 'tokenizer quirk', matched: 2 }]);
  });

  it('matches the route when one is given; a route rule wins over a check-wide one; scenario findings have route "scenario"', () => {
    const report = fresh();
    const outcome = applySuppressions(report, [
      { check: 'response-headers', reason: 'all routes' },
      { check: 'response-headers', route: 'POST /', reason: 'the compat route' },
      { check: 'tokens-count', route: 'POST /generate_stream', reason: 'never matches' },
      { check: 'determinism', route: 'scenario', reason: 'GPU batching' },
    ]);
    const headers = report.findings.filter((f) => f.check === 'response-headers');
    expect(headers.map((f) => [f.route, f.suppressed])).toEqual([
      ['POST /generate', 'all routes'],
      ['POST /', 'the compat route'],
    ]);
    expect(report.findings.find((f) => f.check === 'determinism')?.suppressed).toBe('GPU batching');
    expect(outcome.unused).toEqual([{ check: 'tokens-count', route: 'POST /generate_stream', reason: 'never matches' }]);
    // Two violations (response-headers on /generate, determinism); the warning on / does not count.
    expect(outcome.suppressed).toBe(2);
  });
});

describe('failingViolations', () => {
  it('counts violations that are neither known nor suppressed, never warnings', () => {
    const report = reportWithViolations();
    expect(report.findings.filter((f) => f.severity === 'violation')).toHaveLength(7);
    expect(failingViolations(report)).toBe(5); // one known, one suppressed
  });
});

import { describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../checks/check.js';
import type { ExchangeView } from '../core/exchange.js';
import { applyChecks } from './inspect-exchange.js';

const view = { route: 'POST /generate', status: 200, streamed: false, decodeFindings: [] } as unknown as ExchangeView;

function check(id: string, run: CheckDefinition['run']): CheckDefinition {
  return { id, severity: 'violation', title: id, rule: id, source: id, run };
}

const checks: CheckDefinition[] = [
  check('passes', () => []),
  check('warns', () => [{ check: 'warns', severity: 'warning', kind: 'w', title: 'w', message: 'w' }]),
  check('fails', () => [{ check: 'fails', severity: 'violation', kind: 'v', title: 'v', message: 'v' }]),
  check('skips', () => ({ skip: 'not here' })),
  check('throws', () => {
    throw new Error('boom');
  }),
];

describe('applyChecks', () => {
  it('gives each check its outcome, as a plain Map built on first read', () => {
    const r = applyChecks(view, checks);
    expect(r.findings.map((f) => f.check)).toEqual(['warns', 'fails']);
    expect(r.outcomes).toBeInstanceOf(Map);
    expect(Object.getPrototypeOf(r.outcomes)).toBe(Map.prototype);
    expect([...r.outcomes]).toEqual([
      ['passes', { status: 'pass' }],
      ['warns', { status: 'pass' }],
      ['fails', { status: 'fail' }],
      ['skips', { status: 'skip', reason: 'not here' }],
      ['throws', { status: 'error', reason: 'boom' }],
    ]);
    // The same Map on every read, so that a caller's changes stay.
    r.outcomes.set('extra', { status: 'pass' });
    expect(r.outcomes.get('extra')).toEqual({ status: 'pass' });
    expect(structuredClone(r.outcomes)).toEqual(r.outcomes);
  });

  it('has findings as its only own property (the outcomes are read through the getter)', () => {
    const r = applyChecks(view, checks);
    expect(Object.keys(r)).toEqual(['findings']);
    const { findings, outcomes } = r;
    expect(findings).toBe(r.findings);
    expect(outcomes.size).toBe(checks.length);
  });
});

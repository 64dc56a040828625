import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { accepted } from './__fixtures__/case-builders.js';
import { KEPT_ALIVE_DROP_MS, responseCompletes } from './response-completes.js';

/** `severity:kind` of each finding: the check judges how the exchange went, so no finding has a pointer. */
function outcome(view: ExchangeView): string[] {
  const r = responseCompletes.run(view);
  if ('skip' in r) throw new Error('response-completes never skips');
  return r.map((f) => `${f.severity}:${f.kind}`);
}

const resent = (idleMs: unknown, error: unknown = 'ECONNRESET'): ExchangeView => ({
  ...accepted(),
  timings: { totalMs: 3, resent: { idleMs, error } as { idleMs: number; error: string } },
});

const cases: [string, { given: ExchangeView; want: string[] }][] = [
  ['silent on a clean exchange', { given: accepted(), want: [] }],
  ['silent on an exchange sent once', { given: { ...accepted(), timings: { totalMs: 3, firstByteMs: 2 } }, want: [] }],
  ['warns of a kept-alive connection closed after 2 ms of idleness', { given: resent(2), want: ['warning:kept-alive-dropped'] }],
  ['warns just under the bound', { given: resent(KEPT_ALIVE_DROP_MS - 0.1, 'closed'), want: ['warning:kept-alive-dropped'] }],
  ['silent on a close at the bound or later: the keep-alive timeout race', { given: resent(KEPT_ALIVE_DROP_MS), want: [] }],
  ['silent on a close after 4 s of idleness', { given: resent(3999.5, 'EPIPE'), want: [] }],
  ['silent on a recording whose resent is malformed', { given: resent('5'), want: [] }],
  ['silent on a negative idle time (a malformed recording)', { given: resent(-1), want: [] }],
  [
    'reports a transport failure, and the resend that preceded it',
    { given: { ...resent(1), transportFailure: { kind: 'reset', message: 'the connection closed without a response' } }, want: ['violation:reset', 'warning:kept-alive-dropped'] },
  ],
];

describe('response-completes', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(given)).toEqual(want);
  });

  it('says what happened, how long the connection was idle and who fails on it', () => {
    const findings = responseCompletes.run(resent(12.5, 'ECONNRESET'));
    expect(Array.isArray(findings) && findings[0]?.message).toMatch(/idle 12\.5 ms.*ECONNRESET.*fresh connection.*fetch/);
  });
});

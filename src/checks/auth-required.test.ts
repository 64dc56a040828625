import { describe, expect, it } from 'vitest';
import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import { VALIDATION, accepted, caseOutcome, planned, rejectedWith, streamErrorEvent } from './__fixtures__/case-builders.js';
import type { Want } from './__fixtures__/builders.js';
import { authRequired } from './auth-required.js';

const missing: CaseExpectation = { outcome: 'reject', purpose: 'auth', auth: 'missing', label: 'no Authorization header' };
const wrong: CaseExpectation = { outcome: 'reject', purpose: 'auth', auth: 'wrong', label: 'a wrong token' };
const valid: CaseExpectation = { outcome: 'accept', purpose: 'auth', auth: 'valid', label: 'the given token' };

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on TGI\'s 401 with an empty body', { given: planned(rejectedWith({ status: 401, error: null, bodyKind: 'empty' }), missing), want: [] }],
  ['silent on a gateway\'s 403 instead of 401', { given: planned(rejectedWith({ status: 403, error: null, bodyKind: 'text' }), missing), want: [] }],
  ['silent on a 401 with a JSON body for a wrong token', { given: planned(rejectedWith({ status: 401, error: null, bodyKind: 'json' }), wrong), want: [] }],
  ['silent on a 403 for a wrong token', { given: planned(rejectedWith({ status: 403, error: null }), wrong), want: [] }],
  ['fires on 200 without a token', { given: planned(accepted(), missing), want: ['violation:accepted-without-token'] }],
  ['fires on a stream served without a token', { given: planned(accepted({ streamed: true }), missing), want: ['violation:accepted-without-token'] }],
  ['fires on a stream that errs after serving a wrong token', { given: planned(streamErrorEvent(VALIDATION('x')), wrong), want: ['violation:accepted-wrong-token'] }],
  ['fires on 200 with a wrong token', { given: planned(accepted(), wrong), want: ['violation:accepted-wrong-token'] }],
  ['fires on 400 for a missing token', { given: planned(rejectedWith({ status: 400, error: null }), missing), want: ['violation:wrong-status'] }],
  ['fires on 500 for a wrong token', { given: planned(rejectedWith({ status: 500, error: null }), wrong), want: ['violation:wrong-status'] }],
  ['skips 429 under load', { given: planned(rejectedWith({ status: 429, error: null }), wrong), want: 'skip' }],
  ['silent on 200 with the given token', { given: planned(accepted(), valid), want: [] }],
  ['silent on a 422 with the given token (other checks judge it)', { given: planned(rejectedWith({ status: 422, error: VALIDATION('x') }), valid), want: [] }],
  ['fires on 401 with the given token', { given: planned(rejectedWith({ status: 401, error: null, bodyKind: 'empty' }), valid), want: ['violation:valid-token-rejected'] }],
  ['fires on 403 with the given token', { given: planned(rejectedWith({ status: 403, error: null }), valid), want: ['violation:valid-token-rejected'] }],
  ['skips a case that is not about auth', { given: planned(rejectedWith({ status: 401, error: null }), { outcome: 'accept', purpose: 'positive' }), want: 'skip' }],
  ['skips a recorded exchange', { given: accepted(), want: 'skip' }],
];

describe('auth-required', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(authRequired, given)).toEqual(want);
  });
});

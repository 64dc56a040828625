import { describe, expect, it } from 'vitest';
import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { VALIDATION, accepted, caseOutcome, planned, rejectedWith, streamErrorEvent } from './__fixtures__/case-builders.js';
import type { Want } from './__fixtures__/builders.js';
import { negativeDataRejection } from './negative-data-rejection.js';

const topP = '`top_p` must be > 0.0 and < 1.0';
const rule5: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: '5', errorType: 'validation', status: 422, message: topP, label: 'rule 5: top_p 1.0' };
const rule5Stream: CaseExpectation = { ...rule5, status: 200, label: 'rule 5: top_p 1.0 (stream)' };
const preHandler: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'content-type text/plain' };
const schemaInHandler: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: 'schema', errorType: 'validation' };
const schemaOnly: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: 'schema' };

const reason: Finding = {
  check: 'negative-data-rejection',
  severity: 'violation',
  kind: 'maximum',
  title: 'request body: maximum',
  message: '/parameters/top_p must be <= 1',
  pointer: '/parameters/top_p',
};
const recorded = (view: ExchangeView): ExchangeView => ({ ...view, requestInvalidReasons: [reason] });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  // recorded exchanges (tgc validate): judged by the schema reasons
  ['skips a recorded valid request', { given: accepted(), want: 'skip' }],
  ['fires on a recorded invalid request answered 200', { given: recorded(accepted()), want: ['violation:accepted:maximum'] }],
  ['silent on a recorded invalid request answered 422', { given: recorded(rejectedWith({ status: 422, error: VALIDATION(topP) })), want: [] }],
  ['fires on a recorded invalid request answered 500', { given: recorded(rejectedWith({ status: 500, error: null })), want: ['violation:server-error'] }],
  // in-handler rules on a non-stream route: 422, ErrorResponse, error_type validation
  ['silent on 422 with the validation ErrorResponse', { given: planned(rejectedWith({ status: 422, error: VALIDATION(topP) }), rule5), want: [] }],
  ['silent on 422 with another wording (the message is error-message-exact\'s)', { given: planned(rejectedWith({ status: 422, error: { error: 'top_p out of range', error_type: 'validation' } }), rule5), want: [] }],
  ['fires on 200 for an invalid request', { given: planned(accepted(), rule5), want: ['violation:accepted:rule-5'] }],
  ['fires on 400 for a validation error', { given: planned(rejectedWith({ status: 400, error: VALIDATION(topP) }), rule5), want: ['violation:wrong-status'] }],
  ['fires on 500 for a validation error', { given: planned(rejectedWith({ status: 500, error: null }), rule5), want: ['violation:server-error'] }],
  [
    'fires on a wrong error_type',
    { given: planned(rejectedWith({ status: 422, error: { error: 'Input validation error: x', error_type: 'invalid_request_error' } }), rule5), want: ['violation:wrong-error-type'] },
  ],
  ['fires on a text/plain 422 for an in-handler rule', { given: planned(rejectedWith({ status: 422, error: null, bodyKind: 'text' }), rule5), want: ['violation:not-error-response'] }],
  ['silent on a 422 JSON that is not an ErrorResponse (error-body-schema\'s finding)', { given: planned(rejectedWith({ status: 422, error: null, bodyKind: 'json' }), rule5), want: [] }],
  [
    'judges the status by error_type where the engine planned 200 on a non-stream view',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION(topP), route: 'POST /' }), rule5Stream), want: [] },
  ],
  // in-handler rules on a stream route: an error event after 200 (verdict-policy item 7)
  ['silent on 200 and a validation error event', { given: planned(streamErrorEvent(VALIDATION(topP)), rule5Stream), want: [] }],
  ['fires on a stream without an error event', { given: planned(accepted({ streamed: true }), rule5Stream), want: ['violation:accepted:rule-5'] }],
  ['fires on an error event with the wrong error_type', { given: planned(streamErrorEvent({ error: 'bad', error_type: 'generation_error' }), rule5Stream), want: ['violation:wrong-error-type'] }],
  [
    'silent on a 422 status on a stream route (stream-error-status reports it)',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION(topP), streamed: true }), rule5Stream), want: [] },
  ],
  // pre-handler rejections: 400, 413, 415, 422 with any body (verdict-policy item 6)
  ['silent on 415 text/plain', { given: planned(rejectedWith({ status: 415, error: null, bodyKind: 'text' }), preHandler), want: [] }],
  ['silent on 400 text/plain', { given: planned(rejectedWith({ status: 400, error: null }), preHandler), want: [] }],
  ['silent on 413 with an empty body', { given: planned(rejectedWith({ status: 413, error: null, bodyKind: 'empty' }), preHandler), want: [] }],
  ['silent on 422 text/plain', { given: planned(rejectedWith({ status: 422, error: null }), preHandler), want: [] }],
  ['silent on a pre-handler 422 on a stream route', { given: planned(rejectedWith({ status: 422, error: null, streamed: true }), preHandler), want: [] }],
  ['fires on 404 for a pre-handler rejection', { given: planned(rejectedWith({ status: 404, error: null }), preHandler), want: ['violation:wrong-status'] }],
  ['fires on a pre-handler rejection sent as a stream error event', { given: planned(streamErrorEvent(VALIDATION('x')), preHandler), want: ['violation:wrong-status'] }],
  ['fires on an accepted pre-handler case', { given: planned(accepted(), preHandler), want: ['violation:accepted:pre-handler'] }],
  ['names the schema reason of an accepted schema case', { given: recorded(planned(accepted(), schemaOnly)), want: ['violation:accepted:maximum'] }],
  // schema violations
  ['silent on any 4xx for a schema case without error_type', { given: planned(rejectedWith({ status: 400, error: null }), schemaOnly), want: [] }],
  ['fires on 400 for a schema case raised in the handler', { given: planned(rejectedWith({ status: 400, error: VALIDATION(topP) }), schemaInHandler), want: ['violation:wrong-status'] }],
  // not verdicts (verdict-policy items 19, 20)
  ['skips 429 under load', { given: planned(rejectedWith({ status: 429, error: { error: 'Model is overloaded', error_type: 'overloaded' } }), rule5), want: 'skip' }],
  ['skips 503 under load', { given: planned(rejectedWith({ status: 503, error: null }), rule5), want: 'skip' }],
  ['skips an overloaded error event', { given: planned(streamErrorEvent({ error: 'Model is overloaded', error_type: 'overloaded' }), rule5Stream), want: 'skip' }],
  ['skips 401', { given: planned(rejectedWith({ status: 401, error: null, bodyKind: 'empty' }), rule5), want: 'skip' }],
  ['skips an either case', { given: planned(accepted(), { ...rule5, outcome: 'either' }), want: 'skip' }],
  ['skips a positive case', { given: planned(accepted(), { outcome: 'accept', purpose: 'positive' }), want: 'skip' }],
  ['skips an auth case', { given: planned(accepted(), { outcome: 'reject', purpose: 'auth', auth: 'missing' }), want: 'skip' }],
];

describe('negative-data-rejection', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(negativeDataRejection, given)).toEqual(want);
  });

  it('names the case, TGI\'s message and the answer', () => {
    const result = negativeDataRejection.run(planned(accepted(), rule5));
    expect(result).toMatchObject([{ message: expect.stringMatching(/^rule 5: top_p 1\.0: .*`top_p` must be > 0\.0 and < 1\.0.*HTTP 200/) }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import { VALIDATION, accepted, caseOutcome, planned, rejectedWith, streamErrorEvent } from './__fixtures__/case-builders.js';
import type { Want } from './__fixtures__/builders.js';
import { errorMessageExact } from './error-message-exact.js';

const stops = '`stop` supports up to 4 stop sequences. Given: 5';
const rule9: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: '9', errorType: 'validation', message: stops, label: 'rule 9: 5 stop sequences' };
const rule9Guessed: CaseExpectation = { ...rule9, outcome: 'either' };
const overloaded: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: 'o', errorType: 'overloaded', message: 'Model is overloaded' };

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on TGI\'s exact message', { given: planned(rejectedWith({ status: 422, error: VALIDATION(stops) }), rule9), want: [] }],
  ['silent on TGI\'s exact message in a stream error event', { given: planned(streamErrorEvent(VALIDATION(stops)), rule9), want: [] }],
  ['silent on a message without the validation prefix for another error_type', { given: planned(rejectedWith({ status: 429, error: { error: 'Model is overloaded', error_type: 'overloaded' } }), overloaded), want: [] }],
  ['warns on another wording (a look-alike server)', { given: planned(rejectedWith({ status: 422, error: { error: 'too many stop sequences', error_type: 'validation' } }), rule9), want: ['warning:message-differs'] }],
  ['warns on a message without the "Input validation error: " prefix', { given: planned(rejectedWith({ status: 422, error: { error: stops, error_type: 'validation' } }), rule9), want: ['warning:message-differs'] }],
  [
    'warns when only the limits differ from a known limit',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION('`stop` supports up to 2 stop sequences. Given: 5') }), rule9), want: ['warning:limit-values-differ'] },
  ],
  [
    'silent when only the limits differ from a limit tgc guessed (either)',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION('`stop` supports up to 2 stop sequences. Given: 5') }), rule9Guessed), want: [] },
  ],
  [
    'warns on another wording in a stream error event',
    { given: planned(streamErrorEvent({ error: 'Input validation error: stop: too many', error_type: 'validation' }), rule9), want: ['warning:message-differs'] },
  ],
  ['skips a text/plain rejection (no JSON message)', { given: planned(rejectedWith({ status: 422, error: null }), rule9), want: 'skip' }],
  ['skips another error_type (overloaded under load)', { given: planned(rejectedWith({ status: 429, error: { error: 'Model is overloaded', error_type: 'overloaded' } }), rule9), want: 'skip' }],
  ['skips an accepted request', { given: planned(accepted(), rule9), want: 'skip' }],
  ['skips a case without a known message', { given: planned(rejectedWith({ status: 422, error: VALIDATION('x') }), { ...rule9, message: undefined }), want: 'skip' }],
  ['skips a recorded exchange', { given: rejectedWith({ status: 422, error: VALIDATION('x') }), want: 'skip' }],
];

describe('error-message-exact', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(errorMessageExact, given)).toEqual(want);
  });

  it('shows the expected and the seen text', () => {
    const result = errorMessageExact.run(planned(rejectedWith({ status: 422, error: { error: 'too many stop sequences', error_type: 'validation' } }), rule9));
    expect(result).toMatchObject([{ pointer: '/error', message: expect.stringContaining('Input validation error: `stop` supports up to 4') }]);
  });
});

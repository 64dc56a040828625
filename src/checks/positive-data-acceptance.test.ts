import { describe, expect, it } from 'vitest';
import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import { VALIDATION, accepted, caseOutcome, planned, rejectedWith, streamErrorEvent } from './__fixtures__/case-builders.js';
import type { Want } from './__fixtures__/builders.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';

const valid: CaseExpectation = { outcome: 'accept', purpose: 'positive', label: 'random valid request #1' };
const either: CaseExpectation = { outcome: 'either', purpose: 'boundary', label: 'top_p = 0.99999994: f32 edge' };
const reject: CaseExpectation = { outcome: 'reject', purpose: 'negative', rule: '5', errorType: 'validation' };

const stopLimit = VALIDATION('`stop` supports up to 2 stop sequences. Given: 3');
const three = ['a', 'b', 'c'];

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on a 200', { given: planned(accepted(), valid), want: [] }],
  ['silent on a stream without an error event', { given: planned(accepted({ streamed: true }), valid), want: [] }],
  [
    'fires on a 422 for a valid request',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION('`top_p` must be > 0.0 and < 1.0') }), valid), want: ['violation:valid-request-rejected'] },
  ],
  [
    'fires on a text/plain 422 (the body did not deserialize)',
    { given: planned(rejectedWith({ status: 422, error: null }), valid), want: ['violation:valid-request-rejected'] },
  ],
  ['fires on a 404 (route missing)', { given: planned(rejectedWith({ status: 404, error: null, bodyKind: 'empty' }), valid), want: ['violation:valid-request-rejected'] }],
  [
    'fires on a stream error event of type validation',
    { given: planned(streamErrorEvent(VALIDATION('`top_k` must be strictly positive')), valid), want: ['violation:valid-request-rejected'] },
  ],
  ['fires on a 500', { given: planned(rejectedWith({ status: 500, error: { error: 'Incomplete generation', error_type: 'incomplete_generation' } }), valid), want: ['violation:server-error'] }],
  ['fires on a 502 gateway page', { given: planned(rejectedWith({ status: 502, error: null }), valid), want: ['violation:server-error'] }],
  [
    'fires on an incomplete_generation_stream event',
    { given: planned(streamErrorEvent({ error: 'Incomplete generation stream', error_type: 'incomplete_generation_stream' }), valid), want: ['violation:server-error'] },
  ],
  // verdict-policy item 20: load is not a rejection of valid input
  ['warns on 429 under load', { given: planned(rejectedWith({ status: 429, error: { error: 'Model is overloaded', error_type: 'overloaded' } }), valid), want: ['warning:rejected-under-load'] }],
  ['warns on 503 under load', { given: planned(rejectedWith({ status: 503, error: null }), valid), want: ['warning:rejected-under-load'] }],
  ['warns on 424 (generation failed)', { given: planned(rejectedWith({ status: 424, error: { error: 'Request failed during generation: OOM', error_type: 'generation' } }), valid), want: ['warning:rejected-under-load'] }],
  [
    'warns on an overloaded error event in a stream',
    { given: planned(streamErrorEvent({ error: 'Model is overloaded', error_type: 'overloaded' }), valid), want: ['warning:rejected-under-load'] },
  ],
  ['warns on 413 (payload limit is a setting)', { given: planned(rejectedWith({ status: 413, error: null }), valid), want: ['warning:payload-too-large'] }],
  // verdict-policy item 5: a 422 that teaches a limit tgc did not know
  [
    'skips a 422 that states a stop limit the request exceeds',
    { given: planned(rejectedWith({ status: 422, error: stopLimit, parameters: { stop: three } }), valid), want: 'skip' },
  ],
  [
    'skips a stream error that states max_top_n_tokens',
    {
      given: planned(streamErrorEvent(VALIDATION('`top_n_tokens` must be >= 0 and <= 3. Given: 4'), { parameters: { top_n_tokens: 4 } }), valid),
      want: 'skip',
    },
  ],
  [
    'skips a 422 stating max_total_tokens (token counts are the tokenizer\'s)',
    {
      given: planned(
        rejectedWith({ status: 422, error: VALIDATION('`inputs` tokens + `max_new_tokens` must be <= 512. Given: 500 `inputs` tokens and 16 `max_new_tokens`') }),
        valid,
      ),
      want: 'skip',
    },
  ],
  ['skips "grammar is not supported" for a request with a grammar', {
    given: planned(rejectedWith({ status: 422, error: VALIDATION('grammar is not supported'), parameters: { grammar: { type: 'regex', value: '[a-z]+' } } }), valid),
    want: 'skip',
  }],
  [
    'fires when the stated limit does not explain the rejection (2 stops, limit 2)',
    { given: planned(rejectedWith({ status: 422, error: stopLimit, parameters: { stop: ['a', 'b'] } }), valid), want: ['violation:rejected-within-stated-limit'] },
  ],
  [
    'fires on "grammar is not supported" for a request without a grammar',
    { given: planned(rejectedWith({ status: 422, error: VALIDATION('grammar is not supported'), parameters: { max_new_tokens: 4 } }), valid), want: ['violation:rejected-within-stated-limit'] },
  ],
  // verdict-policy item 19: credentials are auth-required's business
  ['skips a 401', { given: planned(rejectedWith({ status: 401, error: null, bodyKind: 'empty' }), valid), want: 'skip' }],
  ['skips a 403 on the valid-token auth case', { given: planned(rejectedWith({ status: 403, error: null }), { outcome: 'accept', purpose: 'auth', auth: 'valid' }), want: 'skip' }],
  // either: both outcomes are correct, a server error is not
  ['skips a rejection of an either case', { given: planned(rejectedWith({ status: 422, error: VALIDATION('`top_p` must be > 0.0 and < 1.0') }), either), want: 'skip' }],
  ['silent on an accepted either case', { given: planned(accepted(), either), want: [] }],
  ['fires on a 500 for an either case', { given: planned(rejectedWith({ status: 500, error: null }), either), want: ['violation:server-error'] }],
  ['skips a 429 for an either case', { given: planned(rejectedWith({ status: 429, error: null }), either), want: 'skip' }],
  ['skips a negative case', { given: planned(rejectedWith({ status: 422, error: VALIDATION('x') }), reject), want: 'skip' }],
  ['skips a recorded exchange', { given: rejectedWith({ status: 422, error: VALIDATION('x') }), want: 'skip' }],
];

describe('positive-data-acceptance', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(positiveDataAcceptance, given)).toEqual(want);
  });

  it('names the case and the server\'s message', () => {
    const result = positiveDataAcceptance.run(planned(rejectedWith({ status: 422, error: VALIDATION('`top_k` must be strictly positive') }), valid));
    expect(result).toMatchObject([
      { pointer: '/error', message: expect.stringMatching(/random valid request #1.*HTTP 422 "Input validation error: `top_k` must be strictly positive"/) },
    ]);
  });

  it('points at the error event of a stream', () => {
    const result = positiveDataAcceptance.run(planned(streamErrorEvent(VALIDATION('`top_k` must be strictly positive')), valid));
    expect(result).toMatchObject([{ pointer: '/error', event: 0 }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { details, eos, nonStream, outcome, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { finishReasonLength } from './finish-reason-length.js';

const tokens = (n: number): Token[] => Array.from({ length: n }, (_, i) => tok(` w${i}`));
const mt0 = [...tokens(9), eos()]; // test_mt0_base_all_params: EOS as the 10th of 10 tokens, finish "length"

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent when length stops at max_new_tokens', { given: nonStream({ details: details(tokens(10)) }), want: [] }],
  ['silent on EOS as the last allowed token reporting length', { given: nonStream({ details: details(mt0) }), want: [] }],
  [
    'silent on eos_token before the limit',
    { given: nonStream({ details: details([...tokens(4), eos()], { finish_reason: 'eos_token' }) }), want: [] },
  ],
  [
    'silent on stop_sequence before the limit',
    { given: nonStream({ details: details(tokens(3), { finish_reason: 'stop_sequence' }) }), want: [] },
  ],
  [
    'fires on length before max_new_tokens',
    { given: nonStream({ details: details(tokens(7)) }), want: ['violation:length-before-max-new-tokens'] },
  ],
  [
    'fires when more tokens than max_new_tokens are generated',
    { given: nonStream({ details: details(tokens(11)) }), want: ['violation:generated-tokens-exceed-max'] },
  ],
  [
    'warns on eos_token at the limit (TGI reports length there)',
    {
      given: nonStream({ details: details([...tokens(9), eos()], { finish_reason: 'eos_token' }) }),
      want: ['warning:limit-reached-without-length'],
    },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        parameters: { details: true, max_new_tokens: 10, best_of: 2, do_sample: true },
        details: details(tokens(10), {
          best_of_sequences: [{ generated_text: '', finish_reason: 'length', generated_tokens: 4, seed: 1, prefill: [], tokens: tokens(4) }],
        }),
      }),
      want: ['violation:length-before-max-new-tokens'],
    },
  ],
  [
    'skips when max_new_tokens is unset (chunked generation)',
    { given: nonStream({ parameters: { details: true }, details: details(tokens(7)) }), want: 'skip' },
  ],
  [
    'skips when max_new_tokens is above 1024',
    { given: nonStream({ parameters: { details: true, max_new_tokens: 2000 }, details: details(tokens(1500)) }), want: 'skip' },
  ],
  ['skips an unknown request', { given: nonStream({ known: false, details: details(tokens(7)) }), want: 'skip' }],
  ['skips without details', { given: nonStream({ parameters: { max_new_tokens: 10 } }), want: 'skip' }],
  [
    'silent on a stream that stops at the limit',
    { given: stream({ tokens: tokens(10), details: streamDetails(10) }), want: [] },
  ],
  [
    'fires on a stream that reports length early',
    { given: stream({ tokens: tokens(3), details: streamDetails(3) }), want: ['violation:length-before-max-new-tokens'] },
  ],
  ['skips a stream without final details', { given: stream({ tokens: tokens(3) }), want: 'skip' }],
  [
    'skips a stream that ended with an error',
    { given: stream({ tokens: tokens(3), streamError: { error: 'boom', error_type: 'generation' } }), want: 'skip' },
  ],
];

describe('finish-reason-length', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(finishReasonLength, given)).toEqual(want);
  });
});

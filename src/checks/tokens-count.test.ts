import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { details, eos, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { tokensCount } from './tokens-count.js';

const three = [tok(' Deep'), tok(' learning'), eos()];

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent when tokens match generated_tokens, EOS counted', { given: nonStream({ details: details(three) }), want: [] }],
  ['silent on one token', { given: nonStream({ details: details([tok('A')]) }), want: [] }],
  [
    'fires when tokens are fewer than generated_tokens',
    { given: nonStream({ details: details(three, { generated_tokens: 4 }) }), want: ['violation:tokens-length-mismatch'] },
  ],
  [
    'fires when the EOS token is left out of tokens',
    { given: nonStream({ details: details(three.slice(0, 2), { generated_tokens: 3, finish_reason: 'eos_token' }) }), want: ['violation:tokens-length-mismatch'] },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        details: details(three, {
          best_of_sequences: [{ generated_text: ' Deep', finish_reason: 'length', generated_tokens: 2, seed: 1, prefill: [], tokens: [tok(' Deep')] }],
        }),
      }),
      want: ['violation:tokens-length-mismatch'],
    },
  ],
  ['skips without details', { given: nonStream({ parameters: { max_new_tokens: 10 } }), want: 'skip' }],
  ['skips an error response', { given: nonStream({ status: 422 }), want: 'skip' }],
  ['skips a stream', { given: stream({ tokens: three }), want: 'skip' }],
];

describe('tokens-count', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(tokensCount, given)).toEqual(want);
  });

  it('points at the token list', () => {
    const result = tokensCount.run(nonStream({ details: details(three, { generated_tokens: 4 }) }));
    expect(result).toMatchObject([{ check: 'tokens-count', pointer: '/details/tokens' }]);
  });
});

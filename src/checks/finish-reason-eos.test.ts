import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { details, eos, nonStream, outcome, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { finishReasonEos } from './finish-reason-eos.js';

const ended = [tok(' Hello'), tok(' world'), eos()];
const eosDetails = (tokens = ended) => details(tokens, { finish_reason: 'eos_token' });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent when eos_token ends on a special token', { given: nonStream({ details: eosDetails() }), want: [] }],
  ['silent on a null-logprob EOS (starcoder_gptq)', { given: nonStream({ details: eosDetails([tok('x'), eos('<|endoftext|>', { logprob: null })]) }), want: [] }],
  ['silent on length ending with EOS (the converse does not hold)', { given: nonStream({ details: details(ended) }), want: [] }],
  [
    'silent on a special token mid-sequence',
    { given: nonStream({ details: details([eos('<end_of_utterance>'), tok(' Hi')]) }), want: [] },
  ],
  [
    'fires when eos_token ends on a normal token',
    { given: nonStream({ details: eosDetails([tok(' Hello'), tok('</s>')]) }), want: ['violation:eos-last-token-not-special'] },
  ],
  ['fires when eos_token has no tokens', { given: nonStream({ details: eosDetails([]) }), want: ['violation:eos-without-tokens'] }],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        details: details(ended, {
          best_of_sequences: [{ generated_text: ' Hi', finish_reason: 'eos_token', generated_tokens: 1, seed: 3, prefill: [], tokens: [tok(' Hi')] }],
        }),
      }),
      want: ['violation:eos-last-token-not-special'],
    },
  ],
  ['skips without details', { given: nonStream({ parameters: {} }), want: 'skip' }],
  [
    'silent on a stream whose final token is special',
    { given: stream({ tokens: ended, details: streamDetails(3, { finish_reason: 'eos_token' }) }), want: [] },
  ],
  [
    'fires on a stream whose final token is not special',
    {
      given: stream({ tokens: [tok(' Hello'), tok(' world')], details: streamDetails(2, { finish_reason: 'eos_token' }) }),
      want: ['violation:eos-last-token-not-special'],
    },
  ],
  ['skips a stream without final details', { given: stream({ tokens: ended }), want: 'skip' }],
];

describe('finish-reason-eos', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(finishReasonEos, given)).toEqual(want);
  });
});

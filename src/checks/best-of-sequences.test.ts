import { describe, expect, it } from 'vitest';
import type { BestOfSequence, Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { details, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { bestOfSequences } from './best-of-sequences.js';

const bestOf = (n: number) => ({ details: true, max_new_tokens: 10, do_sample: true, best_of: n });
const t = (logprob: number | null): Token => tok(' w', { logprob });
const seq = (tokens: Token[], over: Partial<BestOfSequence> = {}): BestOfSequence => ({
  generated_text: tokens.map((x) => x.text).join(''),
  finish_reason: 'length',
  generated_tokens: tokens.length,
  seed: 7,
  prefill: [],
  tokens,
  ...over,
});
const chosen = [t(-0.5), t(-1.5)]; // mean -1
const view = (n: number, sequences: BestOfSequence[] | undefined, tokens = chosen): ExchangeView =>
  nonStream({
    parameters: bestOf(n),
    details: details(tokens, { seed: 12345, ...(sequences === undefined ? {} : { best_of_sequences: sequences }) }),
  });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on best_of 2 with one weaker sequence', { given: view(2, [seq([t(-2), t(-3)])]), want: [] }],
  ['silent on best_of 3 with two sequences, a u64 seed among them', { given: view(3, [seq([t(-2)]), seq([t(-1)], { seed: 18446744073709551615n })]), want: [] }],
  ['silent on equal means within f32 tolerance', { given: view(2, [seq([t(-0.99999), t(-1.00002)])]), want: [] }],
  ['silent when a logprob is null (no mean to compare)', { given: view(2, [seq([t(null), t(-0.1)])]), want: [] }],
  ['fires on too few sequences', { given: view(3, [seq([t(-2)])]), want: ['violation:best-of-sequences-count-mismatch'] }],
  ['fires when best_of_sequences is missing', { given: view(2, undefined), want: ['violation:best-of-sequences-count-mismatch'] }],
  ['fires when a sequence has a higher mean logprob', { given: view(2, [seq([t(-0.2), t(-0.4)])]), want: ['violation:best-of-not-highest-mean-logprob'] }],
  [
    'silent on null seeds when temperature 1.0 alone made best_of greedy',
    {
      given: nonStream({
        parameters: { details: true, max_new_tokens: 10, temperature: 1.0, best_of: 2 },
        details: details(chosen, { best_of_sequences: [seq([t(-2)], { seed: null })] }),
      }),
      want: [],
    },
  ],
  ['warns on a sequence without a seed', { given: view(2, [seq([t(-2)], { seed: null })]), want: ['warning:best-of-sequence-seed-null'] }],
  [
    'warns on best_of_sequences without best_of',
    {
      given: nonStream({ parameters: { details: true, do_sample: true }, details: details(chosen, { seed: 1, best_of_sequences: [seq([t(-2)])] }) }),
      want: ['warning:best-of-sequences-unrequested'],
    },
  ],
  ['skips best_of unset without sequences', { given: nonStream({ details: details(chosen) }), want: 'skip' }],
  ['skips without details', { given: nonStream({ parameters: { best_of: 2, do_sample: true } }), want: 'skip' }],
  ['skips a stream', { given: stream({ parameters: bestOf(1), tokens: chosen }), want: 'skip' }],
];

describe('best-of-sequences', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(bestOfSequences, given)).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { details, eos, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { logprobRange } from './logprob-range.js';

const good = [tok(' a', { logprob: -2.5 }), tok(' b', { logprob: 0 }), tok(' c', { logprob: 5e-7 }), eos('</s>', { logprob: null })];
const topAsked = { details: true, max_new_tokens: 10, top_n_tokens: 1 };

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on negative, zero, null and a rounding epsilon', { given: nonStream({ details: details(good) }), want: [] }],
  [
    'silent on a prefill with a null first logprob',
    { given: nonStream({ details: details(good, { prefill: [{ id: 1, text: 'A', logprob: null }, { id: 2, text: 'B', logprob: -3 }] }) }), want: [] },
  ],
  [
    'fires once for several positive token logprobs',
    { given: nonStream({ details: details([tok('a', { logprob: 0.5 }), tok('b', { logprob: 0.1 })]) }), want: ['violation:token-logprob-positive'] },
  ],
  [
    'fires on a positive prefill logprob',
    { given: nonStream({ details: details(good, { prefill: [{ id: 1, text: 'A', logprob: null }, { id: 2, text: 'B', logprob: 1.5 }] }) }), want: ['violation:prefill-logprob-positive'] },
  ],
  [
    'fires on a positive top token logprob',
    {
      given: nonStream({ parameters: topAsked, details: details([tok('a')], { top_tokens: [[tok('a', { logprob: 0.01 })]] }) }),
      want: ['violation:top-token-logprob-positive'],
    },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        details: details(good, {
          best_of_sequences: [{ generated_text: 'a', finish_reason: 'length', generated_tokens: 1, seed: 1, prefill: [], tokens: [tok('a', { logprob: 2 })] }],
        }),
      }),
      want: ['violation:token-logprob-positive'],
    },
  ],
  ['skips without details', { given: nonStream({ parameters: {} }), want: 'skip' }],
  ['silent on a stream with valid logprobs', { given: stream({ tokens: good }), want: [] }],
  ['fires on a stream token', { given: stream({ tokens: [tok('a'), tok('b', { logprob: 0.2 })] }), want: ['violation:token-logprob-positive'] }],
  [
    'fires on a stream top token',
    {
      given: stream({
        parameters: topAsked,
        tokens: [tok('a')],
        edit: (events) => {
          if (events[0] !== undefined) events[0].top_tokens = [tok('a', { logprob: 3 })];
        },
      }),
      want: ['violation:top-token-logprob-positive'],
    },
  ],
];

describe('logprob-range', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(logprobRange, given)).toEqual(want);
  });

  it('points at the first offender and counts the others', () => {
    const result = logprobRange.run(nonStream({ details: details([tok('a'), tok('b', { logprob: 0.5 }), tok('c', { logprob: 0.1 })]) }));
    expect(result).toMatchObject([{ pointer: '/details/tokens/1/logprob', message: expect.stringContaining('and 1 more') }]);
  });

  it('names the stream event', () => {
    const result = logprobRange.run(stream({ tokens: [tok('a'), tok('b', { logprob: 0.2 })] }));
    expect(result).toMatchObject([{ pointer: '/token/logprob', event: 1 }]);
  });

  it('points at prefill, top-token and best_of offenders, each kind once per sequence', () => {
    const result = logprobRange.run(
      nonStream({
        parameters: topAsked,
        details: details([tok('a'), tok('b')], {
          prefill: [{ id: 1, text: 'A', logprob: null }, { id: 2, text: 'B', logprob: 1.5 }],
          top_tokens: [[tok('a')], [tok('x', { logprob: -1 }), tok('y', { logprob: 0.3 })]],
          best_of_sequences: [{ generated_text: 'a', finish_reason: 'length', generated_tokens: 1, seed: 1, prefill: [], tokens: [tok('a', { logprob: 2 })] }],
        }),
      }),
    );
    expect(Array.isArray(result) && result.map((f) => [f.kind, f.pointer, f.event])).toEqual([
      ['prefill-logprob-positive', '/details/prefill/1/logprob', undefined],
      ['top-token-logprob-positive', '/details/top_tokens/1/1/logprob', undefined],
      ['token-logprob-positive', '/details/best_of_sequences/0/tokens/0/logprob', undefined],
    ]);
  });

  it('names the stream event of a top-token offender', () => {
    const result = logprobRange.run(
      stream({
        parameters: topAsked,
        tokens: [tok('a'), tok('b')],
        edit: (events) => {
          if (events[1] !== undefined) events[1].top_tokens = [tok('b', { logprob: -1 }), tok('c', { logprob: 3 })];
        },
      }),
    );
    expect(result).toMatchObject([{ kind: 'top-token-logprob-positive', pointer: '/top_tokens/1/logprob', event: 1 }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { details, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { topTokensShape } from './top-tokens-shape.js';

const asked = { details: true, max_new_tokens: 10, top_n_tokens: 2 };
const t = (text: string, logprob: number | null): Token => tok(text, { logprob });
const out = [t(' a', -0.1), t(' b', -0.2)];
const sorted = [
  [t(' a', -0.1), t(' x', -2)],
  [t(' b', -0.2), t(' y', -3)],
];
const withTop = (top: Token[][], parameters: object = asked): ExchangeView =>
  nonStream({ parameters, details: details(out, { top_tokens: top }) });
const streamTop = (lists: (Token[] | undefined)[], parameters: object = asked): ExchangeView =>
  stream({
    parameters,
    tokens: out,
    edit: (events) =>
      events.forEach((e, i) => {
        const list = lists[i];
        if (list !== undefined) e.top_tokens = list;
      }),
  });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on one sorted list per token', { given: withTop(sorted), want: [] }],
  [
    'silent on ties adding entries beyond top_n_tokens',
    { given: withTop([[t(' a', -0.1), t(' x', -2), t(' z', -2)], [t(' b', -0.2), t(' y', -3)]]), want: [] },
  ],
  ['silent on lists shorter than top_n_tokens, one empty (filtered)', { given: withTop([[t(' a', -0.1)], []]), want: [] }],
  ['silent on a null logprob last (-inf)', { given: withTop([[t(' a', -0.1), t(' x', null)], [t(' b', -0.2)]]), want: [] }],
  ['fires on an unsorted list', { given: withTop([[t(' x', -2), t(' a', -0.1)], sorted[1] ?? []]), want: ['violation:top-tokens-unsorted'] }],
  ['fires on a null logprob before a number', { given: withTop([[t(' x', null), t(' a', -0.1)], sorted[1] ?? []]), want: ['violation:top-tokens-unsorted'] }],
  ['fires on fewer lists than tokens', { given: withTop(sorted.slice(0, 1)), want: ['violation:top-tokens-count-mismatch'] }],
  [
    'warns on top_tokens not requested',
    { given: withTop(sorted, { details: true, max_new_tokens: 10 }), want: ['warning:top-tokens-unrequested'] },
  ],
  ['warns on top_tokens requested but absent', { given: nonStream({ parameters: asked, details: details(out) }), want: ['warning:top-tokens-missing'] }],
  ['skips when not requested and absent', { given: nonStream({ parameters: { details: true }, details: details(out) }), want: 'skip' }],
  ['checks shape only on an unknown request', { given: nonStream({ known: false, details: details(out, { top_tokens: sorted }) }), want: [] }],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        parameters: { ...asked, best_of: 2, do_sample: true },
        details: details(out, {
          top_tokens: sorted,
          best_of_sequences: [{ generated_text: ' a', finish_reason: 'length', generated_tokens: 1, seed: 1, prefill: [], tokens: [t(' a', -1)], top_tokens: [] }],
        }),
      }),
      want: ['violation:top-tokens-count-mismatch'],
    },
  ],
  ['silent on sorted stream lists', { given: streamTop(sorted), want: [] }],
  ['silent on a stream event that omits an empty list', { given: streamTop([sorted[0], undefined]), want: [] }],
  ['fires on an unsorted stream list', { given: streamTop([sorted[0], [t(' y', -3), t(' b', -0.2)]]), want: ['violation:top-tokens-unsorted'] }],
  ['warns on stream top_tokens not requested', { given: streamTop(sorted, { details: true }), want: ['warning:top-tokens-unrequested'] }],
  ['skips a stream without top_tokens when not requested', { given: streamTop([], { details: true }), want: 'skip' }],
];

describe('top-tokens-shape', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(topTokensShape, given)).toEqual(want);
  });

  it('names the stream event of an unsorted list', () => {
    const result = topTokensShape.run(streamTop([sorted[0], [t(' y', -3), t(' b', -0.2)]]));
    expect(result).toMatchObject([{ pointer: '/top_tokens/1/logprob', event: 1 }]);
  });
});

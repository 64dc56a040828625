import { describe, expect, it } from 'vitest';
import type { PrefillToken } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { details, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { prefillConsistency } from './prefill-consistency.js';

const asked = { details: true, decoder_input_details: true, max_new_tokens: 10 };
const pre = (...logprobs: (number | null)[]): PrefillToken[] => logprobs.map((logprob, i) => ({ id: i, text: ` p${i}`, logprob }));
const out = [tok(' le'), tok(' faire')];

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on prefill [] although decoder_input_details was asked (flash models)', { given: nonStream({ parameters: asked, details: details(out) }), want: [] }],
  ['silent on a prefill whose first logprob is null', { given: nonStream({ parameters: asked, details: details(out, { prefill: pre(null, -10.5, -0.1) }) }), want: [] }],
  ['silent on null logprobs later in prefill (prefix cache)', { given: nonStream({ parameters: asked, details: details(out, { prefill: pre(null, null, -0.1) }) }), want: [] }],
  [
    'silent on an encoder-decoder prefill (decoder start only) with truncate',
    {
      given: nonStream({ parameters: { ...asked, truncate: 5 }, details: details(out, { prefill: [{ id: 0, text: '<pad>', logprob: null }] }) }),
      want: [],
    },
  ],
  [
    'silent on a prefill as long as truncate (bloom all_params)',
    { given: nonStream({ parameters: { ...asked, truncate: 5 }, details: details(out, { prefill: pre(null, -1, -1, -1, -1) }) }), want: [] },
  ],
  [
    'fires when the first prefill token has a logprob',
    { given: nonStream({ parameters: asked, details: details(out, { prefill: pre(-1.2, -0.3) }) }), want: ['violation:prefill-first-logprob-not-null'] },
  ],
  [
    'fires when prefill is longer than truncate',
    {
      given: nonStream({ parameters: { ...asked, truncate: 5 }, details: details(out, { prefill: pre(null, -1, -1, -1, -1, -1) }) }),
      want: ['violation:prefill-longer-than-truncate'],
    },
  ],
  [
    'warns on a prefill that was not asked for (bloom and mt0 _load recordings)',
    { given: nonStream({ details: details(out, { prefill: pre(null, -1) }) }), want: ['warning:prefill-unrequested'] },
  ],
  [
    'fires on an unknown request, without request-dependent findings',
    { given: nonStream({ known: false, details: details(out, { prefill: pre(-1, -1) }) }), want: ['violation:prefill-first-logprob-not-null'] },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        parameters: { ...asked, best_of: 2, do_sample: true },
        details: details(out, {
          prefill: pre(null, -1),
          best_of_sequences: [{ generated_text: ' le', finish_reason: 'length', generated_tokens: 1, seed: 1, prefill: pre(-2, -1), tokens: [tok(' le')] }],
        }),
      }),
      want: ['violation:prefill-first-logprob-not-null'],
    },
  ],
  ['skips without details', { given: nonStream({ parameters: { max_new_tokens: 10 } }), want: 'skip' }],
  ['skips a stream (stream details have no prefill)', { given: stream({ tokens: out }), want: 'skip' }],
];

describe('prefill-consistency', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(prefillConsistency, given)).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { PROMPT, details, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { returnFullText } from './return-full-text.js';

const full = { details: true, max_new_tokens: 10, return_full_text: true } as const;
const out = [tok(' Deep'), tok(' learning')];
const text = ' Deep learning';

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent when the full inputs prefix the text', { given: nonStream({ parameters: full, details: details(out), generatedText: PROMPT + text }), want: [] }],
  [
    'silent when the full inputs prefix the text although truncate shortened them',
    { given: nonStream({ parameters: { ...full, truncate: 2 }, details: details(out), generatedText: PROMPT + text }), want: [] },
  ],
  ['silent without details', { given: nonStream({ parameters: { return_full_text: true }, generatedText: PROMPT + text }), want: [] }],
  ['fires when the prompt is missing', { given: nonStream({ parameters: full, details: details(out), generatedText: text }), want: ['violation:prompt-prefix-missing'] }],
  [
    'fires when only the truncated prompt is prefixed',
    { given: nonStream({ parameters: { ...full, truncate: 2 }, details: details(out), generatedText: PROMPT.slice(-8) + text }), want: ['violation:prompt-prefix-missing'] },
  ],
  ['fires without details', { given: nonStream({ parameters: { return_full_text: true }, generatedText: text }), want: ['violation:prompt-prefix-missing'] }],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        parameters: { ...full, best_of: 2, do_sample: true },
        details: details(out, {
          best_of_sequences: [{ generated_text: text, finish_reason: 'length', generated_tokens: 2, seed: 1, prefill: [], tokens: out }],
        }),
        generatedText: PROMPT + text,
      }),
      want: ['violation:prompt-prefix-missing'],
    },
  ],
  ['skips when return_full_text is false', { given: nonStream({ parameters: { return_full_text: false }, generatedText: text }), want: 'skip' }],
  ['skips on /generate when unset (default false)', { given: nonStream({ parameters: {}, generatedText: text }), want: 'skip' }],
  ['skips on POST / when unset (pipeline tag decides)', { given: nonStream({ route: 'POST /', parameters: null, generatedText: text }), want: 'skip' }],
  ['skips an unknown request', { given: nonStream({ known: false, generatedText: text }), want: 'skip' }],
  ['silent on a stream whose final text has the prompt', { given: stream({ parameters: full, tokens: out, generatedText: PROMPT + text }), want: [] }],
  ['fires on a stream whose final text lacks the prompt', { given: stream({ parameters: full, tokens: out, generatedText: text }), want: ['violation:prompt-prefix-missing'] }],
  [
    'skips a stream that ended with an error',
    { given: stream({ parameters: full, tokens: out, streamError: { error: 'boom', error_type: 'generation' } }), want: 'skip' },
  ],
];

describe('return-full-text', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(returnFullText, given)).toEqual(want);
  });
});

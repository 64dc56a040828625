import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { PROMPT, details, eos, nonStream, outcome, stream, tok, type Want } from './__fixtures__/builders.js';
import { textMatchesTokens } from './text-matches-tokens.js';

const words = [tok(' Deep'), tok(' learning'), tok(' is'), eos()];
const text = ' Deep learning is';
const mt0 = [tok(' To'), tok(' sell'), tok(' things'), tok('.'), eos()]; // test_mt0_base
const full = { details: true, max_new_tokens: 10, return_full_text: true } as const;

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on exact equality, special token text left out', { given: nonStream({ details: details(words), generatedText: text }), want: [] }],
  [
    'silent when return_full_text prefixes the full inputs',
    { given: nonStream({ parameters: full, details: details(words), generatedText: PROMPT + text }), want: [] },
  ],
  [
    'silent when return_full_text prefixes the full inputs despite truncate',
    { given: nonStream({ parameters: { ...full, truncate: 2 }, details: details(words), generatedText: PROMPT + text }), want: [] },
  ],
  [
    'silent on POST / with return_full_text unset and the prompt prefixed',
    { given: nonStream({ route: 'POST /', details: details(words), generatedText: PROMPT + text }), want: [] },
  ],
  [
    'silent on POST / with return_full_text unset and no prompt',
    { given: nonStream({ route: 'POST /', details: details(words), generatedText: text }), want: [] },
  ],
  [
    'silent on an unknown request whose text may carry a prompt',
    { given: nonStream({ known: false, details: details(words), generatedText: PROMPT + text }), want: [] },
  ],
  [
    'warns when only the leading space differs (mt0)',
    { given: nonStream({ details: details(mt0, { finish_reason: 'eos_token' }), generatedText: 'To sell things.' }), want: ['warning:text-differs-in-leading-whitespace'] },
  ],
  [
    'warns on the mt0 leading space after the prompt (return_full_text)',
    {
      given: nonStream({ parameters: full, details: details(mt0), generatedText: `${PROMPT}To sell things.` }),
      want: ['warning:text-differs-in-leading-whitespace'],
    },
  ],
  [
    'warns on an empty text when the tokens end inside a character (TGI decode_token)',
    {
      given: nonStream({ details: details([tok(' 你'), tok('<0xE5>', { text: '' }), tok('<0xA5>', { text: '' })]), generatedText: '' }),
      want: ['warning:text-incomplete-character'],
    },
  ],
  [
    'warns on a trailing U+FFFD when the tokens end inside a character',
    {
      given: nonStream({ details: details([tok(' 你'), tok('<0xE5>', { text: '' })]), generatedText: ' 你\uFFFD' }),
      want: ['warning:text-incomplete-character'],
    },
  ],
  [
    'fires on an empty text when the last token has text',
    { given: nonStream({ details: details(words), generatedText: '' }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'fires when the text differs from the tokens',
    { given: nonStream({ details: details(words), generatedText: ' Deep learning was' }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'fires when special token text appears in generated_text',
    { given: nonStream({ details: details(words), generatedText: `${text}</s>` }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'fires on /generate when the prompt is prefixed although return_full_text defaults to false',
    { given: nonStream({ details: details(words), generatedText: PROMPT + text }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        details: details(words, {
          best_of_sequences: [{ generated_text: ' Shallow', finish_reason: 'length', generated_tokens: 1, seed: 2, prefill: [], tokens: [tok(' Deep')] }],
        }),
        generatedText: text,
      }),
      want: ['violation:text-differs-from-tokens'],
    },
  ],
  ['skips without details', { given: nonStream({ parameters: { max_new_tokens: 10 } }), want: 'skip' }],
  ['skips a stream', { given: stream({ tokens: words }), want: 'skip' }],
];

describe('text-matches-tokens', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(textMatchesTokens, given)).toEqual(want);
  });

  it('says what was expected and what was seen', () => {
    const result = textMatchesTokens.run(nonStream({ details: details(words), generatedText: ' Deep learning was' }));
    expect(result).toMatchObject([{ pointer: '/generated_text', message: expect.stringMatching(/expected .*learning is.* but saw .*learning was.*character 15/) }]);
  });
});

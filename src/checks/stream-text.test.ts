import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { PROMPT, eos, outcome, nonStream, stream, tok, type Want } from './__fixtures__/builders.js';
import { streamText } from './stream-text.js';

const words = [tok(' How'), tok(' does'), tok(' it'), eos()];
const text = ' How does it';

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on exact equality, special token text left out', { given: stream({ tokens: words }), want: [] }],
  [
    'silent on POST / with return_full_text unset and the prompt prefixed (HF API)',
    { given: stream({ route: 'POST /', parameters: null, tokens: words, generatedText: PROMPT + text }), want: [] },
  ],
  [
    'silent on POST / with return_full_text unset and no prompt',
    { given: stream({ route: 'POST /', parameters: null, tokens: words, generatedText: text }), want: [] },
  ],
  [
    'silent when return_full_text is true and the prompt is prefixed',
    { given: stream({ parameters: { return_full_text: true }, tokens: words, generatedText: PROMPT + text }), want: [] },
  ],
  [
    'silent on a stream without index (older server)',
    { given: stream({ noIndex: true, tokens: words }), want: [] },
  ],
  [
    'warns when only the leading space differs (encoder-decoder)',
    { given: stream({ tokens: words, generatedText: 'How does it' }), want: ['warning:text-differs-in-leading-whitespace'] },
  ],
  [
    'warns on an empty final text when the tokens end inside a character',
    { given: stream({ tokens: [tok(' 你'), tok('<0xE5>', { text: '' })], generatedText: '' }), want: ['warning:text-incomplete-character'] },
  ],
  [
    'fires when the final text differs from the tokens',
    { given: stream({ tokens: words, generatedText: ' How do it' }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'fires on /generate_stream when the prompt is prefixed although return_full_text defaults to false',
    { given: stream({ tokens: words, generatedText: PROMPT + text }), want: ['violation:text-differs-from-tokens'] },
  ],
  [
    'skips a stream that ended with an error',
    { given: stream({ tokens: words.slice(0, 2), streamError: { error: 'boom', error_type: 'generation' } }), want: 'skip' },
  ],
  ['skips a stream whose final event has no text', { given: stream({ tokens: words, generatedText: null }), want: 'skip' }],
  ['skips a non-stream exchange', { given: nonStream(), want: 'skip' }],
];

describe('stream-text', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(streamText, given)).toEqual(want);
  });

  it('points at the final event', () => {
    const result = streamText.run(stream({ tokens: words, generatedText: ' How do it' }));
    expect(result).toMatchObject([{ pointer: '/generated_text', event: 3 }]);
  });
});

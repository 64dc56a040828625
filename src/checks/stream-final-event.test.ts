import { describe, expect, it } from 'vitest';
import type { StreamDetails } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { eos, nonStream, outcome, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { streamFinalEvent } from './stream-final-event.js';

const words = [tok(' a'), tok(' b'), eos()];
const asked = { details: true, max_new_tokens: 10 };
const plain = { max_new_tokens: 10 };
const error = { error: 'Request failed during generation: boom', error_type: 'generation' };
const noInputLength = (): StreamDetails => {
  const d = streamDetails(3);
  delete d.input_length;
  return d;
};

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on a stream without details when not requested', { given: stream({ parameters: plain, tokens: words }), want: [] }],
  ['silent on final details when requested', { given: stream({ parameters: asked, tokens: words, details: streamDetails(3) }), want: [] }],
  [
    'silent on POST / with parameters absent (details default false, HF API)',
    { given: stream({ route: 'POST /', parameters: null, tokens: words }), want: [] },
  ],
  ['silent on a stream that ended with an error event', { given: stream({ parameters: asked, tokens: words.slice(0, 2), streamError: error }), want: [] }],
  ['skips a stream that errored before any token', { given: stream({ parameters: asked, tokens: [], streamError: error }), want: 'skip' }],
  ['fires on a stream without any event', { given: stream({ parameters: asked, tokens: [] }), want: ['violation:no-events'] }],
  [
    'fires on generated_text before the final event',
    {
      given: stream({
        parameters: plain,
        tokens: words,
        edit: (events) => {
          if (events[0] !== undefined) events[0].generated_text = ' a';
        },
      }),
      want: ['violation:generated-text-before-final'],
    },
  ],
  [
    'fires on an empty-string generated_text before the final event',
    {
      given: stream({
        parameters: plain,
        tokens: words,
        edit: (events) => events.slice(0, -1).forEach((e) => (e.generated_text = '')),
      }),
      want: ['violation:generated-text-before-final'],
    },
  ],
  ['fires on a final event without generated_text', { given: stream({ parameters: plain, tokens: words, generatedText: null }), want: ['violation:final-generated-text-missing'] }],
  [
    'fires on details before the final event',
    {
      given: stream({
        parameters: asked,
        tokens: words,
        details: streamDetails(3),
        edit: (events) => {
          if (events[1] !== undefined) events[1].details = streamDetails(2);
        },
      }),
      want: ['violation:details-before-final'],
    },
  ],
  ['fires on requested details missing at the end', { given: stream({ parameters: asked, tokens: words }), want: ['violation:final-details-missing'] }],
  ['warns on details that were not requested', { given: stream({ parameters: plain, tokens: words, details: streamDetails(3) }), want: ['warning:details-unrequested'] }],
  ['warns on details without input_length (older server)', { given: stream({ parameters: asked, tokens: words, details: noInputLength() }), want: ['warning:input-length-absent'] }],
  [
    'judges only the event rules on an unknown request',
    { given: stream({ known: false, tokens: words, details: streamDetails(3) }), want: [] },
  ],
  ['skips a non-stream exchange', { given: nonStream(), want: 'skip' }],
];

describe('stream-final-event', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(streamFinalEvent, given)).toEqual(want);
  });
});

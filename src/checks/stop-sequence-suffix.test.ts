import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { details, nonStream, outcome, stream, streamDetails, tok, eos, type Want } from './__fixtures__/builders.js';
import { stopSequenceSuffix } from './stop-sequence-suffix.js';

const withStop = (stop: string[]) => ({ details: true, max_new_tokens: 10, stop });
const stopped = [tok(' Error'), tok(' in'), tok(' test')]; // test_flash_llama_all_params ends with "test"
const stopDetails = details(stopped, { finish_reason: 'stop_sequence' });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent when the text ends with the stop string (kept)', { given: nonStream({ parameters: withStop(['test']), details: stopDetails }), want: [] }],
  [
    'silent when one of several stop strings ends the text',
    { given: nonStream({ parameters: withStop(['foo', ' test']), details: stopDetails }), want: [] },
  ],
  [
    'silent when the text ends with a stop string but finished by length (converse not required)',
    { given: nonStream({ parameters: withStop(['test']), details: details(stopped) }), want: [] },
  ],
  [
    'silent when the stop string is a special token left out of generated_text',
    {
      given: nonStream({
        parameters: withStop(['<|im_end|>']),
        details: details([tok(' Hi'), eos('<|im_end|>')], { finish_reason: 'stop_sequence' }),
      }),
      want: [],
    },
  ],
  [
    'fires when the stop string was stripped',
    { given: nonStream({ parameters: withStop(['test']), details: stopDetails, generatedText: ' Error in ' }), want: ['violation:text-does-not-end-with-stop'] },
  ],
  [
    'fires when neither text nor tokens end with a stop string',
    {
      given: nonStream({ parameters: withStop(['network']), details: details([tok(' data')], { finish_reason: 'stop_sequence' }) }),
      want: ['violation:text-does-not-end-with-stop'],
    },
  ],
  [
    'warns when only whitespace differs',
    {
      given: nonStream({ parameters: withStop([' ,']), details: details([tok('hello'), tok(',')], { finish_reason: 'stop_sequence' }) }),
      want: ['warning:stop-suffix-differs-in-whitespace'],
    },
  ],
  [
    'warns on stop_sequence without stop strings',
    { given: nonStream({ parameters: withStop([]), details: stopDetails }), want: ['warning:stop-sequence-without-stop'] },
  ],
  [
    'fires on a best_of sequence',
    {
      given: nonStream({
        parameters: withStop(['test']),
        details: details(stopped, {
          best_of_sequences: [{ generated_text: ' nope', finish_reason: 'stop_sequence', generated_tokens: 1, seed: 1, prefill: [], tokens: [tok(' nope')] }],
        }),
      }),
      want: ['violation:text-does-not-end-with-stop'],
    },
  ],
  ['skips an unknown request', { given: nonStream({ known: false, details: stopDetails }), want: 'skip' }],
  ['skips without details', { given: nonStream({ parameters: { stop: ['test'] } }), want: 'skip' }],
  [
    'silent on a stream that ends with the stop string',
    { given: stream({ parameters: withStop(['test']), tokens: stopped, details: streamDetails(3, { finish_reason: 'stop_sequence' }) }), want: [] },
  ],
  [
    'fires on a stream that does not end with the stop string',
    {
      given: stream({ parameters: withStop(['test']), tokens: [tok(' Error')], details: streamDetails(1, { finish_reason: 'stop_sequence' }) }),
      want: ['violation:text-does-not-end-with-stop'],
    },
  ],
  ['skips a stream without final details', { given: stream({ parameters: withStop(['test']), tokens: stopped }), want: 'skip' }],
];

describe('stop-sequence-suffix', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(stopSequenceSuffix, given)).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  completionRequest,
  completionStreamView,
  completionChunk,
  completionView,
  openaiChunks,
  outcomeOf,
  tgiChunks,
  togetherChunks,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiStopSuffix } from './openai-stop-suffix.js';

const stop = (s: unknown) => chatRequest({ stop: s });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent when OpenAI strips the stop string', { given: chatView({ request: stop(['.']), choices: [{ content: 'to two' }] }), want: [] }],
  ['warns when the content keeps the stop string (TGI)', { given: chatView({ request: stop(['.']), choices: [{ content: 'to two.' }] }), want: ['warning:stop-text-kept'] }],
  ['warns with a stop given as a string', { given: chatView({ request: stop('two.'), choices: [{ content: 'to two.' }] }), want: ['warning:stop-text-kept'] }],
  ['warns on TGI\'s stop_sequence', { given: chatView({ request: stop(['.']), choices: [{ content: 'to two.', finish: 'stop_sequence' }] }), want: ['warning:stop-text-kept'] }],
  ['silent when cut by length', { given: chatView({ request: stop(['.']), choices: [{ content: 'to two.', finish: 'length' }] }), want: [] }],
  ['silent on a finish_reason of any JSON type', { given: chatView({ request: stop(['.']), choices: [{ content: 'to two.', finish: { odd: 1 } }] }), want: [] }],
  ['silent on null content (tool calls)', { given: chatView({ request: stop(['.']), choices: [{ content: null }] }), want: [] }],
  ['ignores empty stop strings', { given: chatView({ request: stop(['']), choices: [{ content: 'to two.' }] }), want: 'skip' }],
  ['skips without stop', { given: chatView(), want: 'skip' }],
  ['skips an unknown request', { given: chatView({ request: null }), want: 'skip' }],
  ['skips an error', { given: chatView({ request: stop(['.']), status: 422 }), want: 'skip' }],
  [
    'judges each choice',
    {
      given: chatView({ request: stop(['!']), choices: [{ content: 'hi' }, { content: 'hey!' }, { content: 'yo!', finish: 'length' }] }),
      want: ['warning:stop-text-kept'],
    },
  ],
  [
    'warns on an assembled stream (OpenAI shape)',
    { given: chatStreamView({ request: { ...stop(['.']), stream: true }, chunks: openaiChunks(['to', ' two', '.']) }), want: ['warning:stop-text-kept'] },
  ],
  ['silent on a stream without the stop string', { given: chatStreamView({ request: { ...stop(['.']), stream: true }, chunks: openaiChunks(['to', ' two']) }), want: [] }],
  [
    'warns on a TGI 3.x stream (role in every delta)',
    { given: chatStreamView({ request: { ...stop(['.']), stream: true }, chunks: tgiChunks([' to', ' two', '.']) }), want: ['warning:stop-text-kept'] },
  ],
  ['silent on a Together stream without stop', { given: chatStreamView({ chunks: togetherChunks(['2', '']) }), want: 'skip' }],
  ['skips a stream that ended with an error event', { given: chatStreamView({ request: stop(['.']), chunks: openaiChunks(['a.']), error: true }), want: 'skip' }],
  ['warns on completions', { given: completionView({ request: completionRequest({ stop: ['\n'] }), choices: [{ content: ' a city\n' }] }), want: ['warning:stop-text-kept'] }],
  [
    'warns on a completions stream ending in TGI\'s stop_sequence after "" finish reasons',
    {
      given: completionStreamView({
        request: completionRequest({ stop: ['\n'], stream: true }),
        chunks: [completionChunk([{ text: ' a', finish: '' }]), completionChunk([{ text: ' city\n', finish: 'stop_sequence' }])],
      }),
      want: ['warning:stop-text-kept'],
    },
  ],
];

describe('openai-stop-suffix', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcomeOf(openaiStopSuffix, given)).toEqual(want);
  });

  it('points at the content, with the event on streams', () => {
    const result = openaiStopSuffix.run(chatStreamView({ request: stop(['.']), chunks: openaiChunks(['to', ' two.']) }));
    expect(result).toMatchObject([{ pointer: '/choices/0/delta/content', event: 2 }]);
  });
});

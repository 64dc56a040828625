import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, chatStream, completionStream, errorResponse, outcome, tgiChatStream, togetherChatStream, type Want } from './__fixtures__/views.js';
import { openaiStreamDone } from './openai-stream-done.js';

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on api.openai.com\'s stream', { given: chatStream(), want: [] }],
  ['silent on TGI 3.x\'s stream', { given: tgiChatStream(), want: [] }],
  ['silent on Together\'s stream', { given: togetherChatStream(), want: [] }],
  ['silent on a completions stream with a usage chunk', { given: completionStream({ usageChunk: true }), want: [] }],
  ['silent on an empty keep-alive data event', { given: chatStream({ extraData: [''] }), want: [] }],
  ['fires on a stream without [DONE] (TGI 2.0.1)', { given: chatStream({ done: false }), want: ['violation:missing-done'] }],
  ['fires on events after [DONE]', { given: chatStream({ trailing: ['{"id":"x"}'] }), want: ['violation:after-done'] }],
  ['fires on a second [DONE]', { given: chatStream({ trailing: ['[DONE]'] }), want: ['violation:after-done'] }],
  ['fires once on data events that are not JSON', { given: chatStream({ extraData: ['two', '{"unterminated'] }), want: ['violation:not-json'] }],
  ['does not report a missing [DONE] after an error event', { given: chatStream({ error: { status: 500 } }), want: [] }],
  ['accepts [DONE] after an error event', { given: chatStream({ error: { status: 422 }, done: true }), want: [] }],
  ['fires on an empty stream without [DONE]', { given: chatStream({ deltas: [], done: false }), want: ['violation:missing-done'] }],
  ['skips a non-stream response', { given: chatResponse(), want: 'skip' }],
  ['skips a stream request answered with an error status', { given: errorResponse({ streamed: true, status: 422 }), want: 'skip' }],
  [
    'skips an exchange that did not complete',
    {
      given: (() => {
        const v = chatStream({ done: false });
        v.transportFailure = { kind: 'stream-idle', message: 'no bytes for 30 s' };
        return v;
      })(),
      want: 'skip',
    },
  ],
];

describe('openai-stream-done', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiStreamDone, given)).toEqual(want);
  });

  it('checks JSON even when the chunks did not decode', () => {
    const view = chatStream({ extraData: ['not json'] });
    delete view.chunks;
    expect(openaiStreamDone.run(view)).toEqual([expect.objectContaining({ kind: 'not-json', event: 3 })]);
  });

  it('points at the last event when [DONE] is missing and at the first event after it', () => {
    expect(openaiStreamDone.run(chatStream({ done: false }))).toEqual([expect.objectContaining({ event: 2 })]);
    expect(openaiStreamDone.run(chatStream({ trailing: ['{}', '{}'] }))).toEqual([expect.objectContaining({ event: 4, message: expect.stringContaining('2 event(s) follow') })]);
  });
});

import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, chatStream, invalidReason, outcome, type Want } from './__fixtures__/views.js';
import { openaiStreamError } from './openai-stream-error.js';

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['skips a stream without an error event', { given: chatStream(), want: 'skip' }],
  ['skips a non-stream response', { given: chatResponse(), want: 'skip' }],
  ['silent on a load error ending the stream (429)', { given: chatStream({ error: { status: 429 } }), want: [] }],
  ['silent on a 503 or 424 in the stream', { given: chatStream({ error: { status: 424 } }), want: [] }],
  ['silent on [DONE] after the error event', { given: chatStream({ error: { status: 503 }, done: true }), want: [] }],
  [
    'fires on a validation error inside a 200 stream for a request every server rejects (TGI #1896)',
    { given: chatStream({ error: { status: 422 }, requestInvalidReasons: [invalidReason()] }), want: ['violation:validation-in-stream'] },
  ],
  [
    'fires on an in-stream rejection of a request tgc sees as valid (the server judged it after 200)',
    { given: chatStream({ error: { status: 422 } }), want: ['violation:validation-in-stream'] },
  ],
  ['fires on a valid request ending in a 500 error event', { given: chatStream({ error: { status: 500 } }), want: ['violation:not-served'] }],
  ['fires on a valid request ending in an error event without status', { given: chatStream({ error: {} }), want: ['violation:not-served'] }],
  [
    'follows the expectation: reject',
    { given: chatStream({ error: { status: 500 }, expectation: { outcome: 'reject', purpose: 'negative', label: 'max_tokens 0' } }), want: ['violation:validation-in-stream'] },
  ],
  [
    'follows the expectation: accept, over request reasons',
    { given: chatStream({ error: { status: 500 }, requestInvalidReasons: [invalidReason()], expectation: { outcome: 'accept', purpose: 'positive' } }), want: ['violation:not-served'] },
  ],
  [
    'follows the expectation: either (a server failure may be either)',
    { given: chatStream({ error: { status: 500 }, expectation: { outcome: 'either', purpose: 'boundary' } }), want: [] },
  ],
  [
    'fires on chunks after the error event',
    { given: chatStream({ deltas: [{ role: 'assistant', content: '' }], error: { status: 429 }, trailing: ['{"id":"x","choices":[]}'] }), want: ['violation:event-after-error'] },
  ],
];

describe('openai-stream-error', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiStreamError, given)).toEqual(want);
  });

  it('points at the error event', () => {
    expect(openaiStreamError.run(chatStream({ error: { status: 500 } }))).toEqual([expect.objectContaining({ event: 3, pointer: '/error' })]);
  });
});

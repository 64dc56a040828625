import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, chatStream, completionResponse, completionStream, errorResponse, modelsResponse, outcome, tgiChatStream, togetherChatStream, type Want } from './__fixtures__/views.js';
import { openaiStreamConsistency } from './openai-stream-consistency.js';

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on api.openai.com\'s stream (system_fingerprint null)', { given: chatStream({ usageChunk: true }), want: [] }],
  ['silent on api.openai.com\'s response', { given: chatResponse(), want: [] }],
  ['silent on Together\'s stream', { given: togetherChatStream(), want: [] }],
  ['silent on a completions stream', { given: completionStream() , want: [] }],
  ['warns on TGI 3.x\'s stream: empty id, created stamped per chunk', { given: tgiChatStream(), want: ['warning:empty-id', 'warning:created-changed'] }],
  ['warns on an empty id in a response (TGI)', { given: completionResponse({ edit: (b) => (b['id'] = '') }), want: ['warning:empty-id'] }],
  ['warns once when the id changes', { given: chatStream({ edit: (cs) => cs.forEach((c, i) => (c['id'] = `chatcmpl-${i}`)) }), want: ['warning:id-changed'] }],
  ['warns when the model changes', { given: chatStream({ edit: (cs) => cs[cs.length - 1] !== undefined && (cs[cs.length - 1]!['model'] = 'gpt-4') }), want: ['warning:model-changed'] }],
  ['skips GET /v1/models', { given: modelsResponse(), want: 'skip' }],
  ['skips an error status', { given: errorResponse(), want: 'skip' }],
];

describe('openai-stream-consistency', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiStreamConsistency, given)).toEqual(want);
  });

  it('reports an id changing on every chunk once, at the first change', () => {
    const result = openaiStreamConsistency.run(chatStream({ edit: (cs) => cs.forEach((c, i) => (c['id'] = `chatcmpl-${i}`)) }));
    expect(result).toEqual([expect.objectContaining({ event: 1, pointer: '/id', message: expect.stringContaining('2 chunks') })]);
  });
});

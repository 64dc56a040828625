import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatResponse,
  chatStream,
  completionResponse,
  completionStream,
  errorResponse,
  modelsResponse,
  outcome,
  tgiChatStream,
  togetherChatStream,
  type Want,
} from './__fixtures__/views.js';
import { openaiObject } from './openai-object.js';

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on api.openai.com\'s chat completion', { given: chatResponse(), want: [] }],
  ['silent on api.openai.com\'s chat stream', { given: chatStream({ usageChunk: true }) , want: [] }],
  ['silent on TGI 3.x\'s chat stream', { given: tgiChatStream(), want: [] }],
  ['silent on Together\'s chat stream', { given: togetherChatStream(), want: [] }],
  ['silent on a completion', { given: completionResponse(), want: [] }],
  ['silent on a completions stream', { given: completionStream({ usageChunk: true }), want: [] }],
  ['silent on the model list', { given: modelsResponse(), want: [] }],
  [
    'fires on TGI 2.0.1\'s chat completion labelled text_completion',
    { given: chatResponse({ edit: (b) => (b['object'] = 'text_completion') }), want: ['violation:wrong:chat.completion'] },
  ],
  ['fires on a missing object', { given: chatResponse({ edit: (b) => delete b['object'] }), want: ['violation:missing'] }],
  ['fires on a non-string object', { given: chatResponse({ edit: (b) => (b['object'] = 7) }), want: ['violation:wrong:chat.completion'] }],
  [
    'fires on Together\'s completion labelled text.completion',
    { given: completionResponse({ edit: (b) => (b['object'] = 'text.completion') }), want: ['violation:wrong:text_completion'] },
  ],
  [
    'fires once on chunks labelled chat.completion (foundry-local #31)',
    { given: chatStream({ edit: (cs) => cs.forEach((c) => (c['object'] = 'chat.completion')) }), want: ['violation:wrong:chat.completion.chunk'] },
  ],
  [
    'fires on an Azure filter chunk with object ""',
    { given: chatStream({ edit: (cs) => cs.unshift({ ...cs[0], object: '', choices: [] }) }), want: ['violation:wrong:chat.completion.chunk'] },
  ],
  [
    'fires once per kind on chunks with a missing or a wrong object',
    {
      given: chatStream({
        edit: (cs) => {
          delete cs[0]?.['object'];
          if (cs[1] !== undefined) cs[1]['object'] = 'text_completion';
        },
      }),
      want: ['violation:missing', 'violation:wrong:chat.completion.chunk'],
    },
  ],
  [
    'fires on a completions chunk labelled chat.completion.chunk',
    { given: completionStream({ edit: (cs) => cs.forEach((c) => (c['object'] = 'chat.completion.chunk')) }), want: ['violation:wrong:text_completion'] },
  ],
  ['fires on a model list not labelled list', { given: modelsResponse({ edit: (b) => (b['object'] = 'models') }), want: ['violation:wrong:list'] }],
  [
    'fires once on model entries not labelled model',
    { given: modelsResponse({ edit: (b) => (b['data'] as Record<string, unknown>[]).forEach((m) => (m['object'] = 'engine')) }), want: ['violation:wrong:model'] },
  ],
  ['skips an error status', { given: errorResponse(), want: 'skip' }],
  [
    'skips a stream whose chunks did not decode',
    {
      given: (() => {
        const v = chatStream();
        delete v.chunks;
        return v;
      })(),
      want: 'skip',
    },
  ],
];

describe('openai-object', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiObject, given)).toEqual(want);
  });

  it('reports a 300-chunk stream once, at the first event, with the count', () => {
    const deltas = Array.from({ length: 300 }, (_v, i) => (i === 0 ? { role: 'assistant', content: '' } : { content: ` w${i}` }));
    const view = chatStream({ deltas, edit: (cs) => cs.forEach((c) => (c['object'] = 'text_completion')) });
    const result = openaiObject.run(view);
    expect(result).toHaveLength(1);
    expect(result).toMatchObject([{ event: 0, pointer: '/object', message: expect.stringContaining('300 chunks') }]);
  });
});

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
  type Json,
  type Want,
} from './__fixtures__/views.js';
import { openaiFinishReason } from './openai-finish-reason.js';

const choice0 = (c: Json | undefined): Json => ((c?.['choices'] as Json[] | undefined)?.[0] ?? {});
const setFinish = (value: unknown) => (b: Json) => (choice0(b)['finish_reason'] = value);

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  // conformant and allowed
  ['silent on api.openai.com\'s chat completion', { given: chatResponse(), want: [] }],
  ['silent on api.openai.com\'s chat stream', { given: chatStream(), want: [] }],
  ['silent on a stream with an include_usage chunk (choices: [])', { given: chatStream({ usageChunk: true }), want: [] }],
  ['silent on TGI 3.x\'s chat stream', { given: tgiChatStream(), want: [] }],
  ['silent on Together\'s chat stream with an enum value', { given: togetherChatStream(), want: [] }],
  ['silent on length, tool_calls, content_filter and function_call', { given: chatResponse({ edit: setFinish('tool_calls') }), want: [] }],
  ['silent on a completion with length', { given: completionResponse(), want: [] }],
  ['silent on a completions stream', { given: completionStream(), want: [] }],
  ['silent on two interleaved choices each finishing last', { given: chatStream({ n: 2 }), want: [] }],
  ['silent on three interleaved prompts', { given: completionStream({ prompts: 3 }), want: [] }],
  // outside the enum
  ['fires on eos_token in a response (TGI 2.0.1)', { given: chatResponse({ edit: setFinish('eos_token') }), want: ['violation:outside-enum'] }],
  ['fires on eos in a stream (Together)', { given: togetherChatStream({ finish: 'eos' }), want: ['violation:outside-enum'] }],
  ['fires on stop_sequence in a stream', { given: chatStream({ finish: 'stop_sequence' }), want: ['violation:outside-enum'] }],
  ['fires on tool_calls on /v1/completions', { given: completionResponse({ edit: setFinish('tool_calls') }), want: ['violation:outside-enum'] }],
  ['fires on a non-string finish_reason', { given: chatResponse({ edit: setFinish(1) }), want: ['violation:not-a-string'] }],
  ['fires on "" in a response', { given: chatResponse({ edit: setFinish('') }), want: ['violation:empty'] }],
  [
    'fires once on "" on every intermediate chunk (Ollama)',
    { given: chatStream({ deltas: [{ role: 'assistant', content: 'a' }, { content: 'b' }, { content: 'c' }, {}], edit: (cs) => cs.slice(0, -1).forEach((c) => (choice0(c)['finish_reason'] = '')) }), want: ['violation:empty'] },
  ],
  [
    'fires once per kind on TGI\'s completions stream ("" then eos_token)',
    { given: completionStream({ intermediate: '', finish: 'eos_token', prompts: 2 }), want: ['violation:empty', 'violation:outside-enum'] },
  ],
  [
    'fires on "" on every chunk including the last, as empty only',
    { given: chatStream({ finish: '', edit: (cs) => cs.forEach((c) => (choice0(c)['finish_reason'] = '')) }), want: ['violation:empty'] },
  ],
  // non-stream missing
  ['fires on a null finish_reason in a response', { given: chatResponse({ edit: setFinish(null) }), want: ['violation:missing'] }],
  ['fires on an absent finish_reason in a response', { given: completionResponse({ edit: (b) => delete choice0(b)['finish_reason'] }), want: ['violation:missing'] }],
  // stream positions
  ['fires when a stream choice never finishes (openai-node #1292)', { given: chatStream({ finish: null }), want: ['violation:missing'] }],
  [
    'fires on a finish on a chunk that is not the choice\'s last',
    { given: chatStream({ edit: (cs) => ((choice0(cs[1])['finish_reason'] = 'stop'), (choice0(cs[2])['finish_reason'] = null)) }), want: ['violation:not-last'] },
  ],
  ['fires on two non-null finish reasons for one choice', { given: chatStream({ edit: (cs) => (choice0(cs[1])['finish_reason'] = 'length') }), want: ['violation:repeated'] }],
  [
    'fires when the stop chunk of two choices always says index 0 (llama.cpp #20226)',
    { given: chatStream({ n: 2, edit: (cs) => (choice0(cs[cs.length - 1])['index'] = 0) }), want: ['violation:repeated', 'violation:missing'] },
  ],
  [
    'warns once on finish_reason absent before the last chunk (xAI, Perplexity)',
    { given: chatStream({ edit: (cs) => cs.slice(0, -1).forEach((c) => delete choice0(c)['finish_reason']) }), want: ['warning:absent-before-last'] },
  ],
  [
    'does not report a missing finish when the stream ended with an error event',
    { given: chatStream({ finish: null, error: { status: 500 } }), want: [] },
  ],
  // skips
  ['skips an error status', { given: errorResponse(), want: 'skip' }],
  ['skips GET /v1/models', { given: modelsResponse(), want: 'skip' }],
  ['skips a stream that carries no choices', { given: chatStream({ deltas: [], error: { status: 500 } }), want: 'skip' }],
];

describe('openai-finish-reason', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiFinishReason, given)).toEqual(want);
  });

  it('points at the first chunk with the departure and counts the others', () => {
    const deltas = Array.from({ length: 300 }, (_v, i) => (i === 0 ? { role: 'assistant', content: '' } : { content: ` w${i}` }));
    const view = chatStream({ deltas, finish: 'stop', edit: (cs) => cs.slice(0, -1).forEach((c) => (choice0(c)['finish_reason'] = '')) });
    const result = openaiFinishReason.run(view);
    expect(result).toEqual([expect.objectContaining({ kind: 'empty', event: 0, pointer: '/choices/0/finish_reason', message: expect.stringContaining('299 occurrences') })]);
  });
});

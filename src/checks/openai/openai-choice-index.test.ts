import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatRequest,
  chatResponse,
  chatStream,
  completionRequest,
  completionResponse,
  completionStream,
  errorResponse,
  outcome,
  tgiChatStream,
  togetherChatStream,
  type Json,
  type Want,
} from './__fixtures__/views.js';
import { openaiChoiceIndex } from './openai-choice-index.js';

const choices = (b: Json | undefined): Json[] => (b?.['choices'] as Json[] | undefined) ?? [];
const twoChoices = (b: Json) => {
  const first = choices(b)[0] ?? {};
  b['choices'] = [first, { ...first, index: 1 }];
};

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on one choice', { given: chatResponse(), want: [] }],
  ['silent on a stream with an include_usage chunk', { given: chatStream({ usageChunk: true }), want: [] }],
  ['silent on TGI 3.x\'s stream', { given: tgiChatStream(), want: [] }],
  ['silent on Together\'s stream (extra keys)', { given: togetherChatStream(), want: [] }],
  ['silent on two choices when n = 2', { given: chatResponse({ request: chatRequest({ n: 2 }), edit: twoChoices }), want: [] }],
  ['silent on two interleaved streamed choices with n = 2', { given: chatStream({ n: 2 }), want: [] }],
  ['silent on one choice per prompt', { given: completionStream({ prompts: 3 }), want: [] }],
  ['warns when n = 3 gives one choice (TGI: n unused)', { given: chatResponse({ request: chatRequest({ n: 3 }) }), want: ['warning:n-ignored'] }],
  [
    'warns when a completions batch gives fewer choices than n × prompts',
    { given: completionResponse({ request: completionRequest({ prompt: ['a', 'b'], n: 2 }), edit: twoChoices }), want: ['warning:n-ignored'] },
  ],
  ['fires on more choices than asked', { given: chatResponse({ edit: twoChoices }), want: ['violation:too-many-choices'] }],
  ['fires on a non-integer index', { given: chatResponse({ edit: (b) => ((choices(b)[0] ?? {})['index'] = '0') }), want: ['violation:not-integer'] }],
  ['fires on an absent index', { given: chatResponse({ edit: (b) => delete (choices(b)[0] ?? {})['index'] }), want: ['violation:not-integer'] }],
  ['fires on index 1 with one choice', { given: chatResponse({ edit: (b) => ((choices(b)[0] ?? {})['index'] = 1) }), want: ['violation:out-of-range'] }],
  [
    'fires on a repeated index',
    { given: chatResponse({ request: chatRequest({ n: 2 }), edit: (b) => (twoChoices(b), ((choices(b)[1] ?? {})['index'] = 0)) }), want: ['violation:duplicate'] },
  ],
  [
    'fires on a token counter as the streamed index (TGI PR #1648)',
    { given: chatStream({ edit: (cs) => cs.forEach((c, i) => ((choices(c)[0] ?? {})['index'] = i)) }), want: ['violation:too-many-choices'] },
  ],
  ['fires on streamed indices with a gap', { given: chatStream({ edit: (cs) => cs.forEach((c) => ((choices(c)[0] ?? {})['index'] = 1)) }), want: ['violation:gap'] }],
  [
    'fires once on a non-integer streamed index',
    { given: chatStream({ edit: (cs) => cs.forEach((c) => ((choices(c)[0] ?? {})['index'] = 0.5)) }), want: ['violation:not-integer'] },
  ],
  ['fires on a negative streamed index', { given: chatStream({ edit: (cs) => ((choices(cs[1])[0] ?? {})['index'] = -1) }), want: ['violation:out-of-range'] }],
  ['skips an error status', { given: errorResponse(), want: 'skip' }],
];

describe('openai-choice-index', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiChoiceIndex, given)).toEqual(want);
  });

  it('reports a token counter once, at the first chunk beyond n', () => {
    const result = openaiChoiceIndex.run(chatStream({ edit: (cs) => cs.forEach((c, i) => ((choices(c)[0] ?? {})['index'] = i)) }));
    expect(result).toEqual([expect.objectContaining({ kind: 'too-many-choices', event: 1, message: expect.stringContaining('3 were served') })]);
  });
});

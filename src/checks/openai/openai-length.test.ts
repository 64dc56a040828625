import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  completionRequest,
  completionView,
  openaiChunks,
  outcomeOf,
  tgiChunks,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiLength } from './openai-length.js';

const usage = (completion: number, prompt = 10, total = prompt + completion) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: total });
const limited = (extra: Record<string, unknown> = {}) => chatRequest({ max_tokens: 16, ...extra });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent when length used the whole limit', { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: usage(16) }), want: [] }],
  ['fires when length stopped below the limit', { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: usage(9) }), want: ['violation:length-below-limit'] }],
  ['prefers max_completion_tokens', { given: chatView({ request: limited({ max_completion_tokens: 9 }), choices: [{ finish: 'length' }], usage: usage(9) }), want: [] }],
  ['leaves more tokens than the limit to openai-usage', { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: usage(20) }), want: [] }],
  ['silent when not finished by length', { given: chatView({ request: limited(), choices: [{ finish: 'stop' }], usage: usage(3) }), want: [] }],
  [
    'counts reasoning tokens kept in total_tokens only (xAI)',
    { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: usage(6, 10, 26) }), want: [] },
  ],
  ['skips without usage', { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: null }), want: 'skip' }],
  ['skips a limit above 1024', { given: chatView({ request: chatRequest({ max_tokens: 2000 }), choices: [{ finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips without a limit', { given: chatView({ choices: [{ finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips n > 1', { given: chatView({ request: limited({ n: 2 }), choices: [{ finish: 'length' }, { finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips two choices served', { given: chatView({ request: limited(), choices: [{ finish: 'length' }, { finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips best_of', { given: completionView({ request: completionRequest({ max_tokens: 16, best_of: 3 }), choices: [{ finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips several prompts', { given: completionView({ request: completionRequest({ max_tokens: 16, prompt: ['a', 'b'] }), choices: [{ finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['judges one tokenized prompt', { given: completionView({ request: completionRequest({ max_tokens: 16, prompt: [1, 2, 3] }), choices: [{ finish: 'length' }], usage: usage(9) }), want: ['violation:length-below-limit'] }],
  ['skips an unknown request', { given: chatView({ request: null, choices: [{ finish: 'length' }], usage: usage(9) }), want: 'skip' }],
  ['skips a non-number completion_tokens', { given: chatView({ request: limited(), choices: [{ finish: 'length' }], usage: { completion_tokens: 'nine' } }), want: 'skip' }],
  [
    'fires on a stream\'s usage chunk',
    { given: chatStreamView({ request: limited({ stream: true }), chunks: openaiChunks(['a', 'b'], { finish: 'length', usage: usage(2) }) }), want: ['violation:length-below-limit'] },
  ],
  [
    'silent on a TGI stream that reached the limit',
    { given: chatStreamView({ request: limited({ stream: true }), chunks: tgiChunks(['a', 'b'], { finish: 'length', usage: usage(16) }) }), want: [] },
  ],
  ['skips a stream without usage', { given: chatStreamView({ request: limited({ stream: true }), chunks: openaiChunks(['a'], { finish: 'length' }) }), want: 'skip' }],
];

describe('openai-length', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcomeOf(openaiLength, given)).toEqual(want);
  });

  it('points at completion_tokens of the usage chunk', () => {
    const view = chatStreamView({ request: limited({ stream: true }), chunks: openaiChunks(['a'], { finish: 'length', usage: usage(1) }) });
    expect(openaiLength.run(view)).toMatchObject([{ pointer: '/usage/completion_tokens', event: 3 }]);
  });
});

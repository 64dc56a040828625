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
  modelsResponse,
  outcome,
  tgiChatStream,
  togetherChatStream,
  type Json,
  type Want,
} from './__fixtures__/views.js';
import { openaiUsage } from './openai-usage.js';

const usage = (b: Json | undefined): Json => (b?.['usage'] as Json | undefined) ?? {};
const includeUsage = chatRequest({ stream: true, stream_options: { include_usage: true } });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  // conformant and allowed
  ['silent on api.openai.com\'s response usage (with details)', { given: chatResponse(), want: [] }],
  ['silent on include_usage with one choices: [] chunk', { given: chatStream({ usageChunk: true, usageOnChunks: 'null' }), want: [] }],
  ['silent on a completions stream with include_usage', { given: completionStream({ usageChunk: true }), want: [] }],
  ['silent on usage: null on every chunk (TGI 3.x)', { given: tgiChatStream(), want: [] }],
  ['silent on a stream without usage', { given: chatStream(), want: [] }],
  ['skips a response without usage (allowed)', { given: chatResponse({ edit: (b) => delete b['usage'] }), want: 'skip' }],
  ['skips a response with usage: null', { given: chatResponse({ edit: (b) => (b['usage'] = null) }), want: 'skip' }],
  ['silent on completion_tokens = max_tokens', { given: completionResponse(), want: [] }],
  // sums
  ['fires on total ≠ prompt + completion', { given: chatResponse({ edit: (b) => (usage(b)['total_tokens'] = 24) }), want: ['violation:total-mismatch'] }],
  [
    'fires once on a wrong total in several chunks',
    { given: chatStream({ usageOnChunks: 'every', edit: (cs) => cs.forEach((c) => (usage(c)['total_tokens'] = 1)) }), want: ['violation:total-mismatch', 'warning:unrequested-usage'] },
  ],
  // max tokens
  ['fires on completion_tokens above max_tokens', { given: completionResponse({ edit: (b) => (usage(b)['completion_tokens'] = 11, usage(b)['total_tokens'] = 14) }), want: ['violation:over-max-tokens'] }],
  [
    'prefers max_completion_tokens on chat',
    { given: chatResponse({ request: chatRequest({ max_tokens: 100, max_completion_tokens: 3 }) }), want: ['violation:over-max-tokens'] },
  ],
  [
    'does not judge max_tokens with several prompts',
    { given: completionResponse({ request: completionRequest({ prompt: ['a', 'b'], max_tokens: 2 }) }), want: [] },
  ],
  ['does not judge max_tokens with n > 1', { given: chatResponse({ request: chatRequest({ n: 2, max_tokens: 2 }) }), want: [] }],
  ['does not judge max_tokens with best_of', { given: completionResponse({ request: completionRequest({ best_of: 3, max_tokens: 2 }) }), want: [] }],
  ['judges max_tokens on a prompt of token ids', { given: completionResponse({ request: completionRequest({ prompt: [1, 2, 3], max_tokens: 2 }) }), want: ['violation:over-max-tokens'] }],
  // include_usage
  ['fires when include_usage gets no usage', { given: chatStream({ request: includeUsage }), want: ['violation:include-usage-missing'] }],
  ['does not ask for the usage chunk when the stream ended with an error', { given: chatStream({ request: includeUsage, error: { status: 500 } }), want: [] }],
  [
    'fires on usage on every chunk with include_usage (vLLM #7262)',
    { given: chatStream({ request: includeUsage, usageOnChunks: 'every' }), want: ['violation:usage-repeated'] },
  ],
  [
    'warns on the usage on the last chunk with choices (DeepSeek)',
    { given: chatStream({ request: includeUsage, edit: (cs) => cs[cs.length - 1] !== undefined && (cs[cs.length - 1]!['usage'] = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }) }), want: ['warning:usage-on-last-choice-chunk'] },
  ],
  [
    'warns on a usage chunk that is not the last',
    { given: chatStream({ usageChunk: true, edit: (cs) => cs.push({ ...cs[0], choices: [] }) }), want: ['warning:usage-not-last'] },
  ],
  // unrequested
  ['warns once on usage on every chunk without include_usage', { given: chatStream({ usageOnChunks: 'every' }), want: ['warning:unrequested-usage'] }],
  ['warns on Together\'s usage on the last chunk without include_usage', { given: togetherChatStream(), want: ['warning:unrequested-usage'] }],
  [
    'warns on usage with stream_options: {} (vLLM #7262)',
    { given: chatStream({ usageChunk: true, request: chatRequest({ stream: true, stream_options: {} }) }), want: ['warning:unrequested-usage'] },
  ],
  ['skips GET /v1/models', { given: modelsResponse(), want: 'skip' }],
  ['skips an error status', { given: errorResponse(), want: 'skip' }],
];

describe('openai-usage', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiUsage, given)).toEqual(want);
  });

  it('reads token counts sent as bigint without throwing', () => {
    const view = chatResponse({ edit: (b) => (usage(b)['total_tokens'] = 23n) });
    expect(outcome(openaiUsage, view)).toEqual([]);
  });
});

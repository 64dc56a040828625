import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { ScenarioGroup } from '../check.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  completionChunk,
  completionRequest,
  completionStreamView,
  completionView,
  CONTEXT,
  openaiChunks,
  scenarioOutcomeOf,
  tgiChunks,
  type Json,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiStreamEquivalence } from './openai-stream-equivalence.js';

const chat: ScenarioGroup = { name: 'chat-seeded', requests: [] };
const completions: ScenarioGroup = { name: 'completions-seeded', requests: [] };
const usage = (completion = 4, prompt = 12) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
const request = chatRequest({ seed: 7, temperature: 0.7, max_tokens: 16 });

const plain = (content: string, u: Json | null = usage()) => chatView({ request, choices: [{ content, finish: 'length' }], usage: u });
const streamed = (parts: string[], u: Json | undefined = usage()) =>
  chatStreamView({ request: { ...request, stream: true, stream_options: { include_usage: true } }, chunks: openaiChunks(parts, { finish: 'length', ...(u === undefined ? {} : { usage: u }) }) });

const cases: [string, { group: ScenarioGroup; views: OpenAIExchangeView[]; want: Want }][] = [
  ['silent on the same content and usage', { group: chat, views: [plain('The sea is vast'), streamed(['The', ' sea', ' is', ' vast'])], want: [] }],
  ['silent in either order', { group: chat, views: [streamed(['The', ' sea']), plain('The sea')], want: [] }],
  ['silent on a TGI stream (role in every delta)', { group: chat, views: [plain(' The sea'), chatStreamView({ request, chunks: tgiChunks([' The', ' sea'], { finish: 'length', usage: usage() }) })], want: [] }],
  ['fires on a stream that differs from the first token', { group: chat, views: [plain('The sea is vast'), streamed(['Waves', ' crash'])], want: ['violation:differs'] }],
  ['warns on a late divergence', { group: chat, views: [plain('The sea is vast and deep'), streamed(['The', ' sea', ' is', ' vast', ' and', ' grey'])], want: ['warning:late-divergence'] }],
  ['fires on different usage for the same content', { group: chat, views: [plain('The sea'), streamed(['The', ' sea'], usage(5))], want: ['violation:usage-differs'] }],
  ['fires on different prompt_tokens', { group: chat, views: [plain('The sea'), streamed(['The', ' sea'], usage(4, 13))], want: ['violation:usage-differs'] }],
  ['compares the content only when the stream has no usage', { group: chat, views: [plain('The sea'), streamed(['The', ' sea'], undefined)], want: [] }],
  ['compares the content only when the response has no usage', { group: chat, views: [plain('The sea', null), streamed(['The', ' sea'])], want: [] }],
  ['skips when the stream failed', { group: chat, views: [plain('The sea'), chatStreamView({ request, chunks: openaiChunks(['The']), error: true })], want: 'skip' }],
  ['skips when the non-stream request failed', { group: chat, views: [chatView({ status: 500 }), streamed(['The'])], want: 'skip' }],
  ['skips two non-stream answers', { group: chat, views: [plain('a'), plain('a')], want: 'skip' }],
  ['skips a group of another check', { group: { name: 'seeded-sampling', requests: [] }, views: [plain('a'), streamed(['a'])], want: 'skip' }],
  [
    'judges completions (TGI: usage on the last chunk with choices)',
    {
      group: completions,
      views: [
        completionView({ request: completionRequest({ max_tokens: 16 }), choices: [{ content: ' a city of love', finish: 'length' }], usage: usage(4, 3) }),
        completionStreamView({
          request: completionRequest({ max_tokens: 16, stream: true }),
          chunks: [completionChunk([{ text: ' a city', finish: '' }]), completionChunk([{ text: ' of love', finish: 'length' }], { usage: usage(4, 3) })],
        }),
      ],
      want: [],
    },
  ],
];

describe('openai-stream-equivalence', () => {
  it.each(cases)('%s', (_name, { group, views, want }) => {
    expect(scenarioOutcomeOf(openaiStreamEquivalence, group, views)).toEqual(want);
  });

  it('plans each group as the same request without and with a stream', () => {
    const plan = openaiStreamEquivalence.plan(CONTEXT);
    expect(plan.map((g) => g.name)).toEqual(['chat-seeded', 'chat-greedy', 'completions-seeded']);
    for (const group of plan) {
      const [a, b] = group.requests;
      expect(group.requests).toHaveLength(2);
      expect(a?.route).toBe(b?.route);
      expect(b?.body).toEqual({ ...(a?.body as Json), stream: true, stream_options: { include_usage: true } });
      expect(a?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 16, seed: expect.any(Number) as number });
    }
    expect(plan.map((g) => g.requests[0]?.route)).toEqual(['POST /v1/chat/completions', 'POST /v1/chat/completions', 'POST /v1/completions']);
    expect(plan[1]?.requests[0]?.body).toMatchObject({ temperature: 0 });
    expect(openaiStreamEquivalence.plan({ ...CONTEXT, api: 'hf' })).toEqual([]);
  });
});

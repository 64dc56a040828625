import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatLogprobs,
  chatRequest,
  chatStreamView,
  chatView,
  completionChunk,
  completionLogprobs,
  completionRequest,
  completionStreamView,
  completionView,
  entry,
  openaiChunks,
  outcomeOf,
  tgiChunks,
  tgiEntry,
  toolCall,
  type Json,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiLogprobs } from './openai-logprobs.js';

const asked = (extra: Json = {}) => chatRequest({ logprobs: true, top_logprobs: 2, ...extra });
const good = chatLogprobs([entry('to', -0.1, 2), entry(' two', -0.2, 2), entry('.', -0.01, 2)]);
const withLogprobs = (logprobs: unknown, content = 'to two.', extra: Json = {}) =>
  chatView({ request: asked(extra), choices: [{ content, logprobs }] });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on OpenAI-shaped logprobs that match the content', { given: withLogprobs(good), want: [] }],
  ['silent when the tokens run past the content (stop token)', { given: withLogprobs(good, 'to two'), want: [] }],
  ['skips when logprobs are neither asked nor returned (logprobs: null)', { given: chatView(), want: 'skip' }],
  ['fires on the completions shape on chat (vLLM #3179)', { given: withLogprobs(completionLogprobs(['to', ' two', '.'])), want: ['violation:completions-shape-on-chat'] }],
  ['warns when asked but not returned', { given: withLogprobs(null), want: ['warning:not-returned'] }],
  ['warns when asked and content is null', { given: withLogprobs({ content: null }), want: ['warning:not-returned'] }],
  ['silent when asked and the content is empty', { given: withLogprobs(null, ''), want: [] }],
  ['warns on logprobs not asked for', { given: chatView({ choices: [{ content: 'to two.', logprobs: good }] }), want: ['warning:unrequested'] }],
  ['silent on an empty logprobs content not asked for', { given: chatView({ choices: [{ content: 'to two.', logprobs: { content: [] } }] }), want: [] }],
  [
    'warns on a top_logprobs count that differs, once per choice',
    { given: withLogprobs(chatLogprobs([entry('to', -0.1, 1), entry(' two', -0.2, 3), entry('.', -0.1, 2)])), want: ['warning:top-count'] },
  ],
  ['silent on top_logprobs when no count was asked', { given: withLogprobs(chatLogprobs([entry('to', -0.1, 1), entry(' two.', -0.2, 0)]), 'to two.', { top_logprobs: undefined }), want: [] }],
  ['fires on a positive logprob', { given: withLogprobs(chatLogprobs([entry('to', 0.5, 2), entry(' two.', 0.2, 2)])), want: ['violation:positive'] }],
  ['allows a rounding epsilon', { given: withLogprobs(chatLogprobs([entry('to', 1e-7, 2), entry(' two.', 0, 2)])), want: [] }],
  ['fires on a positive alternative', { given: withLogprobs(chatLogprobs([{ ...entry('to two.', -0.1), top_logprobs: [{ token: 'x', logprob: 3, bytes: [120] }, { token: 'y', logprob: -1, bytes: [121] }] }])), want: ['violation:positive'] }],
  ['fires on a logprob that is not a number', { given: withLogprobs(chatLogprobs([entry('to', -0.1, 2), { ...entry(' two.', -0.1, 2), logprob: null }])), want: ['violation:logprob-not-number'] }],
  ['fires when the content is not a prefix of the tokens', { given: withLogprobs(good, 'to three.'), want: ['violation:content-not-prefix'] }],
  ['fires when the content runs past the tokens', { given: withLogprobs(good, 'to two. And more'), want: ['violation:content-not-prefix'] }],
  ['warns on a leading-space difference only', { given: withLogprobs(chatLogprobs([entry(' to', -0.1, 2), entry(' two.', -0.1, 2)]), 'to two.'), want: ['warning:content-leading-space'] }],
  ['skips the prefix rule on tool calls', { given: chatView({ request: asked(), choices: [{ content: 'x', logprobs: good, toolCalls: [toolCall('f', '{}')], finish: 'tool_calls' }] }), want: [] }],
  ['skips the prefix rule beside reasoning text', { given: chatView({ request: asked(), choices: [{ content: 'two', logprobs: good, extra: { reasoning_content: 'Let me think' } }] }), want: [] }],
  [
    'compares multi-byte characters by bytes where a token is part of a character',
    {
      given: withLogprobs(
        chatLogprobs([entry('Hi', -0.1, 2), { ...entry('x', -0.1, 2), token: '\\xf0\\x9f', bytes: [0xf0, 0x9f] }, { ...entry('x', -0.1, 2), token: '\\x98\\x80', bytes: [0x98, 0x80] }]),
        'Hi😀',
      ),
      want: [],
    },
  ],
  [
    'stops comparing at a partial token without bytes (U+FFFD)',
    { given: withLogprobs(chatLogprobs([entry('Hi', -0.1, 2), { token: '\uFFFD', logprob: -0.1, bytes: null, top_logprobs: [{ token: 'a', logprob: -1, bytes: null }, { token: 'b', logprob: -2, bytes: null }] }]), 'Hi😀'), want: [] },
  ],
  ['fires on bytes that are not the token\'s UTF-8', { given: withLogprobs(chatLogprobs([{ ...entry('to', -0.1, 2), bytes: [116, 112] }, entry(' two.', -0.1, 2)])), want: ['violation:bytes-mismatch'] }],
  ['fires on bytes that are not bytes', { given: withLogprobs(chatLogprobs([{ ...entry('to', -0.1, 2), bytes: 'to' }, entry(' two.', -0.1, 2)])), want: ['violation:bytes-mismatch'] }],
  ['allows null bytes', { given: withLogprobs(chatLogprobs([{ ...entry('to', -0.1, 2), bytes: null }, entry(' two.', -0.1, 2)])), want: [] }],
  ['checks bytes of multi-byte whole tokens', { given: withLogprobs(chatLogprobs([entry('é', -0.1, 2)]), 'é'), want: [] }],
  [
    'warns once per response on entries without bytes (TGI)',
    { given: withLogprobs(chatLogprobs([tgiEntry(' One'), tgiEntry(' plus'), tgiEntry('</s>')]), ' One plus', { top_logprobs: 0 }), want: ['warning:bytes-missing'] },
  ],
  [
    'judges an OpenAI stream assembled from its chunks',
    {
      given: chatStreamView({ request: asked({ stream: true }), chunks: openaiChunks(['to', ' two', '.'], { logprobs: (i) => chatLogprobs([entry(['to', ' two', '.'][i] ?? '', -0.1, 2)]) }) }),
      want: [],
    },
  ],
  [
    'fires on a stream whose content is not a prefix of its tokens',
    {
      given: chatStreamView({ request: asked({ stream: true }), chunks: openaiChunks(['to', ' two'], { logprobs: (i) => chatLogprobs([entry(['to', ' three'][i] ?? '', -0.1, 2)]) }) }),
      want: ['violation:content-not-prefix'],
    },
  ],
  [
    'judges a TGI 3.x stream (role in every delta, no bytes, EOS past the content)',
    {
      given: chatStreamView({
        request: asked({ stream: true, top_logprobs: 0 }),
        chunks: tgiChunks([' One', ' plus'], { logprobs: (i) => ({ content: [tgiEntry([' One', ' plus'][i] ?? '')] }) }).map((c, i, all) =>
          i === all.length - 1 ? { ...c, choices: [{ ...(c.choices as Json[])[0], logprobs: { content: [tgiEntry('</s>')] } }] } : c,
        ),
      }),
      want: ['warning:bytes-missing'],
    },
  ],
  ['warns on a stream with logprobs asked and none sent', { given: chatStreamView({ request: asked({ stream: true }), chunks: openaiChunks(['to', ' two']) }), want: ['warning:not-returned'] }],
  ['skips an error', { given: chatView({ request: asked(), status: 400 }), want: 'skip' }],
  ['judges the shape without a known request', { given: chatView({ request: null, choices: [{ content: 'to two.', logprobs: completionLogprobs(['to two.']) }] }), want: ['violation:completions-shape-on-chat'] }],
  // completions
  ['silent on completions logprobs that match the text', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a city', logprobs: completionLogprobs([' a', ' city']) }] }), want: [] }],
  ['fires on the chat shape on completions', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a', logprobs: chatLogprobs([entry(' a')]) }] }), want: ['violation:chat-shape-on-completions'] }],
  ['warns when completions ignore logprobs (TGI #2211)', { given: completionView({ request: completionRequest({ logprobs: 2 }), choices: [{ content: ' a city' }] }), want: ['warning:not-returned'] }],
  ['fires on a positive completions logprob', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a city', logprobs: completionLogprobs([' a', ' city'], [-0.1, 0.3]) }] }), want: ['violation:positive'] }],
  ['allows a null first logprob (echo)', { given: completionView({ request: completionRequest({ logprobs: 1, echo: true }), choices: [{ content: 'Paris is a', logprobs: completionLogprobs(['Paris', ' is', ' a'], [null, -1, -2]) }] }), want: [] }],
  ['fires on a later null', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a city', logprobs: completionLogprobs([' a', ' city'], [-1, null]) }] }), want: ['violation:logprob-not-number'] }],
  ['fires when the text is not a prefix of the tokens', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a town', logprobs: completionLogprobs([' a', ' city']) }] }), want: ['violation:content-not-prefix'] }],
  ['warns on a top_logprobs count beyond k + 1', { given: completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: ' a', logprobs: completionLogprobs([' a'], [-1], [{ a: -1, b: -2, c: -3 }]) }] }), want: ['warning:top-count'] }],
  [
    'judges a completions stream',
    {
      given: completionStreamView({
        request: completionRequest({ logprobs: 1, stream: true }),
        chunks: [completionChunk([{ text: ' a', logprobs: completionLogprobs([' a']) }]), completionChunk([{ text: ' city', logprobs: completionLogprobs([' town']), finish: 'length' }])],
      }),
      want: ['violation:content-not-prefix'],
    },
  ],
];

describe('openai-logprobs', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcomeOf(openaiLogprobs, given)).toEqual(want);
  });

  it('points at the entry\'s event in a stream', () => {
    const view = chatStreamView({ request: asked({ stream: true }), chunks: openaiChunks(['to', ' two'], { logprobs: (i) => chatLogprobs([entry(['to', ' two'][i] ?? '', i === 1 ? 2 : -1, 2)]) }) });
    expect(openaiLogprobs.run(view)).toMatchObject([{ kind: 'positive', pointer: '/choices/0/logprobs/content/0/logprob', event: 2 }]);
  });

  it('never throws on logprobs of any JSON type', () => {
    for (const odd of [1, 'x', [], [1], { content: 'x' }, { content: [null, 1, 'a', { token: 5, logprob: 'x', bytes: { a: 1 }, top_logprobs: 'no' }] }, { tokens: 'x', token_logprobs: {} }, { tokens: [1, null], top_logprobs: [1, { a: 'b' }] }]) {
      expect(() => openaiLogprobs.run(withLogprobs(odd))).not.toThrow();
      expect(() => openaiLogprobs.run(completionView({ request: completionRequest({ logprobs: 1 }), choices: [{ content: 'x', logprobs: odd }] }))).not.toThrow();
    }
  });
});

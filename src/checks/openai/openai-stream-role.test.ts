import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, chatStream, completionStream, outcome, tgiChatStream, togetherChatStream, type Want } from './__fixtures__/views.js';
import { openaiStreamRole } from './openai-stream-role.js';

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on api.openai.com\'s stream (role on the first delta)', { given: chatStream({ usageChunk: true }), want: [] }],
  ['silent on TGI 3.x\'s stream (role on every delta)', { given: tgiChatStream(), want: [] }],
  ['silent on Together\'s stream', { given: togetherChatStream(), want: [] }],
  ['silent on two choices each with a role', { given: chatStream({ n: 2 }), want: [] }],
  ['fires when no delta carries a role', { given: chatStream({ deltas: [{ content: 'two' }, {}] }), want: ['violation:missing-role'] }],
  ['fires once when two choices have no role', { given: chatStream({ n: 2, deltas: [{ content: 'two' }, {}] }), want: ['violation:missing-role'] }],
  ['fires on a role other than assistant', { given: chatStream({ deltas: [{ role: 'user', content: '' }, { content: 'two' }, {}] }), want: ['violation:wrong-role'] }],
  ['warns once on role: null in later deltas', { given: chatStream({ deltas: [{ role: 'assistant', content: '' }, { role: null, content: 'two' }, { role: null }] }), want: ['warning:null-role'] }],
  ['fires, and does not warn, when the only role is null', { given: chatStream({ deltas: [{ role: null, content: 'two' }, {}] }), want: ['violation:missing-role'] }],
  ['skips completions streams', { given: completionStream(), want: 'skip' }],
  ['skips non-stream responses', { given: chatResponse(), want: 'skip' }],
];

describe('openai-stream-role', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiStreamRole, given)).toEqual(want);
  });

  it('names the choice and its first event', () => {
    const result = openaiStreamRole.run(chatStream({ n: 2, deltas: [{ role: 'assistant' }, { content: 'x' }, {}], edit: (cs) => cs.forEach((c) => c['choices'] && ((c['choices'] as { index: number; delta: Record<string, unknown> }[]).forEach((ch) => ch.index === 1 && delete ch.delta['role']))) }));
    expect(result).toEqual([expect.objectContaining({ kind: 'missing-role', event: 1, message: expect.stringContaining('choice 1') })]);
  });
});

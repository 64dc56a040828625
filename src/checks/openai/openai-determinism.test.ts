import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { ScenarioGroup } from '../check.js';
import { chatRequest, chatView, CONTEXT, scenarioOutcomeOf, type Want } from './__fixtures__/meaning-views.js';
import { openaiDeterminism } from './openai-determinism.js';

const seeded: ScenarioGroup = { name: 'chat-seeded', requests: [] };
const greedy: ScenarioGroup = { name: 'chat-greedy', requests: [] };
const says = (content: string, fingerprint: string | null = null): OpenAIExchangeView =>
  chatView({ request: chatRequest({ seed: 7, temperature: 0.7, max_tokens: 16 }), choices: [{ content, finish: 'length' }], edit: (b) => (b.system_fingerprint = fingerprint) });

const TEXT = 'The sea is vast and deep, a quiet blue';

const cases: [string, { group: ScenarioGroup; views: OpenAIExchangeView[]; want: Want }][] = [
  ['silent on the same output', { group: seeded, views: [says(TEXT), says(TEXT)], want: [] }],
  ['fires when the outputs differ from the first token', { group: seeded, views: [says(TEXT), says('Waves crash on the shore at night')], want: ['violation:seed-ignored'] }],
  ['fires on greedy outputs that differ from the first token', { group: greedy, views: [says(TEXT), says('Oceans cover most of the Earth')], want: ['violation:greedy-nondeterministic'] }],
  ['warns on a late divergence (GPU batching)', { group: seeded, views: [says(TEXT), says('The sea is vast and deep, a restless grey')], want: ['warning:late-divergence'] }],
  ['counts a shared first word as late', { group: seeded, views: [says('The sea is blue.'), says('The ocean is wide.')], want: ['warning:late-divergence'] }],
  ['treats a shared leading space alone as a first-token difference', { group: seeded, views: [says(' Paris'), says(' Lyon')], want: ['violation:seed-ignored'] }],
  ['skips answers from different backends', { group: seeded, views: [says(TEXT, 'fp_1'), says('Other text entirely', 'fp_2')], want: 'skip' }],
  ['compares answers from the same backend', { group: seeded, views: [says(TEXT, 'fp_1'), says('Other text entirely', 'fp_1')], want: ['violation:seed-ignored'] }],
  ['skips a failed exchange', { group: seeded, views: [says(TEXT), chatView({ status: 503 })], want: 'skip' }],
  ['skips a group of another check', { group: { name: 'other', requests: [] }, views: [says(TEXT), says(TEXT)], want: 'skip' }],
  ['skips a single exchange', { group: seeded, views: [says(TEXT)], want: 'skip' }],
];

describe('openai-determinism', () => {
  it.each(cases)('%s', (_name, { group, views, want }) => {
    expect(scenarioOutcomeOf(openaiDeterminism, group, views)).toEqual(want);
  });

  it('plans a seeded and a greedy chat request, each twice, as a pure function of the seed', () => {
    const plan = openaiDeterminism.plan(CONTEXT);
    expect(plan.map((g) => g.name)).toEqual(['chat-seeded', 'chat-greedy']);
    for (const group of plan) {
      expect(group.requests).toHaveLength(2);
      expect(group.requests[0]).toEqual(group.requests[1]);
      expect(group.requests[0]?.route).toBe('POST /v1/chat/completions');
      expect(group.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 16, seed: expect.any(Number) as number });
    }
    expect(plan[1]?.requests[0]?.body).toMatchObject({ temperature: 0 });
    expect(openaiDeterminism.plan(CONTEXT)).toEqual(plan);
    expect(openaiDeterminism.plan({ ...CONTEXT, seed: 99 })).not.toEqual(plan);
    expect(openaiDeterminism.plan({ ...CONTEXT, api: 'tgi' })).toEqual([]);
  });

  it('leaves out the model when none is given', () => {
    const { model: _model, ...context } = CONTEXT;
    expect(openaiDeterminism.plan(context)[0]?.requests[0]?.body).not.toHaveProperty('model');
  });
});

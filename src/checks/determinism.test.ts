import { describe, expect, it } from 'vitest';
import type { Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { ScenarioContext, ScenarioGroup } from './check.js';
import { rejectedWith, scenarioOutcome } from './__fixtures__/case-builders.js';
import { PROMPT, details, eos, nonStream, tok, type Want } from './__fixtures__/builders.js';
import { determinism } from './determinism.js';
import { scenarioChecks } from './index.js';
import type { ScenarioRoutes } from './check.js';

/** Where the seed document's endpoint takes scenario requests (src/apis/hf.ts). */
const HF_ROUTES: ScenarioRoutes = { nonStream: 'POST /', stream: 'POST /', streamInBody: true, headers: { 'x-use-cache': 'false' } };

const context = (over: Partial<ScenarioContext> = {}): ScenarioContext => ({
  api: 'tgi',
  seed: 1234,
  maxExamples: 20,
  limits: { maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048 },
  grammarSupported: true,
  ...over,
});

const SEEDED: ScenarioGroup = { name: 'seeded-sampling', requests: [] };
const GREEDY: ScenarioGroup = { name: 'greedy', requests: [] };

const a = [tok(' Paris', { id: 5 }), tok('.', { id: 6 }), tok(' It', { id: 7 }), eos()];
const lateOther = [tok(' Paris', { id: 5 }), tok('.', { id: 6 }), tok(' The', { id: 8 }), eos()];
const firstOther = [tok(' Lyon', { id: 9 }), tok('.', { id: 6 }), tok(' It', { id: 7 }), eos()];

const answer = (tokens: Token[]): ExchangeView => nonStream({ parameters: { details: true, do_sample: true, seed: 7 }, details: details(tokens) });
const textOnly = (text: string): ExchangeView => nonStream({ route: 'POST /', parameters: null, generatedText: text });

const cases: [string, { group: ScenarioGroup; views: ExchangeView[]; want: Want }][] = [
  ['silent on equal token ids (seeded)', { group: SEEDED, views: [answer(a), answer(a)], want: [] }],
  ['silent on equal token ids (greedy)', { group: GREEDY, views: [answer(a), answer(a)], want: [] }],
  ['fires when a seeded output differs from the first token', { group: SEEDED, views: [answer(a), answer(firstOther)], want: ['violation:seed-ignored'] }],
  ['fires when a greedy output differs from the first token', { group: GREEDY, views: [answer(a), answer(firstOther)], want: ['violation:greedy-nondeterministic'] }],
  // verdict-policy item 9: GPU batching
  ['warns only on a late divergence (seeded)', { group: SEEDED, views: [answer(a), answer(lateOther)], want: ['warning:late-divergence'] }],
  ['warns only on a late divergence (greedy)', { group: GREEDY, views: [answer(a), answer(lateOther)], want: ['warning:late-divergence'] }],
  ['warns when one output stops early', { group: GREEDY, views: [answer(a), answer(a.slice(0, 2))], want: ['warning:late-divergence'] }],
  ['reports the earliest divergence of three', { group: SEEDED, views: [answer(a), answer(lateOther), answer(firstOther)], want: ['violation:seed-ignored'] }],
  [
    'compares texts without details, the prompt stripped (HF API, return_full_text)',
    { group: SEEDED, views: [textOnly(`${PROMPT} Paris. It`), textOnly(`${PROMPT} Paris. The`)], want: ['warning:late-divergence'] },
  ],
  ['fires on texts that differ at once', { group: SEEDED, views: [textOnly(`${PROMPT} Paris`), textOnly(`${PROMPT} Lyon`)], want: ['violation:seed-ignored'] }],
  ['silent on equal texts (an endpoint cache answers alike)', { group: SEEDED, views: [textOnly(' Paris'), textOnly(' Paris')], want: [] }],
  ['skips when an exchange was rejected', { group: SEEDED, views: [answer(a), rejectedWith({ status: 422, error: null })], want: 'skip' }],
  ['skips when an exchange was turned away under load', { group: GREEDY, views: [rejectedWith({ status: 429, error: null }), answer(a)], want: 'skip' }],
  ['skips a single exchange', { group: SEEDED, views: [answer(a)], want: 'skip' }],
  ['skips a group it did not plan', { group: { name: 'other', requests: [] }, views: [answer(a), answer(a)], want: 'skip' }],
];

describe('determinism', () => {
  it.each(cases)('%s', (_name, { group, views, want }) => {
    expect(scenarioOutcome(determinism, group, views)).toEqual(want);
  });

  it('points at the first differing token', () => {
    expect(determinism.assess(SEEDED, [answer(a), answer(lateOther)])).toMatchObject([{ pointer: '/details/tokens/2' }]);
  });

  it('plans a seeded and a greedy request, each twice, on /generate', () => {
    const groups = determinism.plan(context());
    expect(groups.map((g) => g.name)).toEqual(['seeded-sampling', 'greedy']);
    const [seeded, greedy] = groups;
    expect(seeded?.requests).toHaveLength(2);
    expect(seeded?.requests[0]).toEqual(seeded?.requests[1]);
    expect(seeded?.requests[0]).toMatchObject({ route: 'POST /generate', body: { parameters: { do_sample: true, details: true, max_new_tokens: 16 } } });
    expect(greedy?.requests[0]).toMatchObject({ route: 'POST /generate', body: { parameters: { details: true, max_new_tokens: 16 } } });
    expect(greedy?.requests[0]?.body).not.toHaveProperty('parameters.do_sample');
    expect(greedy?.requests[0]?.body).not.toHaveProperty('parameters.seed');
  });

  it('plans on POST / for the serverless endpoint, past its cache', () => {
    const [seeded] = determinism.plan(context({ api: 'hf', routes: HF_ROUTES }));
    expect(seeded?.requests[0]).toMatchObject({ route: 'POST /', body: { stream: false }, headers: { 'x-use-cache': 'false' } });
  });

  it('plans as a pure function of the seed', () => {
    expect(determinism.plan(context())).toEqual(determinism.plan(context()));
    const seedOf = (seed: number): unknown => (determinism.plan(context({ seed }))[0]?.requests[0]?.body as { parameters: { seed: unknown } }).parameters.seed;
    expect(seedOf(1)).not.toEqual(seedOf(2));
    expect(Number.isSafeInteger(seedOf(3))).toBe(true);
  });

  it('is listed with unique ids', () => {
    const ids = scenarioChecks.map((c) => c.id);
    expect(ids).toEqual(['determinism', 'stream-equivalence', 'stream-incremental']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

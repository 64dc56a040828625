import { describe, expect, it } from 'vitest';
import type { Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { ScenarioContext, ScenarioGroup } from './check.js';
import { VALIDATION, rejectedWith, scenarioOutcome } from './__fixtures__/case-builders.js';
import { details, eos, nonStream, stream, streamDetails, textOf, tok, type Want } from './__fixtures__/builders.js';
import { streamEquivalence } from './stream-equivalence.js';
import type { ScenarioRoutes } from './check.js';

/** Where the seed document's endpoint takes scenario requests (src/apis/hf.ts). */
const HF_ROUTES: ScenarioRoutes = { nonStream: 'POST /', stream: 'POST /', streamInBody: true, headers: { 'x-use-cache': 'false' } };

const context = (over: Partial<ScenarioContext> = {}): ScenarioContext => ({
  api: 'tgi',
  seed: 99,
  maxExamples: 20,
  limits: { maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048 },
  grammarSupported: true,
  ...over,
});

const GROUP: ScenarioGroup = { name: 'seeded-sampling', requests: [] };
const parameters = { details: true, do_sample: true, seed: 7, max_new_tokens: 16 };

const a = [tok(' Paris', { id: 5 }), tok('.', { id: 6 }), tok(' It', { id: 7 }), eos()];
const late = [tok(' Paris', { id: 5 }), tok('.', { id: 6 }), tok(' The', { id: 8 }), eos()];
const first = [tok(' Lyon', { id: 9 }), tok('.', { id: 6 }), tok(' It', { id: 7 }), eos()];

const plain = (tokens: Token[], text?: string): ExchangeView =>
  nonStream({ parameters, details: details(tokens), ...(text === undefined ? {} : { generatedText: text }) });
const streamed = (tokens: Token[], text?: string | null): ExchangeView =>
  stream({ parameters, tokens, details: streamDetails(tokens.length), ...(text === undefined ? {} : { generatedText: text }) });

const cases: [string, { views: ExchangeView[]; want: Want }][] = [
  ['silent on the same tokens and text', { views: [plain(a), streamed(a)], want: [] }],
  ['silent when the stream\'s final text is not sent', { views: [plain(a), streamed(a, null)], want: [] }],
  ['silent in either order', { views: [streamed(a), plain(a)], want: [] }],
  ['fires on a stream that differs from the first token', { views: [plain(a), streamed(first)], want: ['violation:stream-differs'] }],
  // verdict-policy item 9
  ['warns only on a late divergence', { views: [plain(a), streamed(late)], want: ['warning:late-divergence'] }],
  ['fires on the same tokens decoded into another final text', { views: [plain(a), streamed(a, `${textOf(a)}!`)], want: ['violation:generated-text-differs'] }],
  [
    'compares the text when the non-stream answer has no details',
    { views: [nonStream({ parameters, generatedText: ' Paris. The' }), streamed(a)], want: ['warning:late-divergence'] },
  ],
  [
    'fires on a text that differs within the first token',
    { views: [nonStream({ parameters, generatedText: ' Pa' }), streamed(a)], want: ['violation:stream-differs'] },
  ],
  ['skips when the stream ended with an error event', { views: [plain(a), stream({ parameters, tokens: a.slice(0, 1), streamError: VALIDATION('x') })], want: 'skip' }],
  ['skips when the non-stream request was rejected', { views: [rejectedWith({ status: 429, error: null }), streamed(a)], want: 'skip' }],
  ['skips two non-stream exchanges', { views: [plain(a), plain(a)], want: 'skip' }],
];

describe('stream-equivalence', () => {
  it.each(cases)('%s', (_name, { views, want }) => {
    expect(scenarioOutcome(streamEquivalence, GROUP, views)).toEqual(want);
  });

  it('plans one seeded sampling request without and with streaming', () => {
    const [group, ...rest] = streamEquivalence.plan(context());
    expect(rest).toEqual([]);
    expect(group?.requests.map((r) => r.route)).toEqual(['POST /generate', 'POST /generate_stream']);
    expect(group?.requests[0]?.body).toEqual(group?.requests[1]?.body);
    expect(group?.requests[0]?.body).toMatchObject({ parameters: { do_sample: true, details: true } });
  });

  it('plans POST / with stream false and true for the serverless endpoint', () => {
    const [group] = streamEquivalence.plan(context({ api: 'hf', routes: HF_ROUTES }));
    expect(group?.requests.map((r) => [r.route, (r.body as { stream: boolean }).stream])).toEqual([
      ['POST /', false],
      ['POST /', true],
    ]);
  });

  it('plans as a pure function of the seed', () => {
    expect(streamEquivalence.plan(context())).toEqual(streamEquivalence.plan(context()));
  });
});

import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../core/json.js';
import { contractRuleIds } from './__fixtures__/rules.js';
import { HF_SURFACE, planCases, TGI_SURFACE, type PlanOptions } from './cases.js';
import { TGI_DEFAULT_LIMITS, type KnownServerLimits } from './options.js';

const base: PlanOptions = {
  surface: TGI_SURFACE,
  seed: 7,
  maxExamples: 5,
  limits: { ...TGI_DEFAULT_LIMITS },
  knownLimits: new Set<keyof KnownServerLimits>(['maxBestOf', 'maxStopSequences', 'maxInputTokens', 'maxTotalTokens']),
  authRequired: false,
  hasToken: false,
};

describe('planCases', () => {
  it('is a pure function of its options (same seed, same plan)', () => {
    const a = planCases(base).map((c) => stringifyJson(c.body ?? c.rawBody ?? null));
    const b = planCases(base).map((c) => stringifyJson(c.body ?? c.rawBody ?? null));
    expect(a).toEqual(b);
    const other = planCases({ ...base, seed: 8 }).map((c) => stringifyJson(c.body ?? null));
    expect(other).not.toEqual(a);
  });

  it('draws --max-examples random requests per route, streams included', () => {
    const positive = planCases(base).filter((c) => c.expectation.label?.startsWith('random valid request'));
    expect(positive).toHaveLength(4 * 5);
    expect(new Set(positive.map((c) => c.route))).toEqual(new Set(['POST /generate', 'POST /generate_stream', 'POST /']));
    const streamed = positive.filter((c) => c.route === 'POST /' && (c.body as { stream?: boolean }).stream === true);
    expect(streamed).toHaveLength(5);
  });

  it('sends one negative per validation rule of the spec that does not depend on the tokenizer', () => {
    const rules = new Set(planCases(base).filter((c) => c.expectation.purpose === 'negative').map((c) => c.expectation.rule));
    // 14 (tokenizer failure), 15, 16 (token counts), 19 (schema to regex) and o (overload) depend
    // on the model or on load: tgc cannot provoke them on any server.
    const wanted = contractRuleIds().filter((id) => !['14', '15', '16', '19', 'o', 'b1'].includes(id));
    for (const id of wanted) expect(rules, `rule ${id}`).toContain(id);
    expect(rules).toContain('pre-handler');
  });

  it('always covers each feature, whatever the seed', () => {
    const labels = planCases(base).filter((c) => c.expectation.label?.startsWith('feature:')).map((c) => c.expectation.label);
    expect(labels).toEqual(expect.arrayContaining(['feature: sampling with a seed beyond 2^53', 'feature: best_of 2', 'feature: a regex grammar', 'feature: a json grammar']));
    const noGrammar = planCases({ ...base, limits: { ...base.limits, grammarSupported: false } });
    expect(noGrammar.some((c) => c.expectation.label === 'feature: a regex grammar')).toBe(false);
  });

  it('never sends best_of rules on a stream, where s1 answers first', () => {
    const cases = planCases(base).filter((c) => ['b2', '1', '10'].includes(c.expectation.rule ?? ''));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c.route).toBe('POST /generate');
  });

  it('turns rejections that hang on an unknown limit into "either" (verdict-policy item 5)', () => {
    const unknown = planCases({ ...base, knownLimits: new Set() });
    const stops = unknown.find((c) => c.expectation.rule === '9');
    expect(stops?.expectation.outcome).toBe('either');
    const topN = planCases(base).find((c) => c.expectation.rule === '11');
    expect(topN?.expectation.outcome).toBe('either'); // max_top_n_tokens is never in /info
    expect(planCases(base).find((c) => c.expectation.rule === '9')?.expectation.outcome).toBe('reject');
  });

  it('on the hf surface sends non-stream and stream cases to the one endpoint, told apart by the body', () => {
    const hf = planCases({ ...base, surface: HF_SURFACE });
    expect(new Set(hf.map((c) => c.route))).toEqual(new Set(['POST /']));
    const rule2 = hf.filter((c) => c.expectation.rule === '2' && c.expectation.label?.startsWith('rule 2: temperature 0'));
    expect(rule2.map((c) => (c.body as { stream?: boolean }).stream).sort()).toEqual([false, true]);
    expect(hf.filter((c) => c.expectation.purpose === 'serverless')).toHaveLength(2);
  });

  it('plans auth cases only with --auth-required', () => {
    expect(planCases(base).some((c) => c.expectation.purpose === 'auth')).toBe(false);
    const auth = planCases({ ...base, authRequired: true }).filter((c) => c.expectation.purpose === 'auth');
    expect(auth.map((c) => c.auth)).toEqual(['missing', 'wrong', 'default']);
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rawLogits } from './logits.js';
import { SplitMix64 } from './prng.js';
import { GREEDY, chooseToken, isSampling, processLogits, topTokenIds } from './sampling.js';
import type { WarpParams } from './sampling.js';
import { encode } from './tokenizer.js';
import { VOCAB_SIZE } from './vocabulary.js';

function distribution(warp: Partial<WarpParams>, text = 'The answer is'): Float64Array {
  const context = encode(text);
  const scores = new Float64Array(VOCAB_SIZE);
  const logprobs = new Float64Array(VOCAB_SIZE);
  rawLogits(context, scores);
  const counts = new Map<number, number>();
  for (const id of context) counts.set(id, (counts.get(id) ?? 0) + 1);
  processLogits(scores, { counts, last: context[context.length - 1] }, { ...GREEDY, ...warp }, null, logprobs);
  return logprobs;
}

const finite = (lp: Float64Array): number[] => Array.from(lp).filter((v) => v > -Infinity);
const total = (lp: Float64Array): number => finite(lp).reduce((s, v) => s + Math.exp(v), 0);

const warpArb = fc.record({
  temperature: fc.float({ min: Math.fround(0.05), max: 5, noNaN: true }),
  topK: fc.integer({ min: 0, max: 1000 }),
  topP: fc.oneof(fc.constant(1), fc.float({ min: Math.fround(0.01), max: Math.fround(0.99), noNaN: true })),
  typicalP: fc.oneof(fc.constant(1), fc.float({ min: Math.fround(0.01), max: Math.fround(0.99), noNaN: true })),
  repetitionPenalty: fc.float({ min: Math.fround(0.1), max: 3, noNaN: true }),
  frequencyPenalty: fc.float({ min: -2, max: 2, noNaN: true }),
  watermark: fc.boolean(),
  doSample: fc.boolean(),
});

describe('processLogits', () => {
  test.prop([warpArb, fc.string({ maxLength: 30 })])('gives a real log-softmax: every logprob <= 0, mass 1', (warp, text) => {
    const lp = distribution(warp, text);
    expect(finite(lp).every((v) => v <= 0)).toBe(true);
    expect(total(lp)).toBeCloseTo(1, 9);
  });

  it('top_k = 1 leaves one token, with logprob 0', () => {
    expect(finite(distribution({ topK: 1 }))).toEqual([0]);
  });

  it('top_k keeps k tokens', () => {
    expect(finite(distribution({ topK: 7 }))).toHaveLength(7);
  });

  it('a lower temperature sharpens the distribution', () => {
    const max = (lp: Float64Array): number => Math.max(...finite(lp));
    expect(max(distribution({ temperature: 0.3 }))).toBeGreaterThan(max(distribution({})));
    expect(max(distribution({ temperature: 3 }))).toBeLessThan(max(distribution({})));
  });

  it('top_p keeps the smallest head with at least that mass', () => {
    const all = distribution({});
    const kept = finite(distribution({ topP: 0.5 })).length;
    const sorted = finite(all).sort((a, b) => b - a).map(Math.exp);
    const mass = (n: number): number => sorted.slice(0, n).reduce((s, v) => s + v, 0);
    expect(kept).toBeLessThan(finite(all).length);
    expect(mass(kept)).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(mass(kept - 1)).toBeLessThan(0.5);
  });

  it('typical_p filters tokens', () => {
    expect(finite(distribution({ typicalP: 0.2 })).length).toBeLessThan(finite(distribution({})).length);
  });

  it('penalties change the distribution', () => {
    const plain = distribution({}, 'the the the');
    expect(distribution({ repetitionPenalty: 2 }, 'the the the')).not.toEqual(plain);
    expect(distribution({ frequencyPenalty: 1 }, 'the the the')).not.toEqual(plain);
    expect(distribution({ watermark: true }, 'the the the')).not.toEqual(plain);
  });
});

describe('sampling decision', () => {
  const cases: [string, { given: Partial<WarpParams>; want: boolean }][] = [
    ['greedy by default', { given: {}, want: false }],
    ['do_sample', { given: { doSample: true }, want: true }],
    ['temperature != 1', { given: { temperature: 0.5 }, want: true }],
    ['top_k', { given: { topK: 5 }, want: true }],
    ['top_p < 1', { given: { topP: 0.9 }, want: true }],
    ['typical_p < 1', { given: { typicalP: 0.9 }, want: true }],
    ['penalties alone do not sample', { given: { repetitionPenalty: 1.5, frequencyPenalty: 1 }, want: false }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(isSampling({ ...GREEDY, ...given })).toBe(want);
  });

  it('greedy takes the argmax; sampling follows the seed', () => {
    const lp = distribution({});
    const argmax = Array.from(lp).indexOf(Math.max(...lp));
    expect(chooseToken(lp, null)).toBe(argmax);
    expect(chooseToken(lp, new SplitMix64(7n))).toBe(chooseToken(lp, new SplitMix64(7n)));
  });
});

describe('topTokenIds', () => {
  it('sorts by logprob, descending', () => {
    const lp = distribution({});
    const ids = topTokenIds(lp, 5);
    expect(ids).toHaveLength(5);
    const values = ids.map((id) => lp[id] as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[0]).toBe(Math.max(...lp));
  });

  it('keeps ties with the n-th and never lists -inf tokens', () => {
    const lp = new Float64Array([-1, -2, -2, -2, -Infinity]);
    expect(topTokenIds(lp, 2)).toEqual([0, 1, 2, 3]);
    expect(topTokenIds(lp, 5)).toEqual([0, 1, 2, 3]);
  });
});

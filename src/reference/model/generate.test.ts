import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { generate, generatedText, generateSteps, prefillTokens } from './generate.js';
import type { GenerationParams } from './generate.js';
import { jsonSchemaGrammar, regexGrammar } from './grammar/index.js';
import { U64_MAX } from './prng.js';
import { GREEDY } from './sampling.js';
import { encode } from './tokenizer.js';

function params(over: Partial<GenerationParams> = {}): GenerationParams {
  return { inputIds: encode('Once upon a time'), maxNewTokens: 20, stop: [], warp: GREEDY, seed: null, topNTokens: 0, grammar: null, ...over };
}

const sampling = { ...GREEDY, doSample: true };
const seedArb = fc.bigInt({ min: 0n, max: U64_MAX });

describe('generate', () => {
  test.prop([seedArb, fc.string({ minLength: 1, maxLength: 20 })], { numRuns: 30 })('the same seed gives the same tokens', (seed, text) => {
    const p = params({ inputIds: encode(text), warp: sampling, seed });
    expect(generate(p)).toEqual(generate(p));
  });

  it('different seeds give different outputs', () => {
    const outputs = new Set([1n, 2n, 3n, 4n].map((seed) => generate(params({ warp: sampling, seed })).generatedText));
    expect(outputs.size).toBeGreaterThan(1);
  });

  it('greedy is deterministic without a seed', () => {
    expect(generate(params())).toEqual(generate(params()));
  });

  it('steps one by one give what a whole generation gives', () => {
    const p = params({ warp: sampling, seed: 99n, topNTokens: 3 });
    const steps = [...generateSteps(p)];
    const whole = generate(p);
    expect(steps.map((s) => s.token)).toEqual(whole.tokens);
    expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.slice(0, -1).every((s) => s.finishReason === null)).toBe(true);
    expect(steps.at(-1)?.finishReason).toBe(whole.finishReason);
  });

  test.prop([seedArb, fc.integer({ min: 1, max: 40 }), fc.array(fc.constantFrom(' the', '.', ',', 'x', ' and'), { maxLength: 2 })], { numRuns: 50 })(
    'keeps TGI invariants N-1..N-5',
    (seed, maxNewTokens, stop) => {
      const g = generate(params({ warp: sampling, seed, maxNewTokens, stop }));
      expect(g.tokens.length).toBeGreaterThanOrEqual(1);
      expect(g.tokens.length).toBeLessThanOrEqual(maxNewTokens);
      if (g.finishReason === 'length') expect(g.tokens.length).toBe(maxNewTokens);
      if (g.finishReason === 'eos_token') expect(g.tokens.at(-1)?.special).toBe(true);
      if (g.finishReason === 'stop_sequence') expect(stop.some((s) => g.generatedText.endsWith(s))).toBe(true);
      expect(g.generatedText).toBe(generatedText(g.tokens));
      expect(g.tokens.every((t) => t.logprob !== null && t.logprob <= 0)).toBe(true);
    },
  );

  it('finishes with eos_token sometimes and with length when cut (length is checked first)', () => {
    const reasons = new Set(Array.from({ length: 40 }, (_, k) => generate(params({ inputIds: encode(`prompt ${k}`), maxNewTokens: 60 })).finishReason));
    expect(reasons).toContain('eos_token');
    expect(reasons).toContain('length');
  });

  it('stops on a stop sequence and keeps it at the end', () => {
    const g = generate(params({ stop: ['.'], maxNewTokens: 200 }));
    expect(g.finishReason).toBe('stop_sequence');
    expect(g.generatedText.endsWith('.')).toBe(true);
  });

  it('lists top tokens per position, sorted', () => {
    const g = generate(params({ topNTokens: 3 }));
    expect(g.topTokens).toHaveLength(g.tokens.length);
    for (const list of g.topTokens ?? []) {
      const values = list.map((t) => t.logprob ?? -Infinity);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(list.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('top_k = 1 gives logprob 0 on every token', () => {
    const g = generate(params({ warp: { ...GREEDY, topK: 1 }, seed: 1n }));
    expect(g.tokens.every((t) => t.logprob === 0)).toBe(true);
  });
});

describe('grammar', () => {
  it('produces a string the regex matches, then the end-of-sequence token', () => {
    const g = generate(params({ grammar: regexGrammar('[A-Z][a-z]{2,5} (cat|dog)s? \\d{3}-😀é'), maxNewTokens: 60 }));
    expect(g.generatedText).toMatch(/^[A-Z][a-z]{2,5} (cat|dog)s? \d{3}-😀é$/u);
    expect(g.finishReason).toBe('eos_token');
  });

  it('is cut by length like any generation', () => {
    const g = generate(params({ grammar: regexGrammar('a{30}'), maxNewTokens: 5 }));
    expect(g.finishReason).toBe('length');
    expect('a'.repeat(30).startsWith(g.generatedText)).toBe(true);
  });

  it('produces a JSON instance of the schema', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['name', 'age'] };
    const g = generate(params({ grammar: jsonSchemaGrammar(schema), maxNewTokens: 200, warp: sampling, seed: 3n }));
    const value = JSON.parse(g.generatedText) as { name: unknown; age: number };
    expect(typeof value.name).toBe('string');
    expect(value.age).toBeGreaterThanOrEqual(0);
    expect(value.age).toBeLessThanOrEqual(9);
  });
});

describe('prefillTokens', () => {
  it('has one entry per input token, the first logprob null, the others <= 0', () => {
    const ids = encode('Pour déguster un ortolan 😀');
    const prefill = prefillTokens(ids);
    expect(prefill.map((p) => p.id)).toEqual(ids);
    expect(prefill[0]?.logprob).toBeNull();
    expect(prefill.slice(1).every((p) => p.logprob !== null && p.logprob <= 0)).toBe(true);
  });
});

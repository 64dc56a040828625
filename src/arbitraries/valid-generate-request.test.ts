import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../core/api.js';
import { parseJson, stringifyJson } from '../core/json.js';
import { F32_PARAMETERS, RUST_TYPES, tgiRejections, type TgiSetup } from './__fixtures__/tgi-rules.js';
import { specParameters } from './_internals/spec-reader.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js';
import { validGenerateRequest, type ValidGenerateRequestConstraints } from './valid-generate-request.js';

const SEED = 20_260_108;
const RUNS = 1000;

function setupOf(c: ValidGenerateRequestConstraints): TgiSetup {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...c.limits };
  return { route: c.route ?? '/', ...limits };
}

// Arrange: one row per kind of server and route.
const CONFIGS: [string, ValidGenerateRequestConstraints][] = [
  ['POST / (defaults)', {}],
  ['POST / with stream', { route: '/', stream: true }],
  ['POST /generate', { route: '/generate' }],
  ['POST /generate_stream', { route: '/generate_stream' }],
  [
    'a locked-down server (max_best_of 1, no stops, no top-n, no grammar)',
    { limits: { maxBestOf: 1, maxStopSequences: 0, maxTopNTokens: 0, grammarSupported: false } },
  ],
  [
    'a generous server with a tight token budget',
    {
      route: '/generate',
      limits: { maxBestOf: 4, maxStopSequences: 8, maxTopNTokens: 10, maxInputTokens: 20, maxTotalTokens: 30 },
      maxNewTokens: 64,
    },
  ],
  ['bounded generation with a LoRA adapter', { route: '/generate', boundedGeneration: true, adapterIds: ['my-lora'] }],
  ['best_of required, seed allowed', { parameters: ['best_of', 'seed', 'do_sample'], requiredParameters: ['best_of'] }],
  ['best_of and seed both required', { limits: { maxBestOf: 3 }, parameters: ['best_of', 'seed'], requiredParameters: ['best_of', 'seed'] }],
];

const F32_MIN_NORMAL = 2 ** -126;

function f32Problems(req: GenerateRequest): string[] {
  const p: Record<string, unknown> = { ...req.parameters };
  const out: string[] = [];
  for (const name of F32_PARAMETERS) {
    const v = p[name];
    if (typeof v !== 'number') continue;
    if (Math.fround(v) > 0 && Math.fround(v) < F32_MIN_NORMAL) out.push(`${name} ${v} is subnormal as f32`);
  }
  return out;
}

function nullProblems(req: GenerateRequest): string[] {
  const p: Record<string, unknown> = { ...req.parameters };
  return Object.entries(p)
    .filter(([k, v]) => v === null && !(RUST_TYPES as Record<string, string>)[k]?.startsWith('Option<'))
    .map(([k]) => `${k} is null but not an Option`);
}

describe('validGenerateRequest', () => {
  it.each(CONFIGS)('satisfies every §2c rule, as f32 and as f64: %s', (_name, constraints) => {
    const setup = setupOf(constraints);
    fc.assert(
      fc.property(validGenerateRequest(constraints), (req) => {
        expect(tgiRejections(req, setup, true)).toEqual([]);
        // A JSON Schema validator reads doubles: the value must be valid before rounding too.
        expect(tgiRejections(req, setup, false)).toEqual([]);
        expect(f32Problems(req)).toEqual([]);
        expect(nullProblems(req)).toEqual([]);
        if (constraints.route === '/generate' || constraints.route === '/generate_stream') {
          expect(req).not.toHaveProperty('stream');
        }
        if (constraints.route === '/' && constraints.stream === true) expect(req.stream).toBe(true);
        for (const r of constraints.requiredParameters ?? []) {
          expect(req.parameters?.[r]).not.toBeNull();
          expect(req.parameters?.[r]).toBeDefined();
        }
        if (constraints.boundedGeneration === true) expect(req.parameters?.max_new_tokens).toBeTypeOf('number');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('round-trips through stringifyJson and parseJson exactly, bigint seeds included', () => {
    fc.assert(
      fc.property(validGenerateRequest({}), (req) => {
        const parsed = parseJson(stringifyJson(req));
        expect(parsed.ok && parsed.value).toEqual(req);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  describe('coverage over 1000 samples of POST /', () => {
    const samples = fc.sample(validGenerateRequest({ adapterIds: ['my-lora'] }), { numRuns: 1000, seed: SEED });
    const params = samples.map((r) => r.parameters);

    it('has requests without `parameters`, with `parameters: {}`, with and without `stream: false`', () => {
      expect(params.some((p) => p === undefined)).toBe(true);
      expect(params.some((p) => p !== undefined && Object.keys(p).length === 0)).toBe(true);
      expect(samples.some((r) => r.stream === false)).toBe(true);
      expect(samples.some((r) => !('stream' in r))).toBe(true);
    });

    it.each([...specParameters.keys()])('%s appears set, unset, and null when it is an Option', (name) => {
      const values = params.map((p) => (p === undefined ? undefined : (p as Record<string, unknown>)[name]));
      expect(values.filter((v) => v !== undefined && v !== null).length).toBeGreaterThan(0);
      expect(values.filter((v) => v === undefined).length).toBeGreaterThan(0);
      const option = (RUST_TYPES as Record<string, string>)[name]?.startsWith('Option<') ?? false;
      if (option) expect(values.filter((v) => v === null).length).toBeGreaterThan(0);
      else expect(values.filter((v) => v === null).length).toBe(0);
    });
  });

  describe('boundary values occur', () => {
    const samples = fc.sample(validGenerateRequest({}), { numRuns: 3000, seed: SEED });
    const seen = (name: string, value: unknown): boolean =>
      samples.some((r) => r.parameters !== undefined && Object.is((r.parameters as Record<string, unknown>)[name], value));
    // Arrange: [parameter, value] at a bound or next to it, after f32 rounding.
    const cases: [string, unknown][] = [
      ['frequency_penalty', -2],
      ['frequency_penalty', 2],
      ['seed', 0],
      ['seed', 2n ** 64n - 1n],
      ['seed', 2n ** 53n],
      ['top_k', 1],
      ['top_k', 2 ** 31 - 1],
      ['max_new_tokens', 1],
      ['max_new_tokens', 16],
      ['top_p', 1 - 2 ** -24],
      ['typical_p', 1 - 2 ** -24],
      ['temperature', F32_MIN_NORMAL],
      ['repetition_penalty', F32_MIN_NORMAL],
      ['best_of', 0],
      ['best_of', 2],
      ['top_n_tokens', 0],
      ['top_n_tokens', DEFAULT_SERVER_LIMITS.maxTopNTokens],
      ['truncate', 1],
      ['truncate', DEFAULT_SERVER_LIMITS.maxInputTokens],
    ];
    it.each(cases)('%s = %s', (name, value) => {
      expect(seen(name, value)).toBe(true);
    });

    it('the shortest spellings of the f32 bounds (0.99999994) and the full stop list', () => {
      expect(seen('top_p', 0.99999994)).toBe(true);
      expect(samples.some((r) => r.parameters?.stop?.length === DEFAULT_SERVER_LIMITS.maxStopSequences)).toBe(true);
    });

    it.each(['json', 'json_object', 'regex', 'json_schema'])('grammar type %s, and json values as strings', (type) => {
      expect(samples.some((r) => r.parameters?.grammar?.type === type)).toBe(true);
      expect(samples.some((r) => r.parameters?.grammar?.type === 'json' && typeof r.parameters.grammar.value === 'string')).toBe(true);
    });
  });

  it.each<[string, ValidGenerateRequestConstraints]>([
    ['stream on /generate', { route: '/generate', stream: true }],
    ['no stream on /generate_stream', { route: '/generate_stream', stream: false }],
    ['an unknown parameter', { parameters: ['nope' as never] }],
    ['a required parameter not included', { parameters: ['seed'], requiredParameters: ['top_k'] }],
    ['no room for an input', { limits: { maxInputTokens: 4, maxTotalTokens: 8 } }],
    ['a grammar required without grammar support', { limits: { grammarSupported: false }, requiredParameters: ['grammar'] }],
    ['maxBestOf 0', { limits: { maxBestOf: 0 } }],
  ])('rejects impossible constraints: %s', (_name, constraints) => {
    expect(() => validGenerateRequest(constraints)).toThrow(/^\[tgc\]/);
  });
});

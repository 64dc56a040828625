import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExactJson } from '../core/json.js';
import { tgiRejections, type TgiSetup } from './__fixtures__/tgi-rules.js';
import { PARAMETER_NAMES, type ParameterName } from './_internals/parameter-domains.js';
import { parameterBoundaries } from './parameter-boundaries.js';
import { parameterValue } from './parameter-value.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js';

const SEED = 4242;
const F32_MIN_NORMAL = 2 ** -126;

interface Row {
  limits: Partial<ServerLimits>;
  stream: boolean;
  adapterIds: string[];
}

const ROWS: [string, Row][] = [
  ['POST /generate, default limits', { limits: {}, stream: false, adapterIds: ['my-lora'] }],
  ['POST /generate_stream', { limits: {}, stream: true, adapterIds: [] }],
  [
    'a locked-down server',
    { limits: { maxBestOf: 1, maxStopSequences: 1, maxTopNTokens: 0, grammarSupported: false }, stream: false, adapterIds: [] },
  ],
];

const CASES = ROWS.flatMap(([label, row]) => PARAMETER_NAMES.map((name) => [`${name} on ${label}`, name, row] as const));

/** The body that tests one value alone: best_of > 1 needs sampling (rule 1), which is another parameter's business. */
function bodyWith(name: ParameterName, value: unknown): Record<string, unknown> {
  const parameters: Record<string, unknown> = { [name]: value };
  if (name === 'best_of') parameters['do_sample'] = true;
  return { inputs: 'a', parameters };
}

function setupOf(row: Row): TgiSetup {
  return { route: row.stream ? '/generate_stream' : '/generate', ...DEFAULT_SERVER_LIMITS, ...row.limits };
}

function isSubnormalF32(v: ExactJson): boolean {
  return typeof v === 'number' && v !== 0 && Math.abs(Math.fround(v)) < F32_MIN_NORMAL;
}

describe('parameterValue', () => {
  it.each(CASES)('valid values of %s are accepted, as f32 and as f64', (_label, name, row) => {
    const setup = setupOf(row);
    fc.assert(
      fc.property(parameterValue({ name, ...row }), (v) => {
        expect(tgiRejections(bodyWith(name, v), setup, true)).toEqual([]);
        expect(tgiRejections(bodyWith(name, v), setup, false)).toEqual([]);
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it.each(CASES)('invalid values of %s are rejected', (_label, name, row) => {
    const setup = setupOf(row);
    fc.assert(
      fc.property(parameterValue({ name, ...row, valid: false }), (v) => {
        expect(tgiRejections(bodyWith(name, v), setup, true)).not.toEqual([]);
      }),
      { numRuns: 120, seed: SEED },
    );
  });

  it('never gives null for a non-Option field, nor when nullable is false', () => {
    for (const name of ['details', 'do_sample', 'watermark', 'decoder_input_details', 'stop'] as const) {
      expect(fc.sample(parameterValue({ name }), { numRuns: 300, seed: SEED })).not.toContain(null);
    }
    expect(fc.sample(parameterValue({ name: 'top_p', nullable: false }), { numRuns: 300, seed: SEED })).not.toContain(null);
    expect(fc.sample(parameterValue({ name: 'top_p' }), { numRuns: 300, seed: SEED })).toContain(null);
  });

  it('gives u64 seeds as numbers while safe and as bigints beyond', () => {
    const seeds = fc.sample(parameterValue({ name: 'seed', nullable: false }), { numRuns: 2000, seed: SEED });
    for (const s of seeds) {
      if (typeof s === 'number') expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
      else expect(typeof s === 'bigint' && s > BigInt(Number.MAX_SAFE_INTEGER) && s < 2n ** 64n).toBe(true);
    }
    expect(seeds.some((s) => typeof s === 'bigint')).toBe(true);
    expect(seeds).toContain(0);
    expect(seeds).toContain(2n ** 64n - 1n);
  });
});

describe('parameterBoundaries', () => {
  it.each(CASES)('%s: each boundary value gets the verdict TGI gives it', (_label, name, row) => {
    const setup = setupOf(row);
    const boundaries = parameterBoundaries({ name, ...row });
    expect(boundaries.some((b) => b.expect === 'reject')).toBe(true);
    for (const b of boundaries) {
      const asF32 = tgiRejections(bodyWith(name, b.value), setup, true);
      const asF64 = tgiRejections(bodyWith(name, b.value), setup, false);
      const where = `${name} = ${String(b.value)} (${b.note})`;
      if (b.expect === 'accept') expect([asF32, asF64], where).toEqual([[], []]);
      else if (b.expect === 'reject') expect(asF32.length, where).toBeGreaterThan(0);
      else if (name === 'max_new_tokens') expect(b.note, where).toMatch(/v3\.1\.1/);
      else expect(asF32.length !== asF64.length || isSubnormalF32(b.value), where).toBe(true);
    }
  });

  // Arrange: the bounds named in verdict-policy item 1 and tgi-behavior.md §2c.
  it.each<[ParameterName, ExactJson, 'accept' | 'reject' | 'either']>([
    ['top_p', 0.99999994, 'accept'],
    ['top_p', 1 - 2 ** -24, 'accept'],
    ['top_p', 0.99999999, 'either'],
    ['top_p', 1, 'reject'],
    ['typical_p', 1, 'reject'],
    ['temperature', F32_MIN_NORMAL, 'accept'],
    ['temperature', 0, 'reject'],
    ['frequency_penalty', -2, 'accept'],
    ['frequency_penalty', 2, 'accept'],
    ['frequency_penalty', Math.fround(2) + 2 ** -22, 'reject'],
    ['seed', 0, 'accept'],
    ['seed', 2n ** 64n - 1n, 'accept'],
    ['seed', 2n ** 64n, 'reject'],
    ['seed', -1, 'reject'],
    ['top_k', 1, 'accept'],
    ['top_k', 0, 'reject'],
    ['max_new_tokens', 1, 'accept'],
    ['max_new_tokens', 0, 'reject'],
    ['best_of', 0, 'accept'],
    ['best_of', 3, 'reject'],
    ['top_n_tokens', 0, 'accept'],
    ['top_n_tokens', 6, 'reject'],
    ['truncate', 0, 'reject'],
    ['truncate', DEFAULT_SERVER_LIMITS.maxInputTokens, 'accept'],
    ['truncate', DEFAULT_SERVER_LIMITS.maxInputTokens + 1, 'reject'],
    ['stop', null, 'reject'],
    ['details', null, 'reject'],
  ])('%s = %s is listed as %s', (name, value, expectation) => {
    const found = parameterBoundaries({ name }).filter((b) => Object.is(b.value, value) || (typeof value === 'bigint' && b.value === value) || (value === null && b.value === null));
    expect(found.map((b) => b.expect)).toContain(expectation);
  });

  it('on a stream, best_of is 1 only and decoder_input_details false only', () => {
    const bestOf = parameterBoundaries({ name: 'best_of', stream: true });
    expect(bestOf.filter((b) => b.expect === 'accept').map((b) => b.value)).toEqual([null, 1]);
    expect(bestOf.filter((b) => b.expect === 'reject').map((b) => b.value)).toEqual(expect.arrayContaining([0, 2]));
    const dids = parameterBoundaries({ name: 'decoder_input_details', stream: true });
    expect(dids.find((b) => b.value === true)?.expect).toBe('reject');
  });
});

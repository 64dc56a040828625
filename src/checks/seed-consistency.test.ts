import { describe, expect, it } from 'vitest';
import type { ExactInteger, GenerateParameters } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import { details, nonStream, outcome, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { seedConsistency } from './seed-consistency.js';

const U64_MAX = 18446744073709551615n;
const out = [tok(' a'), tok(' b')];
const seeded = (parameters: GenerateParameters | null, seed: ExactInteger | null | undefined): ExchangeView =>
  nonStream({ parameters, details: seed === undefined ? details(out) : details(out, { seed }) });
const sample = (seed?: ExactInteger): GenerateParameters => ({ details: true, do_sample: true, ...(seed === undefined ? {} : { seed }) });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on a greedy request (parameters {}) with seed null', { given: seeded({ details: true }, null), want: [] }],
  ['silent on seed 0 echoed', { given: seeded(sample(0), 0), want: [] }],
  ['silent on the largest u64 seed echoed as a bigint', { given: seeded(sample(U64_MAX), U64_MAX), want: [] }],
  ['silent on a random seed when sampling without one', { given: seeded(sample(), 9007199254740993n), want: [] }],
  ['silent on top_p 0.9 with do_sample false: a warper samples (bloom fixture)', { given: seeded({ details: true, top_p: 0.9, seed: 0 }, 0), want: [] }],
  ['silent on temperature 1.0 alone: greedy, seed null', { given: seeded({ details: true, temperature: 1.0, seed: 4 }, null), want: [] }],
  ['silent on a temperature that rounds to 1 in f32: greedy', { given: seeded({ details: true, temperature: 1.00000001 }, null), want: [] }],
  ['silent on a details key without seed on a greedy request', { given: seeded({ details: true }, undefined), want: [] }],
  [
    'silent when the request seed was already rounded beyond 2^53 (not comparable)',
    { given: seeded(sample(18446744073709551615), U64_MAX - 1n), want: [] },
  ],
  ['fires when the seed is not echoed', { given: seeded(sample(1), 2), want: ['violation:seed-not-echoed'] }],
  [
    'fires on a u64 seed that differs beyond float precision',
    { given: seeded(sample(U64_MAX), U64_MAX - 1n), want: ['violation:seed-not-echoed'] },
  ],
  ['warns on seed null while sampling', { given: seeded(sample(5), null), want: ['warning:seed-null-when-sampling'] }],
  [
    'warns on seed null when parameters are absent (do_sample defaults to true)',
    { given: seeded(null, null), want: ['warning:seed-null-when-sampling'] },
  ],
  ['warns on a seed on a greedy request', { given: seeded({ details: true, seed: 3 }, 3), want: ['warning:seed-on-greedy'] }],
  ['skips without details', { given: nonStream({ parameters: sample(1) }), want: 'skip' }],
  ['skips an unknown request', { given: nonStream({ known: false, details: details(out, { seed: 1 }) }), want: 'skip' }],
  ['silent on a stream that echoes the seed', { given: stream({ parameters: sample(42), tokens: out, details: streamDetails(2, { seed: 42 }) }), want: [] }],
  [
    'fires on a stream that does not echo the seed',
    { given: stream({ parameters: sample(42), tokens: out, details: streamDetails(2, { seed: 41 }) }), want: ['violation:seed-not-echoed'] },
  ],
  ['skips a stream without final details', { given: stream({ parameters: sample(42), tokens: out }), want: 'skip' }],
];

describe('seed-consistency', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(seedConsistency, given)).toEqual(want);
  });

  it('writes u64 seeds exactly in its message', () => {
    const result = seedConsistency.run(seeded(sample(U64_MAX), U64_MAX - 1n));
    expect(result).toMatchObject([{ pointer: '/details/seed', message: expect.stringContaining('18446744073709551615') }]);
  });
});

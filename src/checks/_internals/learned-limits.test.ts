import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spec } from '../../generated/spec.js';
import { learnLimit, type LearnedLimit } from './learned-limits.js';

const cases: [string, { given: string; want: LearnedLimit | undefined }][] = [
  ['rule 9: stop', { given: 'Input validation error: `stop` supports up to 2 stop sequences. Given: 3', want: { name: 'maxStopSequences', value: 2 } }],
  ['rule 11: top_n_tokens', { given: 'Input validation error: `top_n_tokens` must be >= 0 and <= 3. Given: 5', want: { name: 'maxTopNTokens', value: 3 } }],
  ['rule b2: best_of', { given: 'Input validation error: `best_of` must be > 0 and <= 1. Given: 2', want: { name: 'maxBestOf', value: 1 } }],
  ['rule b1: best_of off', { given: 'Input validation error: `best_of` != 1 is not allowed for this endpoint', want: { name: 'maxBestOf', value: 1 } }],
  [
    'rule 15: total tokens',
    {
      given: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4090 `inputs` tokens and 16 `max_new_tokens`',
      want: { name: 'maxTotalTokens', value: 4096 },
    },
  ],
  ['rule 13: truncate', { given: 'Input validation error: `truncate` must be strictly positive and less than 1000. Given: 1024', want: { name: 'maxInputTokens', value: 1000 } }],
  ['rule 16: inputs', { given: 'Input validation error: `inputs` must have less than 1024 tokens. Given: 2000', want: { name: 'maxInputTokens', value: 1024 } }],
  ['rule 17: grammar', { given: 'Input validation error: grammar is not supported', want: { name: 'grammarSupported', value: false } }],
  ['without the validation prefix (stream event or a gateway)', { given: '`stop` supports up to 8 stop sequences. Given: 9', want: { name: 'maxStopSequences', value: 8 } }],
  ['without backticks (a look-alike)', { given: 'stop supports up to 1 stop sequences. Given: 2', want: { name: 'maxStopSequences', value: 1 } }],
  ['nothing from a bound that is no setting', { given: 'Input validation error: `top_p` must be > 0.0 and < 1.0', want: undefined }],
  ['nothing from an invalid grammar', { given: 'Input validation error: grammar is not valid: EOF while parsing', want: undefined }],
  ['nothing from s1 (streams never take best_of)', { given: 'Input validation error: `best_of` != 1 is not supported when streaming tokens', want: undefined }],
  ['nothing from another wording', { given: 'too many stop words', want: undefined }],
  ['nothing from an absurd number', { given: '`stop` supports up to 99999999999999999999 stop sequences', want: undefined }],
];

describe('learnLimit', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(learnLimit(given)).toEqual(want);
  });

  // The spec's templates are the source of the messages: every limit they state is learned back.
  const templates: [string, string, LearnedLimit['name']][] = [
    ['b2', '{max}', 'maxBestOf'],
    ['9', '{max}', 'maxStopSequences'],
    ['11', '{max}', 'maxTopNTokens'],
    ['13', '{max}', 'maxInputTokens'],
    ['15', '{max_total}', 'maxTotalTokens'],
    ['16', '{max}', 'maxInputTokens'],
  ];
  it.each(templates)('learns the limit of the spec\'s rule %s for any value', (id, placeholder, name) => {
    const template = spec['x-tgc-validation-rules'].find((r) => r.id === id)?.message;
    expect(template).toBeDefined();
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), (limit, given) => {
        const text = `Input validation error: ${(template ?? '').replace(placeholder, String(limit)).replace(/\{[a-z_]+\}/g, String(given))}`;
        expect(learnLimit(text)).toEqual({ name, value: limit });
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});

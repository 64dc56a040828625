import { test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerateParameters, GrammarType } from '../core/api.js';
import type { ExchangeView, RouteName } from '../core/exchange.js';
import { details, eos, nonStream, outcome, PROMPT, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { grammarAdherence } from './grammar-adherence.js';
import { instance, simpleSchema } from './__fixtures__/simple-schemas.js';

const regex = (value: string): GrammarType => ({ type: 'regex', value });
const SCHEMA = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] };

function answer(
  grammar: GrammarType | null,
  texts: string[],
  o: { finish?: 'length' | 'eos_token' | 'stop_sequence'; parameters?: GenerateParameters; route?: RouteName; generatedText?: string } = {},
): ExchangeView {
  const finish = o.finish ?? 'eos_token';
  const tokens = texts.map((t) => tok(t));
  if (finish === 'eos_token') tokens.push(eos());
  const route = o.route ?? 'POST /generate';
  return nonStream({
    route,
    parameters: { details: true, max_new_tokens: 20, grammar, ...o.parameters },
    details: details(tokens, { finish_reason: finish }),
    ...(o.generatedText !== undefined ? { generatedText: o.generatedText } : {}),
  });
}

function streamed(grammar: GrammarType, texts: string[], finish: 'length' | 'eos_token' = 'eos_token', withDetails = true): ExchangeView {
  const tokens = texts.map((t) => tok(t));
  if (finish === 'eos_token') tokens.push(eos());
  return stream({
    parameters: { details: withDetails, max_new_tokens: 20, grammar },
    tokens,
    details: withDetails ? streamDetails(tokens.length, { finish_reason: finish }) : null,
  });
}

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on a full regex match', { given: answer(regex('[a-z]+'), ['hel', 'lo']), want: [] }],
  ['fires on a partial regex match', { given: answer(regex('[a-z]+'), ['hel', 'lo', '!']), want: ['violation:regex-not-matched'] }],
  ['matches the whole text, not a substring', { given: answer(regex('(yes|no)'), ['yes', 'no']), want: ['violation:regex-not-matched'] }],
  ['translates Python named groups', { given: answer(regex('(?P<word>[a-z]+)-\\d{2}'), ['ab', '-', '12']), want: [] }],
  ['takes . as one code point', { given: answer(regex('a.b'), ['a', '🤗', 'b']), want: [] }],
  ['reads escapes the u flag refuses', { given: answer(regex('\\d+\\-\\d+'), ['1', '-', '2']), want: [] }],
  ['skips a regex JavaScript cannot compile', { given: answer(regex('(?P=word)x'), ['x']), want: 'skip' }],
  ['skips a generation cut by length', { given: answer(regex('[a-z]+'), ['ab', '!'], { finish: 'length' }), want: 'skip' }],
  // A stop string ends the generation at a token end, mid-grammar: an unfinished match.
  ['skips a generation cut by a stop string', { given: answer(regex('[0-9]+(\\.[0-9]+)?'), ['12', '.'], { finish: 'stop_sequence', parameters: { stop: ['.'] } }), want: 'skip' }],
  ['silent on JSON that satisfies the schema', { given: answer({ type: 'json', value: SCHEMA }, ['{"name":', '"Ann",', '"age":3}']), want: [] }],
  ['fires on JSON that does not satisfy the schema', { given: answer({ type: 'json', value: SCHEMA }, ['{"age":', '3}']), want: ['violation:json-schema-not-satisfied'] }],
  ['fires on output that is not JSON', { given: answer({ type: 'json_object', value: SCHEMA }, ['{"name":', '"Ann"}', '!']), want: ['violation:json-not-parsed'] }],
  ['reads a schema given as a JSON string', { given: answer({ type: 'json', value: JSON.stringify(SCHEMA) }, ['{"age":', '3}']), want: ['violation:json-schema-not-satisfied'] }],
  ['reads json_schema {name, schema}', { given: answer({ type: 'json_schema', value: { name: 'p', schema: SCHEMA } }, ['{"name":"B"}']), want: [] }],
  ['ignores a $schema naming another draft', { given: answer({ type: 'json', value: { $schema: 'http://json-schema.org/draft-07/schema#', ...SCHEMA } }, ['{"name":"B"}']), want: [] }],
  ['skips a schema that does not compile', { given: answer({ type: 'json', value: { type: 'object', properties: { a: { type: 'nope' } } } }, ['{}']), want: 'skip' }],
  [
    'strips the prompt when return_full_text is true',
    { given: answer(regex('[a-z]+'), ['abc'], { parameters: { return_full_text: true }, generatedText: `${PROMPT}abc` }), want: [] },
  ],
  [
    'fires when the generated part after the prompt does not match',
    { given: answer(regex('[a-z]+'), ['abc', '!'], { parameters: { return_full_text: true }, generatedText: `${PROMPT}abc!` }), want: ['violation:regex-not-matched'] },
  ],
  ['accepts either form on POST / without return_full_text', { given: answer(regex('[a-z]+'), ['abc'], { route: 'POST /', generatedText: `${PROMPT}abc` }), want: [] }],
  ['skips a request without a grammar', { given: answer(null, ['abc']), want: 'skip' }],
  ['skips without details (finish_reason unknown)', { given: nonStream({ parameters: { grammar: regex('[a-z]+') }, generatedText: '!!' }), want: 'skip' }],
  ['judges a stream\'s final generated_text', { given: streamed(regex('[a-z]+'), ['ab', '!']), want: ['violation:regex-not-matched'] }],
  ['silent on a stream that matches', { given: streamed(regex('[a-z]+'), ['ab', 'c']), want: [] }],
  ['skips a stream without details', { given: streamed(regex('[a-z]+'), ['ab', '!'], 'eos_token', false), want: 'skip' }],
  ['skips a stream cut by length', { given: streamed(regex('[a-z]+'), ['ab', '!'], 'length'), want: 'skip' }],
];

describe('grammar-adherence', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(grammarAdherence, given)).toEqual(want);
  });

  it('judges each best_of sequence', () => {
    const view = answer(regex('[a-z]+'), ['ab']);
    const d = view.response?.details;
    if (d) d.best_of_sequences = [{ generated_text: 'a1', finish_reason: 'eos_token', generated_tokens: 3, seed: 1, prefill: [], tokens: [tok('a'), tok('1'), eos()] }];
    expect(grammarAdherence.run(view)).toMatchObject([{ kind: 'regex-not-matched', pointer: '/details/best_of_sequences/0/generated_text' }]);
  });

  // Small schemas are judged by an interpreter, compiled with ajv only when an output fails them:
  // the verdict and the message must be ajv's, whatever the schema and the output.
  const reference = new Ajv2020({ strict: false, validateFormats: false, allErrors: false, logger: false });

  test.prop([simpleSchema, instance], { numRuns: 400 })('judges as ajv does', (schema, value) => {
    const text = JSON.stringify(value);
    fc.pre(typeof schema === 'object' && schema !== null && text !== undefined);
    // A fresh copy each time: toApproximate and ajv both see plain JSON.
    const parsedSchema = JSON.parse(JSON.stringify(schema)) as object;
    let expected: 'skip' | string[];
    try {
      const validate = reference.compile(JSON.parse(JSON.stringify(schema)) as object);
      if (validate(JSON.parse(text))) expected = [];
      else {
        const first = validate.errors?.[0];
        expected = [` (${first?.instancePath || '/'} ${first?.message ?? 'is not valid'})`];
      }
    } catch {
      expected = 'skip';
    }
    const result = grammarAdherence.run(answer({ type: 'json', value: parsedSchema }, [text]));
    if ('skip' in result) expect(expected).toBe('skip');
    else {
      expect(result.map((f) => f.message.slice(f.message.lastIndexOf(' ('))), JSON.stringify({ schema, value })).toEqual(expected);
    }
  });
});

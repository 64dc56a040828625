import { describe, expect, it } from 'vitest';
import { reference } from './__fixtures__/client.js';
import { VALIDATION_RULES } from './validation.js';

const v = (text: string): string => `Input validation error: ${text}`;
/** `n` words: n tokens, plus `<s>`. */
const words = (n: number): string => 'word '.repeat(n).trimEnd();

/** [rule, route, body, exact error]: every rule of tgi-behavior §2c, in TGI's order. */
const cases: [string, string, object, string][] = [
  ['s1', '/generate_stream', { inputs: 'a', parameters: { best_of: 2 } }, v('`best_of` != 1 is not supported when streaming tokens')],
  ['s1 (best_of 0)', '/generate_stream', { inputs: 'a', parameters: { best_of: 0 } }, v('`best_of` != 1 is not supported when streaming tokens')],
  ['s2', '/generate_stream', { inputs: 'a', parameters: { decoder_input_details: true } }, v('`decoder_input_details` == true is not supported when streaming tokens')],
  ['b2', '/generate', { inputs: 'a', parameters: { best_of: 3, do_sample: true } }, v('`best_of` must be > 0 and <= 2. Given: 3')],
  ['1', '/generate', { inputs: 'a', parameters: { best_of: 2 } }, v('you must use sampling when `best_of` is > 1')],
  ['2', '/generate', { inputs: 'a', parameters: { temperature: 0 } }, v('`temperature` must be strictly positive')],
  ['2 (f32 underflow)', '/generate', { inputs: 'a', parameters: { temperature: 1e-46 } }, v('`temperature` must be strictly positive')],
  ['3', '/generate', { inputs: 'a', parameters: { repetition_penalty: -1 } }, v('`repetition_penalty` must be strictly positive')],
  ['4', '/generate', { inputs: 'a', parameters: { frequency_penalty: 2.5 } }, v('`frequency_penalty` must be >= -2.0 and <= 2.0')],
  ['5', '/generate', { inputs: 'a', parameters: { top_p: 1.0 } }, v('`top_p` must be > 0.0 and < 1.0')],
  ['5 (f32 rounds to 1)', '/generate', { inputs: 'a', parameters: { top_p: 0.99999999 } }, v('`top_p` must be > 0.0 and < 1.0')],
  ['6', '/generate', { inputs: 'a', parameters: { typical_p: 0 } }, v('`typical_p` must be > 0.0 and < 1.0')],
  ['7', '/generate', { inputs: 'a', parameters: { top_k: 0 } }, v('`top_k` must be strictly positive')],
  ['8', '/generate', { inputs: 'a', parameters: { max_new_tokens: 0 } }, v('`max_new_tokens` must be strictly positive')],
  ['9', '/generate', { inputs: 'a', parameters: { stop: ['a', 'b', 'c', 'd', 'e'] } }, v('`stop` supports up to 4 stop sequences. Given: 5')],
  ['10', '/generate', { inputs: 'a', parameters: { best_of: 2, do_sample: true, seed: 1 } }, v('`seed` must not be set when `best_of` > 1')],
  ['11', '/generate', { inputs: 'a', parameters: { top_n_tokens: 6 } }, v('`top_n_tokens` must be >= 0 and <= 5. Given: 6')],
  ['12', '/generate', { inputs: '' }, v('`inputs` cannot be empty')],
  ['13', '/generate', { inputs: 'a', parameters: { truncate: 0 } }, v('`truncate` must be strictly positive and less than 1024. Given: 0')],
  ['13 (above max)', '/generate', { inputs: 'a', parameters: { truncate: 1025 } }, v('`truncate` must be strictly positive and less than 1024. Given: 1025')],
  ['15', '/generate', { inputs: words(1024), parameters: { max_new_tokens: 1024 } }, v('`inputs` tokens + `max_new_tokens` must be <= 2048. Given: 1025 `inputs` tokens and 1024 `max_new_tokens`')],
  ['16', '/generate', { inputs: words(1100), parameters: { max_new_tokens: 10 } }, v('`inputs` must have less than 1024 tokens. Given: 1101')],
  ['18 (unparsable string)', '/generate', { inputs: 'a', parameters: { grammar: { type: 'json', value: '{"a"' } } }, v('grammar is not valid: EOF while parsing an object at line 1 column 4')],
  ['17 (json value not object or string)', '/generate', { inputs: 'a', parameters: { grammar: { type: 'json', value: 5 } } }, v('grammar is not supported')],
  ['18 (not a schema)', '/generate', { inputs: 'a', parameters: { grammar: { type: 'json', value: { type: 'foo', properties: {} } } } }, v('grammar is not valid: /type must be equal to one of the allowed values')],
  ['18 (no properties)', '/generate', { inputs: 'a', parameters: { grammar: { type: 'json', value: { type: 'object' } } } }, v("grammar is not valid: Grammar must have a 'properties' field")],
  ['18 (json_schema, no properties)', '/generate', { inputs: 'a', parameters: { grammar: { type: 'json_schema', value: { schema: { type: 'object' } } } } }, v("grammar is not valid: Grammar must have a 'properties' field")],
];

describe('validation rules (status 422, ErrorResponse, exact TGI message)', () => {
  const server = reference();
  it.each(cases)('rule %s', async (_rule, route, body, error) => {
    const reply = await server.post(route, body);
    if (route === '/generate_stream') {
      expect(reply.status).toBe(200);
      expect(reply.events).toEqual([{ error, error_type: 'validation' }]);
    } else {
      expect(reply.status).toBe(422);
      expect(reply.headers.get('content-type')).toBe('application/json');
      expect(reply.json).toEqual({ error, error_type: 'validation' });
    }
  });

  it('b1: best_of > 1 when max_best_of is 1', async () => {
    const reply = await reference({ maxBestOf: 1 }).post('/generate', { inputs: 'a', parameters: { best_of: 2, do_sample: true } });
    expect(reply.json).toEqual({ error: v('`best_of` != 1 is not allowed for this endpoint'), error_type: 'validation' });
  });

  it('17: any grammar when started without grammar support', async () => {
    const reply = await reference({ grammar: false }).post('/generate', { inputs: 'a', parameters: { grammar: { type: 'regex', value: 'a+' } } });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({ error: v('grammar is not supported'), error_type: 'validation' });
  });

  it('19: a schema outlines cannot compile', async () => {
    const reply = await server.post('/generate', { inputs: 'a', parameters: { grammar: { type: 'json', value: { properties: { a: { not: { type: 'string' } } } } } } });
    expect(reply.status).toBe(422);
    expect(reply.json.error).toMatch(/^Input validation error: cannot compile regex from schema: Unsupported JSON Schema structure/);
  });

  it('a regex the shard cannot compile fails at generation: 424 generation', async () => {
    const reply = await server.post('/generate', { inputs: 'a', parameters: { grammar: { type: 'regex', value: '(?<=a)b' } } });
    expect(reply.status).toBe(424);
    expect(reply.json.error_type).toBe('generation');
    expect(reply.json.error).toMatch(/^Request failed during generation: /);
  });

  it('checks in TGI order: the first failing rule wins', async () => {
    const reply = await server.post('/generate', { inputs: '', parameters: { temperature: 0, top_k: 0 } });
    expect(reply.json.error).toBe(v('`temperature` must be strictly positive'));
  });

  it('equality is allowed at the limits', async () => {
    const ok = [
      { inputs: 'a', parameters: { frequency_penalty: -2 } },
      { inputs: 'a', parameters: { frequency_penalty: 2 } },
      { inputs: 'a', parameters: { top_n_tokens: 5, max_new_tokens: 2 } },
      { inputs: 'a', parameters: { stop: ['a', 'b', 'c', 'd'], max_new_tokens: 2 } },
      { inputs: 'a', parameters: { truncate: 1024, max_new_tokens: 2 } },
      { inputs: 'a', parameters: { seed: 0, do_sample: true, max_new_tokens: 2 } },
      { inputs: 'a', parameters: { best_of: 0, max_new_tokens: 2 } },
      { inputs: words(1023), parameters: { max_new_tokens: 2 } }, // 1024 tokens with <s>
      { inputs: words(1023), parameters: { max_new_tokens: 1024 } }, // 2048 in all
    ];
    for (const body of ok) expect((await server.post('/generate', body)).status, JSON.stringify(body).slice(0, 80)).toBe(200);
  });

  it('every rule id of the table is exercised here or is 14 (this tokenizer cannot fail) or o (see access tests)', () => {
    const covered = new Set([...cases.map(([id]) => id.split(' ')[0]), 'b1', '17', '19', '14', 'o']);
    expect(VALIDATION_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

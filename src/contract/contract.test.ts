import { describe, expect, it } from 'vitest';
import { parseJson, type ExactJson } from '../core/json.js';
import { loadContract, type BodyShape } from './contract.js';

const contract = await loadContract();
const json = (text: string): ExactJson => {
  const r = parseJson(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const token = '{"id":1,"text":"x","logprob":-1,"special":false}';
const details = (extra = '') =>
  `{"finish_reason":"length","generated_tokens":1,"seed":null,"prefill":[],"tokens":[${token}]${extra}}`;

describe('contract.response', () => {
  it.each<[string, { body: string; shape: BodyShape; kinds: string[]; ok: boolean }]>([
    ['an object on /generate', { body: `{"generated_text":"x"}`, shape: 'object', kinds: [], ok: true }],
    ['the array on POST /', { body: `[{"generated_text":"x","details":${details()}}]`, shape: 'array', kinds: [], ok: true }],
    ['either shape on the seed endpoint (object)', { body: `{"generated_text":"x"}`, shape: 'either', kinds: [], ok: true }],
    ['either shape on the seed endpoint (array)', { body: `[{"generated_text":"x"}]`, shape: 'either', kinds: [], ok: true }],
    ['a u64 seed at the top of its range', { body: `{"generated_text":"x","details":${details().replace('"seed":null', '"seed":18446744073709551615')}}`, shape: 'object', kinds: [], ok: true }],
    ['seed 0', { body: `{"generated_text":"x","details":${details().replace('"seed":null', '"seed":0')}}`, shape: 'object', kinds: [], ok: true }],
    ['a null logprob (NaN on the server)', { body: `{"generated_text":"x","details":${details().replace('"logprob":-1', '"logprob":null')}}`, shape: 'object', kinds: [], ok: true }],
    ['an array on /generate', { body: `[{"generated_text":"x"}]`, shape: 'object', kinds: ['shape:array-instead-of-object'], ok: false }],
    ['a bare object on POST /', { body: `{"generated_text":"x"}`, shape: 'array', kinds: ['shape:object-instead-of-array'], ok: false }],
    ['two elements on POST /', { body: `[{"generated_text":"x"},{"generated_text":"y"}]`, shape: 'array', kinds: ['shape:array-length'], ok: false }],
    ['generated_text missing', { body: `{"details":${details()}}`, shape: 'object', kinds: ['required:/generated_text'], ok: false }],
    ['a wrong finish_reason', { body: `{"generated_text":"x","details":${details().replace('"length"', '"Length"')}}`, shape: 'object', kinds: ['enum:/details/finish_reason'], ok: false }],
    ['a seed beyond u64', { body: `{"generated_text":"x","details":${details().replace('"seed":null', '"seed":18446744073709551616')}}`, shape: 'object', kinds: ['u64-range:/details/seed'], ok: false }],
    ['a negative seed', { body: `{"generated_text":"x","details":${details().replace('"seed":null', '"seed":-1')}}`, shape: 'object', kinds: ['minimum:/details/seed'], ok: false }],
    ['special missing on a token', { body: `{"generated_text":"x","details":${details().replace(',"special":false', '')}}`, shape: 'object', kinds: ['required:/details/tokens/*/special'], ok: false }],
    ['an unknown key is a warning', { body: `{"generated_text":"x","model":"m"}`, shape: 'object', kinds: ['unknown-field:/model'], ok: true }],
    ['null details is a warning', { body: `{"generated_text":"x","details":null}`, shape: 'object', kinds: ['null-instead-of-omitted:/details'], ok: true }],
    ['null top_tokens is a warning', { body: `{"generated_text":"x","details":${details(',"top_tokens":null,"best_of_sequences":null')}}`, shape: 'object', kinds: ['null-instead-of-omitted:/details/top_tokens', 'null-instead-of-omitted:/details/best_of_sequences'], ok: true }],
  ])('%s', (_name, { body, shape, kinds, ok }) => {
    const r = contract.response(json(body), shape);
    expect(r.findings.map((f) => f.kind)).toEqual(kinds);
    expect(r.value !== undefined).toBe(ok);
    for (const f of r.findings) {
      expect(f.check).toBe('response-schema');
      expect(f.severity).toBe(ok ? 'warning' : 'violation');
    }
  });
});

describe('contract.request', () => {
  it.each<[string, { body: string; kinds: string[] }]>([
    ['inputs only', { body: '{"inputs":"a"}', kinds: [] }],
    ['Option fields accept null', { body: '{"inputs":"a","parameters":{"seed":null,"top_p":null,"grammar":null,"truncate":null,"best_of":null}}', kinds: [] }],
    ['seed 0 and frequency_penalty -2', { body: '{"inputs":"a","parameters":{"seed":0,"frequency_penalty":-2}}', kinds: [] }],
    ['json_object grammar with a string value', { body: '{"inputs":"a","parameters":{"grammar":{"type":"json_object","value":"{\\"properties\\":{}}"}}}', kinds: [] }],
    ['top_p 1 is rejected (exclusive)', { body: '{"inputs":"a","parameters":{"top_p":1}}', kinds: ['exclusiveMaximum:/parameters/top_p'] }],
    ['details null is rejected (bool)', { body: '{"inputs":"a","parameters":{"details":null}}', kinds: ['type:/parameters/details'] }],
    ['parameters null is rejected', { body: '{"inputs":"a","parameters":null}', kinds: ['type:/parameters'] }],
    ['empty inputs', { body: '{"inputs":""}', kinds: ['minLength:/inputs'] }],
    ['max_new_tokens 0', { body: '{"inputs":"a","parameters":{"max_new_tokens":0}}', kinds: ['minimum:/parameters/max_new_tokens'] }],
    ['a regex grammar with a number value names the value', { body: '{"inputs":"a","parameters":{"grammar":{"type":"regex","value":3}}}', kinds: ['type:/parameters/grammar/value'] }],
    ['unknown keys are warnings', { body: '{"inputs":"a","options":{}}', kinds: ['unknown-field:/options'] }],
  ])('%s', (_name, { body, kinds }) => {
    const r = contract.request(json(body), 'POST /');
    expect(r.findings.map((f) => f.kind)).toEqual(kinds);
  });

  it.each<[string, { body: string; invalid: boolean }]>([
    ['2.00000001 rounds to the f32 2.0: valid', { body: '{"inputs":"a","parameters":{"frequency_penalty":2.00000001}}', invalid: false }],
    ['2.01 stays invalid', { body: '{"inputs":"a","parameters":{"frequency_penalty":2.01}}', invalid: true }],
    ['an unknown key alone is not invalid', { body: '{"inputs":"a","model":"x"}', invalid: false }],
    ['stop null is invalid', { body: '{"inputs":"a","parameters":{"stop":null}}', invalid: true }],
  ])('requestSchemaReasons: %s', (_name, { body, invalid }) => {
    expect(contract.requestSchemaReasons(json(body), 'POST /').length > 0).toBe(invalid);
  });
});

describe('contract.streamEvent', () => {
  it('takes a token event, an error event, and flags a broken one', () => {
    expect(contract.streamEvent(json(`{"index":1,"token":${token},"generated_text":null,"details":null}`), 0).value).toBeDefined();
    expect(contract.streamEvent(json(`{"token":${token}}`), 0).value).toBeDefined(); // before v1.4.0
    expect(contract.streamEvent(json('{"error":"e","error_type":"validation"}'), 3).error).toEqual({ error: 'e', error_type: 'validation' });
    const broken = contract.streamEvent(json('{"index":1}'), 4);
    expect(broken.findings.map((f) => [f.kind, f.event])).toEqual([['required:/token', 4]]);
    const badError = contract.streamEvent(json('{"error":"e"}'), 2);
    expect(badError.findings.map((f) => f.kind)).toEqual(['required:/error_type']);
  });
});

describe('contract.errorBody and modelLoading', () => {
  it('checks both shapes', () => {
    expect(contract.errorBody(json('{"error":"x","error_type":"validation"}')).findings).toEqual([]);
    expect(contract.errorBody(json('{"detail":"x"}')).findings.map((f) => f.kind)).toEqual(['required:/error', 'required:/error_type']);
    expect(contract.modelLoading(json('{"error":"loading","estimated_time":20.5}')).findings).toEqual([]);
  });
});

describe('long integer literals', () => {
  it('keeps a u64 seed exact but reads a float written without an exponent as a number', () => {
    const body = `{"generated_text":"x","details":{"finish_reason":"length","generated_tokens":1,"seed":18446744073709551615,"prefill":[],"tokens":[{"id":1,"text":"x","logprob":-73705340000000000000,"special":false}]}}`;
    const r = contract.response(json(body), 'object');
    expect(r.findings).toEqual([]);
    expect(r.value?.details?.seed).toBe(18446744073709551615n);
    expect(r.value?.details?.tokens[0]?.logprob).toBe(-73705340000000000000);
  });
});

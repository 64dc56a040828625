import { describe, expect, it } from 'vitest';
import { BASE, reference } from './__fixtures__/client.js';
import { deserializeBody, isJsonContentType } from './request-body.js';

const D = 'Failed to deserialize the JSON body into the target type: ';
const P = 'Failed to parse the request body as JSON: ';

/** [name, raw body, status, exact text/plain body] */
const cases: [string, string, 400 | 422, string][] = [
  ['a wrongly typed parameter', '{"inputs":"Hello world","parameters":{"top_k":"a"}}', 422, `${D}parameters.top_k: invalid type: string "a", expected i32 at line 1 column 49`],
  ['missing inputs', '{"parameters":{}}', 422, `${D}missing field \`inputs\` at line 1 column 17`],
  ['inputs not a string', '{"inputs":["a"]}', 422, `${D}inputs: invalid type: sequence, expected a string at line 1 column 11`],
  ['parameters null', '{"inputs":"a","parameters":null}', 422, `${D}parameters: invalid type: null, expected struct GenerateParameters at line 1 column 31`],
  ['details null (bool, not Option)', '{"inputs":"a","parameters":{"details":null}}', 422, `${D}parameters.details: invalid type: null, expected a boolean at line 1 column 42`],
  ['stop null (Vec)', '{"inputs":"a","parameters":{"stop":null}}', 422, `${D}parameters.stop: invalid type: null, expected a sequence at line 1 column 39`],
  ['a non-string stop', '{"inputs":"a","parameters":{"stop":[1]}}', 422, `${D}parameters.stop[0]: invalid type: integer \`1\`, expected a string at line 1 column 37`],
  ['a negative u32', '{"inputs":"a","parameters":{"max_new_tokens":-1}}', 422, `${D}parameters.max_new_tokens: invalid value: integer \`-1\`, expected u32 at line 1 column 47`],
  ['an integer-valued float for an integer', '{"inputs":"a","parameters":{"max_new_tokens":1.0}}', 422, `${D}parameters.max_new_tokens: invalid type: floating point \`1.0\`, expected u32 at line 1 column 48`],
  ['a seed above u64', '{"inputs":"a","parameters":{"seed":18446744073709551616}}', 422, `${D}parameters.seed: invalid type: floating point \`18446744073709552000.0\`, expected u64 at line 1 column 55`],
  ['an unknown grammar type', '{"inputs":"a","parameters":{"grammar":{"type":"xml","value":"a"}}}', 422, `${D}parameters.grammar: unknown variant \`xml\`, expected one of \`json\`, \`json_object\`, \`regex\`, \`json_schema\` at line 1 column 51`],
  ['a top-level array', '[{"inputs":"a"}]', 422, `${D}invalid type: sequence, expected struct GenerateRequest at line 1 column 1`],
  ['truncated JSON', '{"inputs":"a",', 400, `${P}EOF while parsing an object at line 1 column 14`],
  ['a trailing comma', '{"inputs":"a",}', 400, `${P}trailing comma at line 1 column 15`],
  ['not JSON at all', 'inputs=a', 400, `${P}expected value at line 1 column 1`],
  ['a lone surrogate (JSON.parse accepts it, serde does not)', '{"inputs":"\\ud800"}', 400, `${P}unexpected end of hex escape at line 1 column 18`],
];

describe('axum/serde rejections: text/plain bodies', () => {
  const server = reference();
  it.each(cases)('%s', async (_name, body, status, message) => {
    const reply = await server.post('/generate', body);
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(message);
  });

  it('415 without a JSON content type', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const reply = await server.send(new Request(`${BASE}/generate`, { method: 'POST', headers, body: '{"inputs":"a"}' }));
      expect(reply.status).toBe(415);
      expect(reply.text).toBe('Expected request with `Content-Type: application/json`');
    }
  });

  it('413 over the payload limit', async () => {
    const reply = await reference({ payloadLimit: 100 }).post('/generate', { inputs: 'x'.repeat(200) });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe('Failed to buffer the request body: length limit exceeded');
  });

  it('the rejections come as plain statuses on stream routes too', async () => {
    const reply = await server.post('/generate_stream', '{"inputs":1}');
    expect(reply.status).toBe(422);
    expect(reply.text.startsWith(D)).toBe(true);
  });

  it('names the compat struct on /', async () => {
    const reply = await server.post('/', '"a"');
    expect(reply.text).toBe(`${D}invalid type: string "a", expected struct CompatGenerateRequest at line 1 column 3`);
  });
});

describe('deserializeBody', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('keeps u64 seeds exact and ignores unknown keys', () => {
    const result = deserializeBody(bytes('{"inputs":"a","options":{},"parameters":{"seed":18446744073709551615,"foo":1}}'), 'GenerateRequest');
    expect(result.ok && result.request.parameters.seed).toBe(18446744073709551615n);
    expect(result.ok && result.request.unknownKeys).toEqual(['options', 'parameters.foo']);
  });

  it('applies default_parameters (do_sample true) when parameters is absent, serde defaults for {}', () => {
    const absent = deserializeBody(bytes('{"inputs":"a"}'), 'GenerateRequest');
    const empty = deserializeBody(bytes('{"inputs":"a","parameters":{}}'), 'GenerateRequest');
    expect(absent.ok && absent.request.parameters.do_sample).toBe(true);
    expect(empty.ok && empty.request.parameters.do_sample).toBe(false);
  });

  it('reads stream only on the compat route', () => {
    const compat = deserializeBody(bytes('{"inputs":"a","stream":true}'), 'CompatGenerateRequest');
    const generate = deserializeBody(bytes('{"inputs":"a","stream":true}'), 'GenerateRequest');
    expect(compat.ok && compat.request.stream).toBe(true);
    expect(generate.ok && generate.request.stream).toBe(false);
  });

  it('accepts json_object as an alias of json, and null for Option fields', () => {
    const result = deserializeBody(bytes('{"inputs":"a","parameters":{"grammar":{"type":"json_object","value":{}},"top_k":null}}'), 'GenerateRequest');
    expect(result.ok && result.request.parameters.grammar).toEqual({ type: 'json', value: {} });
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/vnd.api+json', true],
    ['text/json', false],
    [null, false],
  ] as const)('content type %s -> %s', (value, want) => {
    expect(isJsonContentType(value)).toBe(want);
  });
});

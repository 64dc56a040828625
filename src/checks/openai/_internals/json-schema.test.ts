import { test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instance, simpleSchema } from '../../__fixtures__/simple-schemas.js';
import { schemaTest } from './json-schema.js';

describe('schemaTest', () => {
  it('words ajv\'s first error, and the reason a schema does not compile', () => {
    const test = schemaTest({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    if (!(test instanceof Function)) throw new Error('expected a test');
    expect(test({ n: 1 })).toBeUndefined();
    expect(test({ n: 'x' })).toBe('/n must be integer');
    expect(test({})).toBe("/ must have required property 'n'");
    expect(schemaTest({ type: 'nope' })).toEqual({ reason: expect.stringContaining('the JSON Schema does not compile (schema is invalid:') as unknown });
    expect(schemaTest(false)).toBeInstanceOf(Function);
    expect(schemaTest([])).toEqual({ reason: 'the schema is not a JSON object' });
  });

  // Small schemas are tested by an interpreter and compiled with ajv only when a value fails it:
  // whether the schema is judged at all, the verdict and the words must be ajv's compiled whole.
  const reference = new Ajv2020({ strict: false, validateFormats: false, allErrors: false, logger: false });

  test.prop([simpleSchema, fc.array(instance, { minLength: 1, maxLength: 3 })], { numRuns: 1000 })('answers as ajv does', (schema, values) => {
    fc.pre(typeof schema === 'object' && schema !== null);
    const texts = values.map((v) => JSON.stringify(v)).filter((t): t is string => t !== undefined);
    let validate: ReturnType<Ajv2020['compile']> | undefined;
    let error: string | undefined;
    try {
      validate = reference.compile(JSON.parse(JSON.stringify(schema)) as object);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const got = schemaTest(JSON.parse(JSON.stringify(schema)));
    const label = JSON.stringify({ schema, texts });
    if (validate === undefined) {
      expect(got, label).toEqual({ reason: `the JSON Schema does not compile (${error ?? ''})` });
      return;
    }
    if (!(got instanceof Function)) throw new Error(`no test for a schema ajv compiles: ${label}`);
    for (const text of texts) {
      const ok = validate(JSON.parse(text));
      const first = validate.errors?.[0];
      const want = ok ? undefined : first === undefined ? 'it does not satisfy the schema' : `${first.instancePath || '/'} ${first.message ?? 'is not valid'}`;
      expect(got(JSON.parse(text)), label).toBe(want);
    }
  });
});

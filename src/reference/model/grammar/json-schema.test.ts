import { fc, test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SplitMix64 } from '../prng.js';
import { CompiledSchema, SchemaGrammarError } from './json-schema.js';

const ajv = new Ajv2020({ strict: false });

const SCHEMAS: Record<string, object> = {
  person: {
    type: 'object',
    properties: {
      firstName: { type: 'string', minLength: 2, maxLength: 12 },
      age: { type: 'integer', minimum: 18, exclusiveMaximum: 65 },
      score: { type: 'number', minimum: -1, maximum: 1 },
      member: { type: 'boolean' },
      nothing: { type: 'null' },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, minItems: 1, maxItems: 3 },
    },
    required: ['firstName', 'age'],
  },
  formats: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
      even: { type: 'integer', multipleOf: 2, minimum: 0, maximum: 20 },
    },
    required: ['id', 'at', 'code', 'even'],
  },
  combinators: {
    type: 'object',
    properties: {
      choice: { anyOf: [{ type: 'integer' }, { const: 'none' }] },
      both: { allOf: [{ properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { b: { type: 'string' } }, required: ['b'] }] },
      ref: { $ref: '#/$defs/point' },
      tuple: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 },
      either: { type: ['string', 'null'] },
    },
    required: ['choice', 'both', 'ref', 'tuple', 'either'],
    $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] } },
  },
};

describe('JSON Schema grammar', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const validate = ajv.compile(schema);
    const compiled = new CompiledSchema(schema as never);
    test.prop([fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })])(`draws valid instances: ${name}`, (seed) => {
      const text = compiled.draw(new SplitMix64(seed));
      const value: unknown = JSON.parse(text);
      expect(validate(value), `${text}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(text).toBe(JSON.stringify(value)); // compact
    });
  }

  const unsupported: [string, object][] = [
    ['not', { properties: { a: { not: { type: 'string' } } } }],
    ['if/then', { properties: { a: { if: { type: 'string' }, then: { minLength: 1 } } } }],
    ['patternProperties', { properties: {}, patternProperties: { '^x': { type: 'string' } } }],
    ['an external $ref', { properties: { a: { $ref: 'https://example.com/schema.json' } } }],
    ['a pattern outside the regex subset', { properties: { a: { type: 'string', pattern: '(?=x)y' } } }],
  ];
  it.each(unsupported)('rejects %s', (_name, schema) => {
    expect(() => new CompiledSchema(schema as never)).toThrow(SchemaGrammarError);
  });
});

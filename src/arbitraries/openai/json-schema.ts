/**
 * JSON Schemas of the kind clients put in a tool's `function.parameters` and in
 * `response_format.json_schema.schema`, and instances of them.
 *
 * The schemas are objects with a few properties of simple types (string, integer, number,
 * boolean, a string enum) and a `required` list: only keywords that a grammar compiler can turn
 * into a constraint (TGI's outlines-core, llama.cpp's json-schema-to-grammar, the reference
 * server's ../../reference/model/grammar/json-schema.ts) and that OpenAI's strict mode accepts.
 * With `strict`, every property is required and `additionalProperties` is false, as OpenAI's
 * strict mode demands (its structured-outputs rules); without, `required` is any subset.
 */
import fc from 'fast-check';
import type { ExactJson } from '../../core/json.js';

export type JsonObject = { [key: string]: ExactJson };

export interface SimpleObjectSchemaConstraints {
  /** Every property required and `additionalProperties: false` (OpenAI strict mode). @defaultValue false */
  strict?: boolean;
  /** Most properties. @defaultValue 4 */
  maxProperties?: number;
}

const PROPERTY_NAMES = [
  'location', 'city', 'unit', 'count', 'days', 'query', 'verbose', 'price', 'name', 'color',
  'limit', 'language', 'score', 'enabled', 'topic', 'level',
] as const;

const ENUMS: readonly (readonly string[])[] = [
  ['celsius', 'fahrenheit'],
  ['low', 'medium', 'high'],
  ['red', 'green', 'blue'],
  ['en', 'fr', 'de'],
];

const DESCRIPTIONS = ['The value to use.', 'Where it applies.', 'How many.', 'Optional detail.'] as const;

type PropertyKind = 'string' | 'integer' | 'bounded-integer' | 'number' | 'boolean' | 'enum';

function propertySchema(kind: PropertyKind, enumIndex: number, description: string | undefined): JsonObject {
  const base: JsonObject =
    kind === 'enum'
      ? { type: 'string', enum: [...(ENUMS[enumIndex % ENUMS.length] ?? ['a', 'b'])] }
      : kind === 'bounded-integer'
        ? { type: 'integer', minimum: 0, maximum: 100 }
        : { type: kind };
  return description === undefined ? base : { ...base, description };
}

/**
 * An object schema with 1 to `maxProperties` properties of simple types.
 *
 * @example
 * fc.sample(simpleObjectSchema({ strict: true }), 1)
 * // [{ type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } },
 * //    required: ['city', 'days'], additionalProperties: false }]
 */
export function simpleObjectSchema(constraints: SimpleObjectSchemaConstraints = {}): fc.Arbitrary<JsonObject> {
  const strict = constraints.strict ?? false;
  const most = constraints.maxProperties ?? 4;
  if (!Number.isSafeInteger(most) || most < 1 || most > PROPERTY_NAMES.length) {
    throw new Error(`[tgc] simpleObjectSchema: maxProperties must be an integer in 1..${PROPERTY_NAMES.length}, got ${String(most)}`);
  }
  const kinds: PropertyKind[] = strict
    ? ['string', 'integer', 'number', 'boolean', 'enum']
    : ['string', 'integer', 'bounded-integer', 'number', 'boolean', 'enum'];
  const property = fc.record({
    kind: fc.constantFrom(...kinds),
    enumIndex: fc.nat({ max: ENUMS.length - 1 }),
    description: fc.option(fc.constantFrom(...DESCRIPTIONS), { nil: undefined, freq: 3 }),
    required: fc.boolean(),
  });
  return fc
    .record({
      names: fc.uniqueArray(fc.constantFrom(...PROPERTY_NAMES), { minLength: 1, maxLength: most }),
      props: fc.array(property, { minLength: most, maxLength: most }),
      closed: fc.boolean(),
    })
    .map(({ names, props, closed }) => {
      const properties: JsonObject = {};
      const required: string[] = [];
      names.forEach((name, i) => {
        const p = props[i] ?? { kind: 'string' as const, enumIndex: 0, description: undefined, required: true };
        properties[name] = propertySchema(p.kind, p.enumIndex, p.description);
        if (strict || p.required) required.push(name);
      });
      const schema: JsonObject = { type: 'object', properties, required };
      if (strict || closed) schema['additionalProperties'] = false;
      return schema;
    });
}

const WORDS = ['Paris', 'blue', 'tomorrow', 'tea', 'seven', 'déjà vu', 'north', 'Zürich'] as const;

function isObject(v: ExactJson | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value of one property schema of {@link simpleObjectSchema}. */
function propertyValue(schema: ExactJson | undefined): fc.Arbitrary<ExactJson> {
  if (!isObject(schema)) return fc.constant(null);
  const e = schema['enum'];
  if (Array.isArray(e) && e.length > 0) return fc.constantFrom(...e);
  switch (schema['type']) {
    case 'string':
      return fc.constantFrom(...WORDS);
    case 'integer': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -50;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1000;
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.integer({ min: -400, max: 400 }).map((k) => k / 4);
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

/**
 * An instance of a schema made by {@link simpleObjectSchema}: every required property, and each
 * optional one or not. (Only that subset of JSON Schema is read.)
 */
export function schemaInstance(schema: JsonObject): fc.Arbitrary<JsonObject> {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((x): x is string => typeof x === 'string') : []);
  const slots: Record<string, fc.Arbitrary<ExactJson | undefined>> = {};
  for (const [name, sub] of Object.entries(properties)) {
    slots[name] = required.has(name) ? propertyValue(sub) : fc.option(propertyValue(sub), { nil: undefined });
  }
  return fc.record(slots).map((r) => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });
}

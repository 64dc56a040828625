/**
 * Grammar values a TGI server compiles (rules 17-19): regexes in the subset that outlines'
 * regex-to-FSM compiler (interegular) handles, without anchors, lookaround or backreferences;
 * and small object JSON Schemas (draft 2020-12) that always have `properties`, with primitive
 * property types, which outlines turns into a regex.
 */
import fc from 'fast-check';

/** Patterns known to compile: TGI's own grammar integration test uses the first one. */
export const REGEX_EXAMPLES: readonly string[] = [
  '((25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(25[0-5]|2[0-4]\\d|[01]?\\d\\d?)',
  '[a-z]+',
  '(yes|no)',
  '\\d{3}-\\d{4}',
  '[A-Z][a-z]{1,8}',
  '[0-9]+(\\.[0-9]+)?',
];

const ATOMS = ['[a-z]', '[A-Z]', '[0-9]', '\\d', 'a', 'ok', '(yes|no)', '[a-c]', ' ', '-'] as const;
const QUANTIFIERS = ['', '+', '{1,3}', '{2}', '*', '?'] as const;

function quantify(atom: string, q: string): string {
  const single = atom.length === 1 || atom.startsWith('[') || atom.startsWith('\\') || atom.startsWith('(');
  return q === '' || single ? atom + q : `(${atom})${q}`;
}

/** A simple regex: a sequence of quantified atoms whose first atom must match at least once. */
export function regexValue(): fc.Arbitrary<string> {
  const piece = fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => quantify(a, q));
  const first = fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom('', '+', '{1,3}')).map(([a, q]) => quantify(a, q));
  const generated = fc
    .tuple(first, fc.array(piece, { maxLength: 3 }))
    .map(([f, rest]) => f + rest.join(''));
  return fc.oneof({ arbitrary: fc.constantFrom(...REGEX_EXAMPLES), weight: 1 }, { arbitrary: generated, weight: 2 });
}

const PROPERTY_NAMES = ['name', 'age', 'city', 'count', 'active', 'score', 'label', 'firstName', 'numCats'] as const;

const PROPERTY_SCHEMAS: readonly Record<string, unknown>[] = [
  { type: 'string' },
  { type: 'string', maxLength: 10 },
  { type: 'integer' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'string', enum: ['red', 'green', 'blue'] },
  { type: 'integer', minimum: 0, maximum: 9 },
];

/** The TGI grammar integration test's schema. */
export const JSON_SCHEMA_EXAMPLE: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: {
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    hobby: { type: 'string' },
    numCats: { type: 'integer' },
  },
  required: ['firstName', 'lastName', 'hobby', 'numCats'],
};

/** A small object JSON Schema with `properties` (V:391-399 requires them since v2.3.0). */
export function jsonSchemaObject(): fc.Arbitrary<Record<string, unknown>> {
  const generated = fc
    .uniqueArray(fc.constantFrom(...PROPERTY_NAMES), { minLength: 1, maxLength: 3 })
    .chain((names) =>
      fc.record({
        props: fc.tuple(...names.map(() => fc.constantFrom(...PROPERTY_SCHEMAS))),
        required: fc.subarray(names),
        withType: fc.boolean(),
      }).map(({ props, required, withType }) => {
        const schema: Record<string, unknown> = {};
        if (withType) schema['type'] = 'object';
        schema['properties'] = Object.fromEntries(names.map((n, i) => [n, props[i]]));
        if (required.length > 0) schema['required'] = required;
        return schema;
      }),
    );
  return fc.oneof({ arbitrary: fc.constant({ ...JSON_SCHEMA_EXAMPLE }), weight: 1 }, { arbitrary: generated, weight: 3 });
}

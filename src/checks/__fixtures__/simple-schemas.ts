/**
 * Test-only arbitraries for the checks that test values against a schema a request carries
 * (grammar-adherence, the /v1 routes' response_format and tool parameters): small schemas that
 * `_internals/simple-schema.ts` interprets, now and then with a keyword it leaves to ajv or a value
 * the meta-schema refuses, and JSON instances to test against them. Pure, like builders.ts.
 */
import fc from 'fast-check';

const names = fc.constantFrom('a', 'b', 'name', 'constructor', '__proto__', 'toString');
const scalar = fc.oneof(fc.constantFrom(null, true, false, 0, -1, 2.5, 9, 10, '', 'red', 'a😀b', 'abcdefghijk'), fc.integer({ min: -20, max: 20 }));
// Up to three keywords, mostly the interpreter's, rarely one it leaves to ajv or a value the meta-schema refuses.
const keyword = (tie: (key: string) => fc.Arbitrary<unknown>): fc.Arbitrary<[string, unknown]> =>
  fc.oneof(
    fc.tuple(fc.constant('type'), fc.constantFrom('null', 'boolean', 'object', 'array', 'number', 'integer', 'string')),
    fc.tuple(fc.constant('type'), fc.uniqueArray(fc.constantFrom('null', 'integer', 'string', 'object'), { minLength: 1, maxLength: 2 })),
    fc.tuple(fc.constant('properties'), fc.dictionary(names, tie('schema'), { maxKeys: 3 })),
    fc.tuple(fc.constant('required'), fc.uniqueArray(names, { maxLength: 2 })),
    fc.tuple(fc.constantFrom('additionalProperties', 'items'), tie('schema')),
    fc.tuple(fc.constant('enum'), fc.array(scalar, { minLength: 1, maxLength: 3 })),
    fc.tuple(fc.constant('const'), scalar),
    fc.tuple(fc.constantFrom('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'), fc.constantFrom(-1, 0, 2.5, 9, 10)),
    fc.tuple(fc.constantFrom('minLength', 'maxLength', 'minItems', 'maxItems'), fc.integer({ min: 0, max: 4 })),
    fc.tuple(fc.constantFrom('format', 'title'), fc.constantFrom('email', 'date-time')),
    fc.tuple(
      fc.constantFrom('nullable', 'multipleOf', 'pattern', 'type', 'maxLength', 'minItems', 'required', 'examples', 'deprecated', 'enum', 'const', 'items'),
      fc.constantFrom(true, 0.1, 2.5, '^a', '[', 'nope', -1, [], ['a', 'a'], [{ a: 1 }], { a: 1 }),
    ),
  );
export const simpleSchema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.array(keyword(tie), { maxLength: 3 }).map((entries) => Object.fromEntries(entries)),
  ),
})).schema;
export const instance = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    // Not toString: ajv's deep equality calls it (an own toString that is not a function throws there).
    fc.dictionary(fc.constantFrom('a', 'b', 'name', 'constructor', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

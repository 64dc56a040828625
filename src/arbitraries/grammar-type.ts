/**
 * Grammars a conforming server with grammar support compiles: every `type` of the spec's
 * `GrammarType` (json, its alias json_object, regex, json_schema), with each value
 * representation the spec allows (a json value as an object or as a string holding its JSON).
 *
 * @see ../shared/reference/tgi-behavior.md §2a (grammar), §2c rules 17-19
 */
import fc from 'fast-check';
import type { GrammarType } from '../core/api.js';
import { jsonSchemaObject, regexValue } from './_internals/builders/grammar-values.js';
import { specGrammarVariants, type GrammarVariantSchema } from './_internals/spec-reader.js';

/** The generator of each grammar `type`; tested against the spec's GrammarType both ways. */
const GRAMMAR_GENERATORS = {
  json: jsonGrammarValue,
  json_object: jsonGrammarValue,
  regex: () => regexValue(),
  json_schema: schemaConfigValue,
} as const satisfies Record<string, (variant: GrammarVariantSchema) => fc.Arbitrary<unknown>>;

type GrammarTypeName = keyof typeof GRAMMAR_GENERATORS;

/** @internal The grammar types tgc can generate. */
export const GRAMMAR_TYPE_NAMES: readonly string[] = Object.keys(GRAMMAR_GENERATORS);

/** @internal The grammar types of the spec in force. */
export const SPEC_GRAMMAR_TYPE_NAMES: readonly string[] = specGrammarVariants.flatMap((v) => v.types);

export interface GrammarTypeConstraints {
  /**
   * The grammar `type`s to generate, a subset of the spec's.
   * @defaultValue every type of the spec's GrammarType that tgc has a generator for
   */
  types?: readonly string[];
}

function isGrammarTypeName(t: string): t is GrammarTypeName {
  return Object.hasOwn(GRAMMAR_GENERATORS, t);
}

/** A JSON Schema as an object, or as a string with its JSON text, as the spec allows. */
function jsonGrammarValue(variant: GrammarVariantSchema): fc.Arbitrary<unknown> {
  const forms: fc.Arbitrary<unknown>[] = [];
  if (variant.valueTypes.includes('object')) forms.push(jsonSchemaObject());
  if (variant.valueTypes.includes('string')) {
    forms.push(
      fc
        .tuple(jsonSchemaObject(), fc.constantFrom(undefined, 2))
        .map(([schema, space]) => JSON.stringify(schema, null, space)),
    );
  }
  return fc.oneof(...forms);
}

/** `{name?, schema}` (v3.3.0+). */
function schemaConfigValue(variant: GrammarVariantSchema): fc.Arbitrary<unknown> {
  const names: fc.Arbitrary<string | null | undefined>[] = [
    fc.constant(undefined),
    fc.constantFrom('person', 'answer', 'my_schema'),
  ];
  if (variant.nameNullable === true) names.push(fc.constant(null));
  return fc.record({ name: fc.oneof(...names), schema: jsonSchemaObject() }).map(({ name, schema }) =>
    name === undefined ? { schema } : { name, schema },
  );
}

/**
 * Valid grammars: `{type, value}` for each chosen type of the spec's GrammarType.
 *
 * @example
 * fc.sample(grammarType({ types: ['regex'] }), 1) // [{ type: 'regex', value: '[a-z]+' }]
 */
export function grammarType(constraints: GrammarTypeConstraints = {}): fc.Arbitrary<GrammarType> {
  const wanted = constraints.types ?? SPEC_GRAMMAR_TYPE_NAMES.filter(isGrammarTypeName);
  const arbs: fc.Arbitrary<GrammarType>[] = [];
  for (const type of wanted) {
    const variant = specGrammarVariants.find((v) => v.types.includes(type));
    if (variant === undefined || !isGrammarTypeName(type)) {
      throw new Error(`[tgc] grammarType: the spec's GrammarType has no generator for type "${type}"`);
    }
    const value = GRAMMAR_GENERATORS[type](variant);
    // The union is keyed by `type`; the generator table pairs each type with its value shape.
    arbs.push(value.map((v) => ({ type, value: v }) as GrammarType));
  }
  if (arbs.length === 0) throw new Error('[tgc] grammarType: constraints.types is empty');
  return fc.oneof(...arbs);
}

/**
 * Reads the request parameters' domains out of the spec (spec/openapi.yaml, as data in
 * src/generated/spec.ts) once, at module load, so that what the arbitraries generate follows
 * the spec: each parameter's JSON type, nullability, bounds, enum, server limit (`x-tgc-limit`)
 * and Rust type (`x-tgc-rust-type`, which says which numbers are f32 and which integers u64).
 */
import { spec } from '../../generated/spec.js';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** `x-tgc-limit`: a server setting that bounds the property. */
export interface SpecLimit {
  name: string;
  /** The launcher default, or null where it depends on the model. */
  default: number | null;
  inInfo: boolean;
}

/** One property of `GenerateParameters`, as the spec describes it. */
export interface ParameterSchema {
  name: string;
  /** The JSON types a value may have, `null` excluded. */
  types: readonly JsonType[];
  /** `null` is a valid value (the Rust field is an `Option`). */
  nullable: boolean;
  /** The `x-tgc-rust-type`, e.g. `Option<f32>`; undefined when the spec gives none. */
  rustType: string | undefined;
  /** The name of the component schema it refers to (`GrammarType`), if any. */
  ref: string | undefined;
  minimum: number | undefined;
  exclusiveMinimum: number | undefined;
  maximum: number | undefined;
  exclusiveMaximum: number | undefined;
  enum: readonly unknown[] | undefined;
  minItems: number | undefined;
  maxItems: number | undefined;
  itemTypes: readonly JsonType[] | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  limit: SpecLimit | undefined;
}

/** One branch of `GrammarType`: the `type` values it takes and the shape of its `value`. */
export interface GrammarVariantSchema {
  /** The `type` enum of this branch, e.g. `['json', 'json_object']`. */
  types: readonly string[];
  /** The JSON types `value` may have (object and/or string). */
  valueTypes: readonly JsonType[];
  /** For `{name?, schema}` values: whether `name` may be null. */
  nameNullable: boolean | undefined;
  /** For `{name?, schema}` values: the properties the value object declares. */
  valueProperties: readonly string[];
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
type JsonObject = { readonly [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const JSON_TYPES: readonly JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

function asJsonType(v: unknown): JsonType | undefined {
  return JSON_TYPES.find((t) => t === v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Follows a local `#/components/schemas/X` ref. */
function resolveRef(doc: JsonObject, ref: string): { name: string; schema: JsonObject } {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  const name = m?.[1];
  const components = doc['components'];
  const schemas = isObject(components) ? components['schemas'] : undefined;
  const schema = name !== undefined && isObject(schemas) ? schemas[name] : undefined;
  if (name === undefined || !isObject(schema)) {
    throw new Error(`[tgc] arbitraries: cannot resolve $ref ${ref} in the spec`);
  }
  return { name, schema };
}

/**
 * The JSON types a schema admits, following `type` (string or array), `anyOf`/`oneOf` branches,
 * `allOf` and `$ref`; plus the first component referred to.
 */
function typesOf(doc: JsonObject, schema: JsonObject): { types: Set<JsonType>; ref: string | undefined } {
  const types = new Set<JsonType>();
  let ref: string | undefined;
  const t = schema['type'];
  for (const x of Array.isArray(t) ? t : [t]) {
    const jt = asJsonType(x);
    if (jt !== undefined) types.add(jt);
  }
  if (typeof schema['$ref'] === 'string') {
    const r = resolveRef(doc, schema['$ref']);
    ref = r.name;
    for (const x of typesOf(doc, r.schema).types) types.add(x);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      if (!isObject(b)) continue;
      const sub = typesOf(doc, b);
      for (const x of sub.types) types.add(x);
      ref ??= sub.ref;
    }
  }
  // OpenAPI 3.0 style, should a future spec use it.
  if (schema['nullable'] === true) types.add('null');
  return { types, ref };
}

/** The first numeric value of `key` on the schema or on one of its non-null branches. */
function keyword(schema: JsonObject, key: string): Json | undefined {
  if (key in schema) return schema[key];
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[k];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) if (isObject(b) && key in b) return b[key];
  }
  return undefined;
}

function readLimit(v: Json | undefined): SpecLimit | undefined {
  if (!isObject(v) || typeof v['name'] !== 'string') return undefined;
  const d = v['default'];
  return { name: v['name'], default: typeof d === 'number' ? d : null, inInfo: v['in_info'] === true };
}

function componentSchema(doc: JsonObject, name: string): JsonObject {
  return resolveRef(doc, `#/components/schemas/${name}`).schema;
}

/** Reads every property of `components.schemas.GenerateParameters`. */
export function readParameterSchemas(doc: unknown): ReadonlyMap<string, ParameterSchema> {
  if (!isObject(doc)) throw new Error('[tgc] arbitraries: the spec is not an object');
  const params = componentSchema(doc, 'GenerateParameters');
  const properties = params['properties'];
  if (!isObject(properties)) throw new Error('[tgc] arbitraries: GenerateParameters has no properties');
  const out = new Map<string, ParameterSchema>();
  for (const [name, s] of Object.entries(properties)) {
    if (!isObject(s)) continue;
    const { types, ref } = typesOf(doc, s);
    const items = s['items'];
    const rust = s['x-tgc-rust-type'];
    const e = keyword(s, 'enum');
    out.set(name, {
      name,
      types: [...types].filter((t) => t !== 'null'),
      nullable: types.has('null'),
      rustType: typeof rust === 'string' ? rust : undefined,
      ref,
      minimum: num(keyword(s, 'minimum')),
      exclusiveMinimum: num(keyword(s, 'exclusiveMinimum')),
      maximum: num(keyword(s, 'maximum')),
      exclusiveMaximum: num(keyword(s, 'exclusiveMaximum')),
      enum: Array.isArray(e) ? e : undefined,
      minItems: num(keyword(s, 'minItems')),
      maxItems: num(keyword(s, 'maxItems')),
      itemTypes: isObject(items) ? [...typesOf(doc, items).types] : undefined,
      minLength: num(keyword(s, 'minLength')),
      maxLength: num(keyword(s, 'maxLength')),
      limit: readLimit(s['x-tgc-limit']),
    });
  }
  return out;
}

/** Reads the branches of `components.schemas.GrammarType`. */
export function readGrammarVariants(doc: unknown): readonly GrammarVariantSchema[] {
  if (!isObject(doc)) throw new Error('[tgc] arbitraries: the spec is not an object');
  const grammar = componentSchema(doc, 'GrammarType');
  const branches = grammar['oneOf'] ?? grammar['anyOf'];
  if (!Array.isArray(branches)) throw new Error('[tgc] arbitraries: GrammarType has no oneOf');
  const out: GrammarVariantSchema[] = [];
  for (const raw of branches) {
    const b = isObject(raw) && typeof raw['$ref'] === 'string' ? resolveRef(doc, raw['$ref']).schema : raw;
    if (!isObject(b)) continue;
    const props = b['properties'];
    if (!isObject(props)) continue;
    const typeSchema = props['type'];
    const valueSchemaRaw = props['value'];
    if (!isObject(typeSchema) || !isObject(valueSchemaRaw)) continue;
    const valueSchema =
      typeof valueSchemaRaw['$ref'] === 'string' ? resolveRef(doc, valueSchemaRaw['$ref']).schema : valueSchemaRaw;
    const e = typeSchema['enum'];
    const c = typeSchema['const'];
    const types = Array.isArray(e) ? e.filter((x): x is string => typeof x === 'string') : typeof c === 'string' ? [c] : [];
    const valueTypes = [...typesOf(doc, valueSchema).types];
    const valueProps = valueSchema['properties'];
    const nameSchema = isObject(valueProps) ? valueProps['name'] : undefined;
    out.push({
      types,
      valueTypes: valueTypes.length > 0 ? valueTypes : ['object', 'string'],
      nameNullable: isObject(nameSchema) ? typesOf(doc, nameSchema).types.has('null') : undefined,
      valueProperties: isObject(valueProps) ? Object.keys(valueProps) : [],
    });
  }
  return out;
}

/** The parameters of the spec in force, read once. */
export const specParameters: ReadonlyMap<string, ParameterSchema> = readParameterSchemas(spec);

/** The grammar variants of the spec in force, read once. */
export const specGrammarVariants: readonly GrammarVariantSchema[] = readGrammarVariants(spec);

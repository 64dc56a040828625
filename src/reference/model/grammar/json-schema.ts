/**
 * JSON grammars (`json`, `json_object`, `json_schema`): TGI compiles the schema to a regex with
 * outlines-core and constrains decoding to it; this reference server draws an instance of the
 * schema instead and serialises it compactly.
 *
 * Supported: `type` (one or several), `properties`/`required`, `items`/`prefixItems`/
 * `minItems`/`maxItems`, `enum`, `const`, `anyOf`/`oneOf`/`allOf`, local `$ref` (`#/...`),
 * strings with `minLength`/`maxLength`/`pattern` (the regex subset of ./regex.ts)/`format`
 * (date-time, date, time, uuid, email, uri), numbers and integers with `minimum`/`maximum`/
 * exclusive bounds/`multipleOf`, booleans, null. Keywords outlines-core cannot turn into a regex
 * (`not`, `if`/`then`/`else`, `patternProperties`, `contains`, ...) raise
 * {@link SchemaGrammarError}, which the server reports as TGI's rule 19.
 */
import type { SplitMix64 } from '../prng.js';
import { DICTIONARY_WORDS } from '../vocabulary.js';
import { drawRegex, parseRegex, RegexGrammarError } from './regex.js';
import type { RegexNode } from './regex.js';

type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/** A schema that is valid JSON Schema but cannot be compiled to a grammar. */
export class SchemaGrammarError extends Error {
  override name = 'SchemaGrammarError';
}

const UNSUPPORTED = [
  'not', 'if', 'then', 'else', 'patternProperties', 'propertyNames', 'dependentSchemas',
  'unevaluatedProperties', 'unevaluatedItems', 'contains', '$dynamicRef',
] as const;
const MAX_DEPTH = 8;

function isObject(v: Json | undefined): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unsupported(schema: Json): SchemaGrammarError {
  return new SchemaGrammarError(
    `Unsupported JSON Schema structure ${JSON.stringify(schema, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))} \n` +
      "Make sure it is valid to the JSON Schema specification and check if it's supported by Outlines.\n" +
      'If it should be supported, please open an issue.',
  );
}

function resolveRef(root: Json, ref: string): Json {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) throw new SchemaGrammarError(`External references are not supported: ${ref}`);
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    if (node === undefined) throw new SchemaGrammarError(`Invalid reference path: ${ref}`);
  }
  return node;
}

/** A schema compiled for drawing: patterns parsed once, unsupported constructs rejected. */
export class CompiledSchema {
  private readonly patterns = new Map<string, RegexNode>();

  private readonly root: Json;

  constructor(root: Json) {
    this.root = root;
    this.check(root, new Set());
  }

  private check(schema: Json, visiting: Set<Json>): void {
    if (typeof schema === 'boolean') return;
    if (!isObject(schema)) throw unsupported(schema);
    if (visiting.has(schema)) return;
    visiting.add(schema);
    for (const key of UNSUPPORTED) if (key in schema) throw unsupported(schema);
    const ref = schema.$ref;
    if (typeof ref === 'string') this.check(resolveRef(this.root, ref), visiting);
    const pattern = schema.pattern;
    if (typeof pattern === 'string' && !this.patterns.has(pattern)) {
      try {
        this.patterns.set(pattern, parseRegex(pattern));
      } catch (e) {
        if (e instanceof RegexGrammarError) throw new SchemaGrammarError(`invalid pattern ${JSON.stringify(pattern)}: ${e.message}`);
        throw e;
      }
    }
    const props = schema.properties;
    if (isObject(props)) for (const sub of Object.values(props)) this.check(sub, visiting);
    for (const key of ['items', 'additionalProperties'] as const) {
      const sub = schema[key];
      if (isObject(sub)) this.check(sub, visiting);
    }
    for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) for (const sub of list) this.check(sub, visiting);
    }
  }

  /** Draws an instance and serialises it compactly. */
  draw(rng: SplitMix64): string {
    return JSON.stringify(this.value(this.root, rng, 0));
  }

  private value(schema: Json, rng: SplitMix64, depth: number): unknown {
    if (schema === true || !isObject(schema)) return rng.pick(DICTIONARY_WORDS);
    if (typeof schema.$ref === 'string') return this.value(resolveRef(this.root, schema.$ref), rng, depth + 1);
    if ('const' in schema) return plain(schema.const as Json);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return plain(rng.pick(schema.enum));
    for (const key of ['anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) {
        return this.value(depth >= MAX_DEPTH ? (list[0] as Json) : rng.pick(list), rng, depth + 1);
      }
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return this.value(mergeAll(schema), rng, depth + 1);
    switch (typeOf(schema, rng)) {
      case 'object':
        return this.object(schema, rng, depth);
      case 'array':
        return this.array(schema, rng, depth);
      case 'string':
        return this.string(schema, rng);
      case 'integer':
        return drawNumber(schema, rng, true);
      case 'number':
        return drawNumber(schema, rng, false);
      case 'boolean':
        return rng.nextInt(2) === 1;
      case 'null':
        return null;
      default:
        return rng.pick(DICTIONARY_WORDS);
    }
  }

  private object(schema: Schema, rng: SplitMix64, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : []);
    for (const [key, sub] of Object.entries(props)) {
      const include = required.has(key) || (depth < MAX_DEPTH && rng.nextFloat() < 0.75);
      if (include) out[key] = this.value(sub, rng, depth + 1);
    }
    return out;
  }

  private array(schema: Schema, rng: SplitMix64, depth: number): unknown[] {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    const minItems = nonNegative(schema.minItems) ?? 0;
    const maxItems = nonNegative(schema.maxItems) ?? Math.max(minItems, prefix.length) + 3;
    const low = Math.max(minItems, depth >= MAX_DEPTH ? 0 : Math.min(1, maxItems));
    const count = rng.nextRange(Math.min(low, maxItems), Math.min(maxItems, low + 3));
    const out: unknown[] = [];
    for (let k = 0; k < count; k++) {
      const sub = prefix[k] ?? (schema.items === undefined || schema.items === false ? true : schema.items);
      out.push(this.value(sub, rng, depth + 1));
    }
    return out;
  }

  private string(schema: Schema, rng: SplitMix64): string {
    if (typeof schema.pattern === 'string') {
      const node = this.patterns.get(schema.pattern);
      if (node) return drawRegex(node, rng);
    }
    const format = typeof schema.format === 'string' ? drawFormat(schema.format, rng) : undefined;
    if (format !== undefined) return format;
    const minLength = nonNegative(schema.minLength) ?? 1;
    const maxLength = Math.max(minLength, nonNegative(schema.maxLength) ?? minLength + 20);
    let text = rng.pick(DICTIONARY_WORDS);
    while (text.length < minLength) text += ` ${rng.pick(DICTIONARY_WORDS)}`;
    return Array.from(text).slice(0, maxLength).join('');
  }
}

function plain(value: Json): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function nonNegative(v: Json | undefined): number | undefined {
  return typeof v === 'number' && v >= 0 ? Math.floor(v) : undefined;
}

function typeOf(schema: Schema, rng: SplitMix64): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type) && type.length > 0) return String(rng.pick(type));
  if ('properties' in schema || 'required' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema) return 'array';
  if ('pattern' in schema || 'minLength' in schema || 'maxLength' in schema || 'format' in schema) return 'string';
  if ('minimum' in schema || 'maximum' in schema) return 'number';
  return undefined;
}

function mergeAll(schema: Schema): Schema {
  const merged: Schema = {};
  const properties: Schema = {};
  const required: Json[] = [];
  for (const part of [schema, ...(schema.allOf as Json[])]) {
    if (!isObject(part)) continue;
    for (const [k, v] of Object.entries(part)) if (k !== 'allOf' && k !== 'properties' && k !== 'required') merged[k] = v;
    if (isObject(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) required.push(...part.required);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = required;
  return merged;
}

function drawNumber(schema: Schema, rng: SplitMix64, integer: boolean): number {
  const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
  const step = integer ? 1 : 0.01;
  let lo = num(schema.minimum) ?? (num(schema.exclusiveMinimum) !== undefined ? (num(schema.exclusiveMinimum) as number) + step : undefined);
  let hi = num(schema.maximum) ?? (num(schema.exclusiveMaximum) !== undefined ? (num(schema.exclusiveMaximum) as number) - step : undefined);
  lo ??= hi !== undefined ? hi - 100 : 0;
  hi ??= lo + 100;
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  if (hi < lo) hi = lo;
  const multipleOf = num(schema.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) {
    const first = Math.ceil(lo / multipleOf);
    const last = Math.max(first, Math.floor(hi / multipleOf));
    return rng.nextRange(first, Math.min(last, first + 1000)) * multipleOf;
  }
  if (integer) return rng.nextRange(lo, Math.min(hi, lo + 1_000_000));
  const value = lo + rng.nextFloat() * (hi - lo);
  return Math.min(hi, Math.max(lo, Math.round(value * 100) / 100));
}

function drawFormat(format: string, rng: SplitMix64): string | undefined {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = (): string => `20${two(rng.nextRange(0, 30))}-${two(rng.nextRange(1, 12))}-${two(rng.nextRange(1, 28))}`;
  const time = (): string => `${two(rng.nextRange(0, 23))}:${two(rng.nextRange(0, 59))}:${two(rng.nextRange(0, 59))}`;
  const hex = (n: number): string => Array.from({ length: n }, () => rng.nextInt(16).toString(16)).join('');
  switch (format) {
    case 'date-time':
      return `${date()}T${time()}Z`;
    case 'date':
      return date();
    case 'time':
      return time();
    case 'uuid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
    case 'email':
      return `${rng.pick(DICTIONARY_WORDS)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${rng.pick(DICTIONARY_WORDS)}`;
    default:
      return undefined;
  }
}

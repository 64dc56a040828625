/**
 * Loads the contract once: the spec (spec/openapi.yaml, as `npm run gen` bundles it into
 * src/generated/spec.ts), dereferenced with json-schema-ref-parser, and its component schemas
 * compiled by ajv (JSON Schema 2020-12) into validators. Raw ajv errors never leave this folder:
 * see ./findings.ts.
 */
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { spec } from '../generated/spec.js';
import { lazy } from './lazy.js';

/** The component schemas tgc validates against. */
export type SchemaName =
  | 'GenerateRequest'
  | 'CompatGenerateRequest'
  | 'GenerateResponse'
  | 'CompatGenerateResponse'
  | 'StreamResponse'
  | 'ErrorResponse'
  | 'ModelLoadingResponse'
  | 'Info';

const SCHEMA_NAMES: readonly SchemaName[] = [
  'GenerateRequest',
  'CompatGenerateRequest',
  'GenerateResponse',
  'CompatGenerateResponse',
  'StreamResponse',
  'ErrorResponse',
  'ModelLoadingResponse',
  'Info',
];

/**
 * Each schema compiled twice: `lenient` is the contract (unknown keys allowed, as servers and
 * clients ignore them: verdict-policy items 22, 23); `strict` adds `additionalProperties: false`
 * to every object schema that lists its properties, so that an unknown key can be reported as a
 * warning where the contract itself passes.
 */
export interface CompiledSchema {
  lenient: ValidateFunction;
  strict: ValidateFunction;
}

export type CompiledSchemas = Readonly<Record<SchemaName, CompiledSchema>>;

/** Keywords of OpenAPI and of tgc's own extensions, which carry no validation. */
const ANNOTATION_KEY = /^(x-.*|example|discriminator|externalDocs|xml)$/;

function stripAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripAnnotations);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATION_KEY.test(key)) continue;
    // `properties` maps names to schemas: a property may well be called `example`, keep names.
    out[key] = key === 'properties' ? mapValues(value, stripAnnotations) : stripAnnotations(value);
  }
  return out;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fn(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'properties' ? mapValues(value, closeObjects) : closeObjects(value);
  }
  if ('properties' in out && !('additionalProperties' in out) && !('patternProperties' in out)) {
    out['additionalProperties'] = false;
  }
  return out;
}

let loading: Promise<CompiledSchemas> | undefined;
/** How to compile, at once, each validator made so far and not yet compiled (see ./lazy.ts). */
const pending: (() => void)[] = [];

/** Compiles every validator of the native contract now: what `tgc run` does before its first case. */
export async function compileSchemasNow(): Promise<void> {
  const schemas = await loadSchemas();
  for (const name of SCHEMA_NAMES) void schemas[name];
  for (const compile of pending.splice(0)) compile();
}

/** Dereferences the spec and compiles every validator, once per process. */
export function loadSchemas(): Promise<CompiledSchemas> {
  loading ??= compileAll();
  return loading;
}

async function compileAll(): Promise<CompiledSchemas> {
  // ref-parser mutates its input: give it a copy of the generated constant.
  const document = (await $RefParser.dereference(structuredClone(spec) as object, {
    dereference: { circular: false },
  })) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const addFormats = addFormatsModule as unknown as { default: (a: Ajv2020) => void };
  addFormats.default(ajv);
  for (const name of SCHEMA_NAMES) {
    if (document.components.schemas[name] === undefined) {
      throw new Error(`[tgc] spec/openapi.yaml has no components.schemas.${name}`);
    }
  }
  // Compiled on first use: a command that validates only responses never pays for the others.
  const compiled = new Map<SchemaName, CompiledSchema>();
  const compile = (name: SchemaName): CompiledSchema => {
    let c = compiled.get(name);
    if (!c) {
      const clean = stripAnnotations(document.components.schemas[name]) as object;
      // `strict` is called first on every body (contract.ts run), `lenient` only when it fails.
      c = { strict: ajv.compile(closeObjects(clean) as object), lenient: lazy(() => ajv.compile(clean), pending) };
      compiled.set(name, c);
    }
    return c;
  };
  const out = {} as Record<SchemaName, CompiledSchema>;
  for (const name of SCHEMA_NAMES) Object.defineProperty(out, name, { get: () => compile(name), enumerable: true });
  return out;
}

/**
 * Loads the OpenAI-compatible contract once: spec/openai.yaml (as `npm run gen` bundles it into
 * src/generated/openai-spec.ts), dereferenced with json-schema-ref-parser, with the properties
 * marked `x-tgc-judged-by` left open, and its component schemas compiled by ajv (JSON Schema
 * 2020-12) into lenient/strict pairs, each compiled on first use. Raw ajv errors never leave
 * src/contract: see ../findings.ts.
 */
import $RefParser from '@apidevtools/json-schema-ref-parser';
import type { ErrorObject } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { openaiSpec } from '../../generated/openai-spec.js';
import type { CompiledSchema } from '../schemas.js';
import { lazy } from '../lazy.js';
import { compileApart } from './apart.js';
import { discriminate, oneOfsDisjoint } from './discriminate.js';

/** The component schemas the OpenAI contract validates against. */
export type OpenAISchemaName =
  | 'ChatCompletionRequest'
  | 'CompletionRequest'
  | 'ChatCompletion'
  | 'ChatCompletionChunk'
  | 'Completion'
  | 'CompletionChunk'
  | 'ModelList';

const SCHEMA_NAMES: readonly OpenAISchemaName[] = [
  'ChatCompletionRequest',
  'CompletionRequest',
  'ChatCompletion',
  'ChatCompletionChunk',
  'Completion',
  'CompletionChunk',
  'ModelList',
];

export type CompiledOpenAISchemas = Readonly<Record<OpenAISchemaName, CompiledSchema>>;

/** The extension that hands a property's value to a dedicated check (spec/NOTES-openai.md OA3). */
export const JUDGED_BY = 'x-tgc-judged-by';

/** Keywords of OpenAPI and of tgc's own extensions, which carry no validation. */
const ANNOTATION_KEY = /^(x-.*|example|discriminator|externalDocs|xml)$/;

/** Keywords whose value maps names to schemas (a property may be called `example` or `x-…`). */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs']);

/**
 * A copy of a dereferenced schema in which every property marked `x-tgc-judged-by` is `true`
 * (any value) and no longer `required` (its check owns "missing" too: one departure, one
 * finding), and every annotation is gone. Functional: ref-parser shares one object per `$ref`
 * target, which must not be edited in place.
 */
export function relaxAndStrip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relaxAndStrip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATION_KEY.test(key)) continue;
    if (NAME_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, isJudged(sub) ? true : relaxAndStrip(sub)]),
      );
    } else {
      out[key] = relaxAndStrip(value);
    }
  }
  const properties = (node as Record<string, unknown>)['properties'];
  if (Array.isArray(out['required']) && properties !== null && typeof properties === 'object') {
    const judged = new Set(Object.entries(properties).filter(([, sub]) => isJudged(sub)).map(([name]) => name));
    out['required'] = (out['required'] as unknown[]).filter((name) => typeof name !== 'string' || !judged.has(name));
  }
  return out;
}

function isJudged(schema: unknown): boolean {
  return schema !== null && typeof schema === 'object' && JUDGED_BY in schema;
}

/** As ../schemas.ts closeObjects: `additionalProperties: false` on every object that lists its properties. */
export function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      NAME_MAPS.has(key) && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeObjects(v)]))
        : closeObjects(value);
  }
  if ('properties' in out && !('additionalProperties' in out) && !('patternProperties' in out)) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** The dereferenced document, once per process (the schema compile test reads it too). */
let dereferenced: Promise<{ components: { schemas: Record<string, unknown> } }> | undefined;

export function dereferencedOpenAISpec(): Promise<{ components: { schemas: Record<string, unknown> } }> {
  // ref-parser mutates its input: give it a copy of the generated constant.
  dereferenced ??= $RefParser.dereference(structuredClone(openaiSpec) as object, {
    dereference: { circular: false },
  }) as Promise<{ components: { schemas: Record<string, unknown> } }>;
  return dereferenced;
}

/** A new ajv instance as the contract uses it (`discriminator` for the fast validators below). */
export function newAjv(options: { discriminator?: boolean } = {}): Ajv2020 {
  return new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, ...options });
}

let loading: Promise<CompiledOpenAISchemas> | undefined;
/** How to compile, at once, each validator made so far and not yet compiled (see ../lazy.ts). */
const pending: (() => void)[] = [];

/** Compiles every validator of the OpenAI-compatible contract now: what `tgc run` does before its first case. */
export async function compileOpenAISchemasNow(): Promise<void> {
  const schemas = await loadOpenAISchemas();
  for (const name of SCHEMA_NAMES) void schemas[name];
  for (const compile of pending.splice(0)) compile();
}

/** Dereferences spec/openai.yaml and prepares every validator (compiled on first use), once per process. */
export function loadOpenAISchemas(): Promise<CompiledOpenAISchemas> {
  loading ??= compileAll();
  return loading;
}

async function compileAll(): Promise<CompiledOpenAISchemas> {
  const document = await dereferencedOpenAISpec();
  for (const name of SCHEMA_NAMES) {
    if (document.components.schemas[name] === undefined) {
      throw new Error(`[tgc] spec/openai.yaml has no components.schemas.${name}`);
    }
  }
  // The schemas as given have no `discriminator` keyword (relaxAndStrip drops the annotation), so
  // the option changes nothing for them; only the fast copies of ./discriminate.ts carry one.
  const ajv = newAjv({ discriminator: true });
  const compiled = new Map<OpenAISchemaName, CompiledSchema>();
  const compile = (name: OpenAISchemaName): CompiledSchema => {
    let c = compiled.get(name);
    if (!c) {
      const clean = relaxAndStrip(document.components.schemas[name]) as object;
      const closed = closeObjects(clean) as object;
      // `strict` is called first on every body (contract.ts run), `lenient` only when it fails.
      const strict = dispatched(ajv, closed, pending);
      const lenient = dispatched(ajv, clean, pending);
      const pair = oneOfsDisjoint(clean) ? unknownKeysOnly(strict, lenient) : { strict, lenient };
      c = { strict: withErrors(pair.strict, keepMatchingBranches), lenient: withErrors(pair.lenient, pruneDiscriminated) };
      compiled.set(name, c);
    }
    return c;
  };
  const out = {} as Record<OpenAISchemaName, CompiledSchema>;
  for (const name of SCHEMA_NAMES) Object.defineProperty(out, name, { get: () => compile(name), enumerable: true });
  return out;
}

/**
 * A validator of `schema` that gives ajv's answer and errors for `schema` exactly, cheaper: it
 * first runs a copy in which every oneOf told apart by a tag (a message by `role`) dispatches on
 * the tag (./discriminate.ts) instead of trying every branch. The copy accepts the same values; on
 * a value it rejects, its errors are those of `schema` unless one lies under a dispatched oneOf
 * (there a oneOf that passed left no error in either), and then `schema` itself is run.
 */
export function dispatched(ajv: Ajv2020, schema: object, pending?: (() => void)[]): ValidateFunction {
  const fast = discriminate(schema);
  // Large subschemas in functions of their own (./apart.ts): the chat request compiled whole is
  // too large for V8 to optimise. Same answers and errors as ajv.compile.
  const full = lazy(() => compileApart(ajv, schema), pending);
  if (fast.regions.length === 0) return full;
  const quick = lazy(() => compileApart(ajv, fast.schema as object), pending);
  const regions = fast.regions.map((r) => `${r}/`);
  const inRegion = (e: ErrorObject): boolean => regions.some((r) => e.schemaPath.startsWith(r));
  const call = ((data: unknown) => {
    if (quick(data)) {
      call.errors = null;
      return true;
    }
    const errors = quick.errors ?? [];
    if (!errors.some(inRegion)) {
      call.errors = errors;
      return false;
    }
    const ok = full(data);
    call.errors = full.errors;
    return ok;
  }) as ValidateFunction;
  return call;
}

/**
 * The pair, with `lenient` answering at once for the value `strict` last rejected for unknown
 * keys alone (every error `additionalProperties`): `strict` is `lenient` with objects closed, and
 * where every oneOf's branches exclude each other (oneOfsDisjoint) and no failed oneOf/anyOf is
 * among the errors, every other keyword passed, so `lenient` accepts the value: what ajv would
 * answer, without validating it again. Recordings with unknown keys take this path every time.
 */
function unknownKeysOnly(strict: ValidateFunction, lenient: ValidateFunction): CompiledSchema {
  let open: { value: unknown } | undefined;
  const s = ((data: unknown) => {
    const ok = strict(data);
    open = !ok && strict.errors?.every((e) => e.keyword === 'additionalProperties') ? { value: data } : undefined;
    s.errors = strict.errors;
    return ok;
  }) as ValidateFunction;
  const l = ((data: unknown) => {
    if (open !== undefined && open.value === data) {
      open = undefined;
      l.errors = null;
      return true;
    }
    open = undefined;
    const ok = lenient(data);
    l.errors = lenient.errors;
    return ok;
  }) as ValidateFunction;
  return { strict: s, lenient: l };
}

/** `fn` with its errors rewritten by `rewrite` after each call. */
function withErrors(fn: ValidateFunction, rewrite: (errors: ErrorObject[]) => ErrorObject[]): ValidateFunction {
  const call = ((data: unknown) => {
    const ok = fn(data);
    call.errors = fn.errors ? rewrite(fn.errors) : fn.errors;
    return ok;
  }) as ValidateFunction;
  return call;
}

/** The errors under each branch of a oneOf/anyOf error, by branch index. */
function branches(errors: readonly ErrorObject[], o: ErrorObject): Map<string, ErrorObject[]> {
  const prefix = `${o.schemaPath}/`;
  const byBranch = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e === o || !e.schemaPath.startsWith(prefix)) continue;
    const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
  }
  return byBranch;
}

/** Whether some error is a oneOf/anyOf one (else the rewrites below leave the errors as they are). */
function hasAlternative(errors: readonly ErrorObject[]): boolean {
  for (let i = 0; i < errors.length; i++) {
    const k = (errors[i] as ErrorObject).keyword;
    if (k === 'oneOf' || k === 'anyOf') return true;
  }
  return false;
}

/** oneOf/anyOf errors, deepest schema first (inner alternatives are settled before outer ones). */
function alternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
}

/**
 * Strict errors, for the unknown-field warnings: under a failed oneOf/anyOf, a branch whose only
 * errors are `additionalProperties` is the one the value matches (leniently); the errors of the
 * other branches (for example "unknown field `name`" from the tool-message branch of a user
 * message) say nothing about the value and are dropped.
 */
function keepMatchingBranches(errors: ErrorObject[]): ErrorObject[] {
  // Most failures (unknown keys) have no alternative among them: nothing to drop, no copy made.
  if (!hasAlternative(errors)) return errors;
  let out = [...errors];
  for (const o of alternatives(errors)) {
    if (!out.includes(o)) continue;
    const byBranch = branches(out, o);
    const matching = [...byBranch.values()].filter((es) => es.every((e) => e.keyword === 'additionalProperties'));
    if (matching.length === 0) continue;
    const keep = new Set(matching.flat());
    const drop = new Set([...byBranch.values()].flat().filter((e) => !keep.has(e)));
    out = out.filter((e) => !drop.has(e));
  }
  return out;
}

/**
 * Lenient errors, so that a finding names the field that is wrong rather than the alternative
 * around it. Under a failed oneOf/anyOf, drop the branches the value was not meant for: those
 * whose `type` is not the value's (the `null` of `anyOf: [Usage, null]`), and those whose `role`
 * enum does not match (a message is told apart by `role`; ../findings.ts handles `type`
 * discriminators). Where one branch remains, its errors stand for the alternative's.
 */
function pruneDiscriminated(errors: ErrorObject[]): ErrorObject[] {
  if (!hasAlternative(errors)) return errors;
  let out = [...errors];
  for (const o of alternatives(errors)) {
    // A oneOf that failed because several branches passed: no branch's errors explain it.
    if (!out.includes(o) || (o.keyword === 'oneOf' && o.params['passingSchemas'] != null)) continue;
    const byBranch = branches(out, o);
    const notMeant = (es: ErrorObject[]) =>
      es.some(
        (e) =>
          (e.keyword === 'type' && e.instancePath === o.instancePath) ||
          (e.instancePath === `${o.instancePath}/role` && (e.keyword === 'enum' || e.keyword === 'const')),
      );
    const meant = [...byBranch.values()].filter((es) => !notMeant(es));
    const typeAt = (es: ErrorObject[]) => es.find((e) => e.keyword === 'type' && e.instancePath === o.instancePath);
    const types = [...byBranch.values()].map(typeAt);
    if (meant.length === 0 && types.every((t) => t !== undefined)) {
      // The value has none of the alternatives' types (`stop: 5`): one type error says so.
      const allowed = types.flatMap((t) => String(t?.params['type'] ?? '').split(',')).filter((t) => t !== '');
      const merged: ErrorObject = {
        ...(types[0] as ErrorObject),
        schemaPath: o.schemaPath,
        params: { type: allowed.join(',') },
        message: `must be ${allowed.join(' or ')}`,
      };
      const under = new Set([...byBranch.values()].flat());
      out = out.flatMap((e) => (e === o ? [merged] : under.has(e) ? [] : [e]));
      continue;
    }
    const roleAt = (es: ErrorObject[]) => es.find((e) => e.keyword === 'enum' && e.instancePath === `${o.instancePath}/role`);
    const roles = [...byBranch.values()].map(roleAt);
    if (meant.length === 0 && roles.every((r) => r !== undefined)) {
      // No alternative has this role (`role: "wizard"`): one enum error lists the roles.
      const allowed = roles.flatMap((r) => (r?.params['allowedValues'] as unknown[] | undefined) ?? []);
      const merged: ErrorObject = {
        ...(roles[0] as ErrorObject),
        schemaPath: o.schemaPath,
        params: { allowedValues: allowed },
        message: 'must be equal to one of the allowed values',
      };
      const under = new Set([...byBranch.values()].flat());
      out = out.flatMap((e) => (e === o ? [merged] : under.has(e) ? [] : [e]));
      continue;
    }
    if (meant.length !== 1) continue;
    const keep = new Set(meant[0]);
    const under = new Set([...byBranch.values()].flat());
    out = out.filter((e) => e !== o && (!under.has(e) || keep.has(e)));
  }
  return out;
}

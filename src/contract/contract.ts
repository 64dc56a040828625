/**
 * The contract as functions: each takes a parsed body (exactly parsed, see core/json.ts) and
 * returns typed findings plus, when the body conforms, the body under its API type.
 */
import type { ErrorBody, GenerateRequest, GenerateResponse, StreamEvent } from '../core/api.js';
import type { RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { ErrorObject } from 'ajv';
import { approximateShared, type ExactJson } from '../core/json.js';
import { ajvErrorsToFindings } from './findings.js';
import { loadSchemas, type CompiledSchema, type CompiledSchemas } from './schemas.js';

export type BodyShape = 'object' | 'array' | 'either';

export interface Validated<T> {
  findings: Finding[];
  /** Present when the value honours the contract (warnings allowed). */
  value?: T;
}

export const CHECK_REQUEST_SCHEMA = 'request-schema';
export const CHECK_RESPONSE_SCHEMA = 'response-schema';
export const CHECK_STREAM_EVENT_SCHEMA = 'stream-event-schema';
export const CHECK_ERROR_BODY_SCHEMA = 'error-body-schema';

const U64_MAX = 2n ** 64n - 1n;

/** Fields TGI omits when empty; a null there is read the same by clients, so only a warning. */
const NULL_AS_OMITTED_RESPONSE = ['details', 'details/top_tokens', 'details/best_of_sequences'];
const NULL_AS_OMITTED_EVENT = ['top_tokens'];

/** The f32 parameters (tgi-behavior §2a): servers round them before checking their bounds. */
const F32_PARAMETERS = ['temperature', 'top_p', 'typical_p', 'repetition_penalty', 'frequency_penalty'];

/**
 * The body-validating methods take an optional `bigIntFree`: the caller knows the body holds no
 * bigint (core/json.ts parseJson said so), which spares a walk over it. Without it, they look.
 */
export interface Contract {
  /** A request body, as a client sends it. Unknown keys give warnings (verdict-policy item 22). */
  request(body: ExactJson, route: RouteName, bigIntFree?: boolean): Validated<GenerateRequest>;
  /**
   * Whether a server must reject this body whatever its settings: the schema, judged after the
   * f32 rounding servers apply (verdict-policy item 1). Returns the reasons, empty when valid.
   */
  requestSchemaReasons(body: ExactJson, route: RouteName): Finding[];
  /** A non-stream 2xx body. */
  response(body: ExactJson, shape: BodyShape, bigIntFree?: boolean): Validated<GenerateResponse>;
  /**
   * One SSE event's parsed data: a token event or an error event. `bigIntFree`: the caller knows
   * the data holds no bigint (parseJson said so), which spares a walk over it.
   */
  streamEvent(data: ExactJson, event: number, bigIntFree?: boolean): Validated<StreamEvent> & { error?: ErrorBody };
  /** The JSON body of an error status. */
  errorBody(body: ExactJson, bigIntFree?: boolean): Validated<ErrorBody>;
  /** The seed document's model-loading 503 body. */
  modelLoading(body: ExactJson): Validated<{ error: string; estimated_time: number }>;
}

let cached: Promise<Contract> | undefined;

/** Loads and compiles the contract once per process. */
export function loadContract(): Promise<Contract> {
  cached ??= loadSchemas().then(createContract);
  return cached;
}

function createContract(schemas: CompiledSchemas): Contract {
  // Read once: each property of `schemas` is a getter that compiles on first use.
  let streamResponse: CompiledSchema | undefined;
  return {
    request(body, route, bigIntFree) {
      const schema = route === 'POST /' ? schemas.CompatGenerateRequest : schemas.GenerateRequest;
      return run<GenerateRequest>(schema, body, CHECK_REQUEST_SCHEMA, 'request body', '', [], bigIntFree);
    },
    requestSchemaReasons(body, route) {
      const schema = route === 'POST /' ? schemas.CompatGenerateRequest : schemas.GenerateRequest;
      const rounded = roundF32Parameters(body);
      return run(schema, rounded, 'negative-data-rejection', 'request body', '', []).findings.filter(
        (f) => f.severity === 'violation',
      );
    },
    response(body, shape, bigIntFree) {
      if (Array.isArray(body)) {
        if (shape === 'object') {
          return {
            findings: [
              finding(CHECK_RESPONSE_SCHEMA, 'shape:array-instead-of-object', '', 'response is an array',
                'this route returns a GenerateResponse object; got an array (TGI wraps only on POST /)'),
            ],
          };
        }
        if (body.length !== 1) {
          return {
            findings: [
              finding(CHECK_RESPONSE_SCHEMA, 'shape:array-length', '', 'response array must hold exactly one element',
                `POST / returns a one-element array (TGI server.rs S:149); got ${body.length} elements`),
            ],
          };
        }
        return run<GenerateResponse>(schemas.GenerateResponse, body[0] ?? null, CHECK_RESPONSE_SCHEMA, 'response',
          '', NULL_AS_OMITTED_RESPONSE, bigIntFree);
      }
      if (shape === 'array') {
        return {
          findings: [
            finding(CHECK_RESPONSE_SCHEMA, 'shape:object-instead-of-array', '', 'response is not an array',
              'POST / returns a one-element array [GenerateResponse] (TGI server.rs S:149); got a bare object'),
          ],
        };
      }
      return run<GenerateResponse>(schemas.GenerateResponse, body, CHECK_RESPONSE_SCHEMA, 'response', '',
        NULL_AS_OMITTED_RESPONSE, bigIntFree);
    },
    streamEvent(data, event, bigIntFree) {
      const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
      const isError = isObject && 'error' in data;
      if (!isError && bigIntFree === true && isObject && data['top_tokens'] !== null) {
        // The common event, with run()'s own outcome: nothing to drop (no null top_tokens), no
        // bigint to settle, and a body the strict schema accepts is valid without a finding.
        // Otherwise run() decides (and calls `strict` again: ajv answers the same).
        const schema = (streamResponse ??= schemas.StreamResponse);
        if (schema.strict(data)) return { findings: [], value: data as unknown as StreamEvent };
      }
      if (isError) {
        const r = run<ErrorBody>(schemas.ErrorResponse, data, CHECK_STREAM_EVENT_SCHEMA, 'stream error event', '', [], bigIntFree);
        for (const f of r.findings) f.event = event;
        return r.value ? { findings: r.findings, error: r.value } : { findings: r.findings };
      }
      const r = run<StreamEvent>(schemas.StreamResponse, data, CHECK_STREAM_EVENT_SCHEMA, 'stream event', '',
        NULL_AS_OMITTED_EVENT, bigIntFree);
      for (const f of r.findings) f.event = event;
      return r;
    },
    errorBody(body, bigIntFree) {
      return run<ErrorBody>(schemas.ErrorResponse, body, CHECK_ERROR_BODY_SCHEMA, 'error body', '', [], bigIntFree);
    },
    modelLoading(body) {
      return run(schemas.ModelLoadingResponse, body, CHECK_ERROR_BODY_SCHEMA, 'model-loading body', '', []);
    },
  };
}

function finding(check: string, kind: string, pointer: string, title: string, message: string): Finding {
  return { check, severity: 'violation', kind, title, message, pointer };
}

/**
 * Validates `input` against a compiled lenient/strict pair: violations from `lenient`, unknown
 * keys as `unknown-field:` warnings from `strict`, u64 `seed`s checked exactly and other bigints
 * made numbers. Exported for the OpenAI-compatible contract (./openai/contract.ts).
 */
export { run as validateWith };

function run<T>(
  schema: CompiledSchema,
  input: ExactJson,
  check: string,
  what: string,
  prefix: string,
  nullAsOmitted: readonly string[],
  bigIntFree = false,
  violations = true,
  strictFailed = false,
): Validated<T> {
  const findings: Finding[] = [];
  const body = dropNullsAsOmitted(input, nullAsOmitted, check, what, prefix, findings);
  // dropNullsAsOmitted only removes keys (from a copy): a bigint-free input stays bigint-free.
  // Otherwise one walk: the body itself when it holds no bigint, else a copy of the paths to them.
  const approx = bigIntFree ? body : (approximateShared(body) as ExactJson);
  const hasBigInt = approx !== body;
  // `strict` only closes objects (schemas.ts closeObjects), and every oneOf of the spec is told
  // apart by `type` or an enum, so a body `strict` accepts `lenient` accepts too: a conforming
  // body without unknown keys is validated once.
  // `strictFailed`: the caller has just called `schema.strict` on this very input (bigint-free,
  // no null-as-omitted path) and it returned false; its errors stand (validated once, not twice).
  const strictOk = strictFailed && approx === input ? false : schema.strict(approx);
  // Without violations wanted, a strict error that `lenient` must repeat settles it: no second run.
  if (!strictOk && !violations && lenientMustFail(schema.strict.errors)) return { findings };
  // A body whose only departures from `strict` are unknown keys outside any alternative is one
  // `lenient` accepts: no second run (lenientMustPass says why).
  if (!strictOk && !lenientMustPass(schema.strict.errors) && !schema.lenient(approx)) {
    // `violations: false`: the caller keeps only warnings, and an invalid body has none but those above.
    if (violations) findings.push(...ajvErrorsToFindings(schema.lenient.errors, check, 'violation', what, prefix));
    return { findings };
  }
  let settled = body;
  if (hasBigInt) {
    const r = settleBigInts(body, check, what, prefix);
    settled = r.value;
    findings.push(...r.findings);
  }
  if (findings.length > 0 && findings.some((f) => f.severity === 'violation')) return { findings };
  if (!strictOk) {
    const unknown = schema.strict.errors?.filter((e) => e.keyword === 'additionalProperties');
    for (const f of unknownFieldFindings(unknown, check, what, prefix)) findings.push(f);
  }
  return { findings, value: settled as T };
}

/**
 * The `unknown-field:` warnings of `additionalProperties` errors. They depend only on where each
 * unknown key is (instance and schema paths, the key), so the findings of a list of keys met
 * before are copied rather than made again: a stream repeats the same unknown keys on every chunk.
 * The few lists met last are found by comparing their fields (no key string built per call);
 * others by a key string.
 */
const unknownFieldCache = new Map<string, readonly Finding[]>();

interface RecentUnknownFields {
  check: string;
  what: string;
  prefix: string;
  /** instancePath, key, schemaPath of each error, in order. */
  fields: readonly unknown[];
  made: readonly Finding[];
}

/** The lists met last, the newest first (at most RECENT_UNKNOWN_FIELDS). */
const recentUnknownFields: RecentUnknownFields[] = [];
const RECENT_UNKNOWN_FIELDS = 8;

function sameUnknownFields(r: RecentUnknownFields, errors: readonly ErrorObject[], check: string, what: string, prefix: string): boolean {
  if (r.check !== check || r.what !== what || r.prefix !== prefix || r.fields.length !== errors.length * 3) return false;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as ErrorObject;
    if (r.fields[3 * i] !== e.instancePath || r.fields[3 * i + 1] !== e.params['additionalProperty'] || r.fields[3 * i + 2] !== e.schemaPath) return false;
  }
  return true;
}

function unknownFieldFindings(errors: readonly ErrorObject[] | undefined, check: string, what: string, prefix: string): Finding[] {
  if (!errors || errors.length === 0) return [];
  let made: readonly Finding[] | undefined;
  for (let i = 0; i < recentUnknownFields.length; i++) {
    const r = recentUnknownFields[i] as RecentUnknownFields;
    if (sameUnknownFields(r, errors, check, what, prefix)) {
      made = r.made;
      break;
    }
  }
  if (made === undefined) {
    let key = `${check}\u0000${what}\u0000${prefix}`;
    const fields: unknown[] = [];
    for (const e of errors) {
      // Lengths first: a key of the body may hold any character, U+0000 included.
      const name = String(e.params['additionalProperty']);
      key += `\u0000${e.instancePath.length}:${e.instancePath}${name.length}:${name}\u0000${e.schemaPath}`;
      fields.push(e.instancePath, e.params['additionalProperty'], e.schemaPath);
    }
    made = unknownFieldCache.get(key);
    if (made === undefined) {
      made = ajvErrorsToFindings(errors, check, 'warning', what, prefix).map((f) => ({
        ...f,
        kind: f.kind.replace(/^additionalProperties:/, 'unknown-field:'),
      }));
      if (unknownFieldCache.size >= 512) unknownFieldCache.clear();
      unknownFieldCache.set(key, made);
    }
    recentUnknownFields.unshift({ check, what, prefix, fields, made });
    if (recentUnknownFields.length > RECENT_UNKNOWN_FIELDS) recentUnknownFields.pop();
  }
  // Copies: callers add to a finding (its event).
  const out: Finding[] = [];
  for (let i = 0; i < made.length; i++) out.push({ ...(made[i] as Finding) });
  return out;
}

/** Keywords whose outcome can differ between `strict` and `lenient` on the same value. */
const OPEN_DEPENDENT = new Set(['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'contains', 'discriminator']);
/** A schema path through a subschema whose failure need not fail the whole (or that `strict` may reach differently). */
const UNDER_ALTERNATIVE = /\/(?:oneOf|anyOf|allOf|not|if|then|else|contains|discriminator|mapping)(?:\/|$)/;

/**
 * True when `strict`'s errors show that `lenient` rejects the value too: `strict` is `lenient`
 * with objects closed (schemas.ts closeObjects adds only `additionalProperties: false`), and
 * ajv (allErrors) evaluates every keyword outside an alternative on the same data in both, so
 * an error of another keyword, on a path through no alternative, is `lenient`'s too.
 */
function lenientMustFail(errors: readonly ErrorObject[] | null | undefined): boolean {
  if (!errors) return false;
  for (const e of errors) {
    if (!OPEN_DEPENDENT.has(e.keyword) && !UNDER_ALTERNATIVE.test(e.schemaPath)) return true;
  }
  return false;
}

/**
 * True when `strict`'s errors show that `lenient` accepts the value: every error is an unknown key
 * (`additionalProperties`, the only keyword `strict` adds: schemas.ts closeObjects) on a path
 * through no alternative. ajv (allErrors) evaluates every other keyword outside an alternative on
 * the same data in both, and they passed; an alternative that failed would have left its own
 * error (`oneOf`, `anyOf`, …), so each passed in `strict` with some branch, which passes in
 * `lenient` too (a branch with its objects opened accepts more), and no second branch can match
 * there because every oneOf of the specs is told apart by `type` or an enum (the same ground as
 * a `strict` pass standing for a `lenient` one, in run). No schema of the specs uses `not`,
 * `unevaluated*` or `if`, whose outcome opening an object could turn. The differential test
 * (unknown-keys.test.ts) holds it against `lenient` itself on recorded and mutated bodies.
 * @internal exported for that test
 */
export function lenientMustPass(errors: readonly ErrorObject[] | null | undefined): boolean {
  if (!errors || errors.length === 0) return false;
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties' || UNDER_ALTERNATIVE.test(e.schemaPath)) return false;
  }
  return true;
}

// Each list of paths as its split segments, found by the list's identity: the contracts pass a
// few constant lists, so a short linear search beats a string-keyed lookup per path per body.
const splitLists: { paths: readonly string[]; parts: readonly (readonly string[])[] }[] = [];

/** `a/b/c` as its segments, for each path of the list; split once per (constant) list. */
function splitPaths(paths: readonly string[]): readonly (readonly string[])[] {
  for (let i = 0; i < splitLists.length; i++) {
    const known = splitLists[i] as (typeof splitLists)[number];
    if (known.paths === paths) return known.parts;
  }
  const parts = paths.map((path) => path.split('/'));
  if (splitLists.length < 32) splitLists.push({ paths, parts });
  return parts;
}

/** Removes `null` at the given paths (which TGI omits instead), with a warning each. */
function dropNullsAsOmitted(
  input: ExactJson,
  paths: readonly string[],
  check: string,
  what: string,
  prefix: string,
  findings: Finding[],
): ExactJson {
  if (paths.length === 0 || input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  let copy: Record<string, ExactJson> | undefined;
  const split = splitPaths(paths);
  for (let k = 0; k < paths.length; k++) {
    const path = paths[k] as string;
    const parts = split[k] as readonly string[];
    const last = parts[parts.length - 1] ?? '';
    let parent: ExactJson | undefined = copy ?? input;
    for (let i = 0; i < parts.length - 1; i++) {
      parent = parent !== null && typeof parent === 'object' && !Array.isArray(parent) ? parent[parts[i] ?? ''] : undefined;
    }
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || parent[last] !== null) continue;
    if (!(last in parent)) continue;
    copy ??= structuredClone(input) as Record<string, ExactJson>;
    let target: ExactJson | undefined = copy;
    for (let i = 0; i < parts.length - 1; i++) target = (target as Record<string, ExactJson>)[parts[i] ?? ''];
    delete (target as Record<string, ExactJson>)[last];
    const pointer = `${prefix}/${path}`;
    findings.push({
      check,
      severity: 'warning',
      kind: `null-instead-of-omitted:/${path}`,
      title: `${what}: null where TGI omits the field`,
      message: `${what} has ${pointer}: null; TGI omits this field when it is empty (skip_serializing_if); clients read both the same`,
      pointer,
    });
  }
  return copy ?? input;
}

/** JSON Schema sees bigints as approximate numbers; u64 bounds are checked exactly here (`value` holds a bigint). */
/**
 * The only u64 fields of the API are named `seed` (request, details, best_of sequences, stream
 * details): there a bigint is kept exact and its range checked exactly (JSON Schema saw an
 * approximation). Anywhere else a long integer literal is a float written without an exponent
 * (JavaScript writes -7.37e19 as -73705340000000000000) or an integer the schema already bounded:
 * it becomes a number, so that checks never meet a bigint where the API has a float.
 */
function settleBigInts(value: ExactJson, check: string, what: string, prefix: string): { value: ExactJson; findings: Finding[] } {
  const findings: Finding[] = [];
  // The keys from the body to the value at hand; a pointer is written only for a finding.
  const path: string[] = [];
  const pointerHere = (): string => {
    let pointer = prefix;
    for (let i = 0; i < path.length; i++) pointer += `/${path[i] as string}`;
    return pointer;
  };
  // Copy on write: an object or array is copied only when a value under it changes (a bigint
  // that is not a seed becomes a number); the rest, u64 seeds included, is the body's own.
  const walk = (v: ExactJson, key: string): ExactJson => {
    if (typeof v === 'bigint') {
      if (key !== 'seed') return Number(v);
      if (v < 0n || v > U64_MAX) {
        const pointer = pointerHere();
        findings.push({
          check,
          severity: 'violation',
          kind: `u64-range:${pointer.replace(/\/\d+(?=\/|$)/g, '/*')}`,
          title: `${what}: integer outside the u64 range`,
          message: `${what} at ${pointer} is ${v}, outside 0..${U64_MAX}`,
          pointer,
        });
      }
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: ExactJson[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = v[i] as ExactJson;
        if (typeof x !== 'bigint' && (x === null || typeof x !== 'object')) continue;
        path.push(String(i));
        const y = walk(x, '');
        path.pop();
        if (y !== x) {
          out ??= v.slice();
          out[i] = y;
        }
      }
      return out ?? v;
    }
    // A copy's own "__proto__" would be set as an assignment (as the copy always was), so such an
    // object is copied whatever happens under it.
    let out: Record<string, ExactJson> | undefined = Object.hasOwn(v, '__proto__') ? {} : undefined;
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const x = v[k] as ExactJson;
      let y = x;
      if (typeof x === 'bigint' || (x !== null && typeof x === 'object')) {
        path.push(k);
        y = walk(x, k);
        path.pop();
      }
      if (out === undefined && y !== x) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j] as string] = v[keys[j] as string] as ExactJson;
      }
      if (out !== undefined) out[k] = y;
    }
    return out ?? v;
  };
  return { value: walk(value, ''), findings };
}

function roundF32Parameters(body: ExactJson): ExactJson {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const parameters = body['parameters'];
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return body;
  const rounded: Record<string, ExactJson> = { ...parameters };
  for (const name of F32_PARAMETERS) {
    const v = rounded[name];
    if (typeof v === 'number') rounded[name] = Math.fround(v);
  }
  return { ...body, parameters: rounded };
}

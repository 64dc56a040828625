/**
 * JSON Schema validation for the meaning checks (tool `parameters`, `response_format`'s
 * `json_schema.schema`), in pure code: ajv's 2020-12 build, compiled lazily and cached by the
 * schema's text (`_internals/schema-cache.ts`, as grammar-adherence does). A schema ajv cannot
 * compile is reported as a reason (the sub-rule is then not judged); nothing here throws.
 *
 * A small schema (`isSimple`: most that requests carry) is not compiled up front: values are
 * first tested by `_internals/simple-schema.ts`'s interpreter, whose yes is ajv's yes, and only a
 * value it does not pass is given to ajv (compiled then, and cached), which decides and words the
 * error. `isSimple` holds only for schemas ajv compiles, so the answers are ajv's, as before,
 * without compiling a validator per schema (about a millisecond each, and the meta-schema, 30 to
 * 120 ms, on the first) when every value passes.
 */
import { toApproximate } from '../../../core/json.js';
import { createSchemaCache, type Compiled } from '../../_internals/schema-cache.js';
import { isSimple, satisfies } from '../../_internals/simple-schema.js';

/** `undefined` when the value satisfies the schema, else the first error in words. */
export type SchemaTest = (value: unknown) => string | undefined;

const schemaCache = createSchemaCache();

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A test of values against `schema`, or the reason it cannot be judged. */
export function schemaTest(schema: unknown): SchemaTest | { reason: string } {
  const approx = toApproximate(schema);
  if (typeof approx === 'boolean') return approx ? () => undefined : () => 'the schema is `false`: nothing satisfies it';
  if (typeof approx !== 'object' || approx === null || Array.isArray(approx)) return { reason: 'the schema is not a JSON object' };
  // The meta-schema reference may name another draft, and an `$id` shared by two schemas would
  // make ajv refuse the second one: both are dropped at the root.
  const { $schema: _draft, $id: _id, ...rest } = approx as Record<string, unknown>;
  let key: string;
  try {
    key = JSON.stringify(rest);
  } catch (e) {
    return { reason: `the schema cannot be serialised (${describeError(e)})` };
  }
  if (schemaCache.peek(key) === undefined && isSimple(rest)) {
    // Compiled only when a value fails the interpreter; isSimple holds only for schemas that compile.
    return (value) => {
      const instance = toApproximate(value);
      if (satisfies(rest, instance)) return undefined;
      const fn = schemaCache.compile(key, rest);
      return typeof fn === 'function' ? ajvTest(fn, instance) : undefined;
    };
  }
  const fn = schemaCache.compile(key, rest);
  if (typeof fn !== 'function') return { reason: `the JSON Schema does not compile (${fn.error})` };
  return (value) => ajvTest(fn, toApproximate(value));
}

/** ajv's answer for an instance (already approximated): undefined when it passes, else its first error in words. */
function ajvTest(fn: Exclude<Compiled, { error: string }>, instance: unknown): string | undefined {
  try {
    if (fn(instance)) return undefined;
    const first = fn.errors?.[0];
    return first === undefined ? 'it does not satisfy the schema' : `${first.instancePath || '/'} ${first.message ?? 'is not valid'}`;
  } catch {
    return undefined; // a validator that breaks judges nothing
  }
}

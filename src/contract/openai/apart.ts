/**
 * Compiles a schema with its large subschemas in functions of their own, answering exactly as
 * `ajv.compile(schema)` does: the same boolean and the same errors (paths, keywords, params,
 * messages, order).
 *
 * Why: ajv compiles a dereferenced schema (no `$ref`) into one function. For the chat request
 * (`messages` alone is five roles, each with content parts, tool calls…) that function is about
 * 150 kB of source, over V8's limit for optimising a function (--max-optimized-bytecode-size,
 * 60 KiB of bytecode): it ran interpreted on every request, about 2.5× slower than optimised.
 *
 * How: each subschema under `properties/<name>` or `items` whose JSON is longer than
 * {@link APART_MIN_CHARS} is replaced by a keyword, {@link APART_KEYWORD}, whose value names the
 * subschema compiled apart (recursively, the same way). At validation ajv calls the keyword where
 * it would have run the subschema's inlined code, with the same data and instance path, and
 * appends the keyword's errors where the inlined code would have pushed them: the order stands.
 * ajv then sets each such error's `schemaPath` to the keyword's own path; the path the error had
 * under the subschema, prefixed by where the subschema stood, is noted before and put back after
 * the call, so that errors read as if the schema had been compiled whole.
 *
 * Only for schemas without `$ref`, `$dynamicRef` or `unevaluated*` (checked): those read across
 * subschemas (`evaluated` properties, dynamic anchors), which a keyword does not carry.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DataValidateFunction, DataValidationCxt } from 'ajv/dist/types/index.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';

/** The keyword that stands for a subschema compiled apart (its value: the index in the ajv instance's registry). */
export const APART_KEYWORD = 'tgcCompiledApart';

/** A subschema whose JSON text is longer than this gets a function of its own (about 10 kB of generated code). */
export const APART_MIN_CHARS = 1500;

/** Where each error made under a compiled-apart subschema stood, until ajv's own path is put back. */
const truePaths = new WeakMap<ErrorObject, string>();

/** Per ajv instance, the keyword functions by index (the keyword is added on first use). */
const registries = new WeakMap<Ajv2020, DataValidateFunction[]>();

function registry(ajv: Ajv2020): DataValidateFunction[] {
  let fns = registries.get(ajv);
  if (fns === undefined) {
    const list: DataValidateFunction[] = [];
    fns = list;
    registries.set(ajv, list);
    ajv.addKeyword({
      keyword: APART_KEYWORD,
      schemaType: 'number',
      errors: true,
      compile: (index: number) => {
        const fn = list[index];
        if (fn === undefined) throw new Error(`[tgc] ${APART_KEYWORD}: no subschema ${index}`);
        return fn;
      },
    });
  }
  return fns;
}

/** As `ajv.compile(schema)`, with large subschemas compiled apart (see the module comment). */
export function compileApart(ajv: Ajv2020, schema: object, minChars = APART_MIN_CHARS): ValidateFunction {
  if (readsAcross(schema)) return ajv.compile(schema);
  const fns = registry(ajv);
  let split = 0;
  const rewrite = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((x, i) => rewrite(x, `${path}/${i}`));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const props: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(value)) {
          const at = `${path}/properties/${encodeURIComponent(escapeToken(name))}`;
          props[name] = apart(sub, at) ?? rewrite(sub, at);
        }
        out[key] = props;
      } else if (key === 'items' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        out[key] = apart(value, `${path}/items`) ?? rewrite(value, `${path}/items`);
      } else {
        // Other keywords' values (oneOf branches, enums, …) are kept, their subschemas rewritten.
        out[key] = NAME_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).map(([n, s]) => [n, rewrite(s, `${path}/${key}/${encodeURIComponent(escapeToken(n))}`)]))
          : rewrite(value, `${path}/${escapeToken(key)}`);
      }
    }
    return out;
  };
  // A large subschema becomes the keyword; its function is compiled the same way, recursively.
  const apart = (sub: unknown, at: string): unknown => {
    if (sub === null || typeof sub !== 'object' || Array.isArray(sub)) return undefined;
    if (JSON.stringify(sub).length <= minChars) return undefined;
    const inner = compileApart(ajv, sub, minChars);
    const prefix = at.slice(1); // `#/properties/x` → `/properties/x`, prepended to the inner `#/…`
    // ajv sets the keyword's `errors` to null before each call and reads them after a failure.
    const keyword: DataValidateFunction = (data: unknown, context?: DataValidationCxt) => {
      if (inner(data, context)) return true;
      const errors = inner.errors ?? [];
      for (const e of errors) truePaths.set(e, `#${prefix}${e.schemaPath.slice(1)}`);
      keyword.errors = errors;
      return false;
    };
    fns.push(keyword);
    split++;
    return { [APART_KEYWORD]: fns.length - 1 };
  };
  const rewritten = rewrite(schema, '#') as object;
  if (split === 0) return ajv.compile(schema);
  const compiled = ajv.compile(rewritten);
  const call = ((data: unknown, context?: DataValidationCxt) => {
    const ok = compiled(data, context);
    const errors = compiled.errors;
    if (errors) {
      for (const e of errors) {
        const p = truePaths.get(e);
        if (p !== undefined) e.schemaPath = p;
      }
    }
    call.errors = errors;
    return ok;
  }) as ValidateFunction;
  return call;
}

/** Keywords whose value maps names to schemas. */
const NAME_MAPS = new Set(['patternProperties', '$defs', 'dependentSchemas']);

/** Keywords that read across subschemas: a schema holding one is compiled whole. */
const ACROSS = new Set(['$ref', '$dynamicRef', '$recursiveRef', 'unevaluatedProperties', 'unevaluatedItems', '$anchor', '$dynamicAnchor', '$id']);

function readsAcross(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsAcross);
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node)) {
    if (ACROSS.has(key)) return true;
    if (readsAcross(value)) return true;
  }
  return false;
}

/** As ajv writes a schema path's segment (a JSON pointer token; ajv then URI-encodes it). */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

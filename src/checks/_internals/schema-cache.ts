/**
 * ajv validators of the JSON Schemas requests carry (a grammar, a tool's `parameters`,
 * `response_format`), compiled lazily: draft 2020-12 as TGI validates them, formats not checked,
 * the first error only. Kept by the schema's JSON text, at most `max`, the least recently used
 * dropped first, and removed from ajv too (it keeps every schema it compiled until told).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

export type Compiled = ValidateFunction | { error: string };

export interface SchemaCache {
  /** The validator of `schema` (cached under `key`, its text), or ajv's reason it does not compile. */
  compile(key: string, schema: object): Compiled;
  /** What `compile` gave for `key` if it is still kept, without compiling or reordering. */
  peek(key: string): Compiled | undefined;
}

export function createSchemaCache(max = 64): SchemaCache {
  let ajv: Ajv2020 | undefined;
  const compiled = new Map<string, Compiled>();
  const compile = (key: string, schema: object): Compiled => {
    let validate = compiled.get(key);
    if (validate !== undefined) {
      compiled.delete(key);
      compiled.set(key, validate);
      return validate;
    }
    try {
      ajv ??= new Ajv2020({ strict: false, validateFormats: false, allErrors: false, logger: false });
      validate = ajv.compile(schema);
    } catch (e) {
      validate = { error: e instanceof Error ? e.message : String(e) };
    }
    if (compiled.size >= max) {
      const oldest = compiled.keys().next().value as string;
      const gone = compiled.get(oldest);
      compiled.delete(oldest);
      if (typeof gone === 'function') ajv?.removeSchema(gone.schema as object);
    }
    compiled.set(key, validate);
    return validate;
  };
  return { compile, peek: (key) => compiled.get(key) };
}

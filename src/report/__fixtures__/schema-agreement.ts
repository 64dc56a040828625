/**
 * Keeps a JSON Schema and the TypeScript interface it mirrors in step (report.schema.json and
 * TgcReport, matrix.schema.json and TgcMatrix): key lists the compiler checks against the
 * interface, and tests that check them against the schema at run time.
 */
import { expect, it } from 'vitest';

type RequiredKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;
type Exactly<All, Listed> = [Exclude<All, Listed>] extends [never] ? unknown : { missing: Exclude<All, Listed> };

export interface ObjectKeys {
  required: string[];
  optional: string[];
}

/** T's required and optional keys, listed exactly: the compiler rejects a missing or extra one. */
export function keysOf<T>() {
  return <const R extends readonly RequiredKeys<T>[], const O extends readonly OptionalKeys<T>[]>(
    required: R & Exactly<RequiredKeys<T>, R[number]>,
    optional: O & Exactly<OptionalKeys<T>, O[number]>,
  ): ObjectKeys => ({ required: [...required].map(String), optional: [...optional].map(String) });
}

/** Every member of a string union, listed exactly. */
export function membersOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & Exactly<T, L[number]>): string[] => [...list];
}

/** The schema node at a JSON pointer (it must exist). */
export function schemaAt(schema: Record<string, unknown>, pointer: string): Record<string, unknown> {
  let node: unknown = schema;
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)[part];
  expect(node, `schema has ${pointer}`).toBeTypeOf('object');
  return node as Record<string, unknown>;
}

/** One test per object (same required and optional keys, closed) and per enum (same values). */
export function itAgrees(
  schema: Record<string, unknown>,
  objects: readonly [string, string, ObjectKeys][],
  enums: readonly [string, string, string[]][],
): void {
  it.each(objects)('%s: same required and optional keys (schema %s)', (_name, pointer, keys) => {
    const node = schemaAt(schema, pointer);
    expect([...((node['required'] as string[] | undefined) ?? [])].sort()).toEqual([...keys.required].sort());
    expect(Object.keys(node['properties'] as object).sort()).toEqual([...keys.required, ...keys.optional].sort());
    expect(node['additionalProperties']).toBe(false);
  });

  it.each(enums)('%s: same values (schema %s)', (_name, pointer, values) => {
    expect([...(schemaAt(schema, pointer)['enum'] as string[])].sort()).toEqual([...values].sort());
  });
}

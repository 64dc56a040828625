/**
 * What the differential tests of the OpenAI-compatible contract share: the recorded bodies of
 * ../shared/fixtures/openai-exchanges.jsonl, and mutations of a body at any of its paths.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The recorded request, response and chunk bodies (`chunksOnly`: the chunks alone), where the
 * recordings are present; none otherwise. A stream's data that is not JSON is no chunk: left out.
 */
export function recordedBodies(options: { chunksOnly?: boolean } = {}): unknown[] {
  const file = fileURLToPath(new URL('../../../../../shared/fixtures/openai-exchanges.jsonl', import.meta.url));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (options.chunksOnly !== true) {
      if (o['request'] !== undefined) out.push(o['request']);
      if (o['response'] !== undefined) out.push(o['response']);
    }
    if (typeof o['stream'] !== 'string') continue;
    for (const l of o['stream'].split('\n')) {
      const data = l.startsWith('data:') ? l.slice(5).trim() : undefined;
      if (data === undefined || data === '[DONE]') continue;
      try {
        out.push(JSON.parse(data) as unknown);
      } catch {
        // not JSON: not a chunk
      }
    }
  }
  return out;
}

export type Path = (string | number)[];

/** Every path to a value in `v` (the root included). */
export function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** Replace the value at a path, delete it, or add `key` (or an element) under it. */
export type Mutation = { op: 'set' | 'delete' | 'add'; at: number; value: unknown; key: string };

/** A mutation: any operation at any path, with one of `values`, adding one of `keys`. */
export function mutationOf(values: fc.Arbitrary<unknown>, keys: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.record({ op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const), at: fc.nat(), value: values, key: fc.constantFrom(...keys) });
}

/** One of `bases` as it is (a copy), or with one to `maxMutations` of `mutation` applied. */
export function asIsOrMutated(bases: readonly unknown[], mutation: fc.Arbitrary<Mutation>, maxMutations = 3): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.nat({ max: bases.length - 1 }).map((i) => structuredClone(bases[i])),
    fc.tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: maxMutations })).map(([i, ms]) => mutate(bases[i], ms)),
  );
}

/** `base` with the mutations applied (each at one of its paths, by index), on a copy. */
export function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
  let body = structuredClone(base);
  for (const m of mutations) {
    // A copy: fast-check hands the same constant objects to many runs.
    const value = structuredClone(m.value);
    const all = paths(body);
    const path = all[m.at % all.length] as Path;
    if (path.length === 0) {
      if (m.op === 'set') body = value;
      continue;
    }
    let parent = body as Record<string | number, unknown>;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (m.op === 'set') parent[last] = value;
    else if (m.op === 'delete' && !Array.isArray(parent)) delete parent[last];
    else {
      const target = parent[last];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = value;
      else if (Array.isArray(target)) target.push(value);
    }
  }
  return body;
}

/**
 * Seed coverage: every field the seed document lists (payload, parameters, grammar, headers,
 * response bodies at every nesting level, stream bodies) is in spec/openapi.yaml at the right
 * place, with a compatible type, required where the seed marks it `*`; and every place where the
 * spec deliberately differs names its spec/NOTES.md entry. The field list is parsed from the
 * seed's indented lists, not written down here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spec } from '../generated/spec.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.resolve(repoRoot, '../shared/seed/text-generation-api.txt');
const notesPath = path.resolve(repoRoot, 'spec/NOTES.md');
const seedExists = existsSync(seedPath);

// ---------------------------------------------------------------------------------------------
// The seed's lists

interface SeedField {
  name: string;
  required: boolean;
  /** The type word as the seed writes it: string, integer, object[], array[], enum, unknown, … */
  type: string;
  /** The rest of the line (descriptions, "Possible values: …", "default to …"). */
  rest: string;
  /** Dotted path from the section root, e.g. `details.best_of_sequences.prefill`. */
  path: string;
  /** The `(#n)` alternative the field belongs to, for fields of a "One of the following" list. */
  branch: number | null;
  children: SeedField[];
}

interface SeedSection {
  title: string;
  fields: SeedField[];
}

const FIELD_LINE = /^(\s*)([A-Za-z_][\w-]*)(\*?) ([a-z]+(?:\[\])?),?(?:\s+(.*))?$/;
const BRANCH_LINE = /^(\s*)\(#(\d+)\)\s*$/;
const SECTION_TITLES = new Set(['Payload', 'Headers', 'Body']);

/**
 * Splits the seed into its titled lists. A list starts at a line that is exactly a section
 * title and runs while lines are field lines or `(#n)` branch markers; nesting follows the
 * indentation (the seed indents with no-break spaces, which `\s` matches). Branch markers are
 * transparent: their fields belong to the field above them.
 */
function parseSeed(text: string): SeedSection[] {
  const lines = text.split(/\r?\n/);
  const sections: SeedSection[] = [];
  for (let i = 0; i < lines.length; i++) {
    const title = lines[i]?.trim() ?? '';
    if (!SECTION_TITLES.has(title)) continue;
    const section: SeedSection = { title, fields: [] };
    const stack: { indent: number; field: SeedField | null; branch: number | null }[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const branch = BRANCH_LINE.exec(line);
      const m = branch ? null : FIELD_LINE.exec(line);
      if (!branch && !m) break;
      const indent = (branch ?? m)?.[1]?.length ?? 0;
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
      const top = stack[stack.length - 1];
      const parent = [...stack].reverse().find((s) => s.field !== null)?.field ?? null;
      if (branch) {
        stack.push({ indent, field: null, branch: Number(branch[2]) });
        continue;
      }
      const name = m?.[2] ?? '';
      const field: SeedField = {
        name,
        required: m?.[3] === '*',
        type: m?.[4] ?? '',
        rest: m?.[5] ?? '',
        path: parent ? `${parent.path}.${name}` : name,
        branch: top?.field === null ? top.branch : null,
        children: [],
      };
      (parent ? parent.children : section.fields).push(field);
      stack.push({ indent, field, branch: null });
      i = j;
    }
    sections.push(section);
  }
  return sections;
}

function flatten(fields: SeedField[]): SeedField[] {
  return fields.flatMap((f) => [f, ...flatten(f.children)]);
}

// ---------------------------------------------------------------------------------------------
// The spec, read as plain JSON

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const doc = spec as unknown as JsonObject;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pointer(ref: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

/** A schema with its `$ref` chain resolved, and the name of the last component reached. */
interface Resolved {
  schema: JsonObject;
  component: string | null;
}

function deref(schema: Json | undefined, component: string | null = null): Resolved {
  let node = schema;
  let name = component;
  for (let hops = 0; isObject(node) && typeof node.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${node.$ref}`);
    const ref: string = node.$ref;
    name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : name;
    node = pointer(ref);
  }
  if (!isObject(node)) throw new Error(`not a schema: ${JSON.stringify(schema)}`);
  return { schema: node, component: name };
}

function typesOf(schema: JsonObject): string[] {
  const t = schema.type;
  return typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

function branches(r: Resolved): Resolved[] {
  const list = [...asArray(r.schema.oneOf), ...asArray(r.schema.anyOf)];
  return list.length === 0 ? [r] : list.flatMap((b) => branches(deref(b, r.component)));
}

function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** The object schemas that hold a field's children: through $ref, oneOf/anyOf and array items. */
function containers(r: Resolved): Resolved[] {
  return branches(r).flatMap((b) => {
    const types = typesOf(b.schema);
    if (types.includes('array')) return containers(deref(b.schema.items, b.component));
    return isObject(b.schema.properties) ? [b] : [];
  });
}

function property(container: Resolved, name: string): Resolved | null {
  const props = container.schema.properties;
  return isObject(props) && props[name] !== undefined ? deref(props[name], container.component) : null;
}

/** Whether the spec's schema can hold what the seed's type word names. */
function typeMatches(seedType: string, r: Resolved): boolean {
  if (seedType === 'unknown') return true;
  const bs = branches(r);
  if (seedType === 'enum') return bs.some((b) => Array.isArray(b.schema.enum));
  const list = /^(\w+)\[\]$/.exec(seedType);
  if (list) {
    return bs.some(
      (b) => typesOf(b.schema).includes('array') && typeMatches(list[1] ?? '', deref(b.schema.items, b.component)),
    );
  }
  return bs.some((b) => typesOf(b.schema).includes(seedType));
}

function enumValues(r: Resolved): string[] {
  return branches(r).flatMap((b) => asArray(b.schema.enum).filter((v): v is string => typeof v === 'string'));
}

const schemaRef = (name: string): Resolved => deref({ $ref: `#/components/schemas/${name}` });

// ---------------------------------------------------------------------------------------------
// Where each seed list lives in the spec, and the deliberate differences (with their NOTES ids)

/** The component each nested seed list must be found in: the seed's structure, not its fields. */
const CONTAINERS: Record<string, Record<string, string>> = {
  Payload: { '': 'CompatGenerateRequest', parameters: 'GenerateParameters', 'parameters.grammar': 'GrammarType' },
  'Body (non-stream)': {
    '': 'GenerateResponse',
    details: 'Details',
    'details.best_of_sequences': 'BestOfSequence',
    'details.best_of_sequences.prefill': 'PrefillToken',
    'details.best_of_sequences.tokens': 'Token',
    'details.best_of_sequences.top_tokens': 'Token',
    'details.prefill': 'PrefillToken',
    'details.tokens': 'Token',
    'details.top_tokens': 'Token',
  },
  'Body (stream)': { '': 'StreamResponse', details: 'StreamDetails', token: 'Token', top_tokens: 'Token' },
};

/** Seed fields that are deliberately not a schema property where the seed puts them. */
const NOT_A_PROPERTY: Record<string, string> = {
  // The seed's `authorization` header is the bearer security scheme, not a header parameter.
  'Headers:authorization': 'S1',
};

/** Spec properties that the seed does not list at that place. */
const SPEC_ONLY: Record<string, string> = {
  'GenerateParameters.adapter_id': 'S5',
  'StreamDetails.input_length': 'S3',
};

/** Enum values the spec accepts beyond the seed's "Possible values". */
const SPEC_ONLY_ENUM: Record<string, string> = {
  'parameters.grammar.type:json_object': 'S6',
  'parameters.grammar.type:json_schema': 'S6',
};

let cache: { sections: Record<string, SeedField[]>; notes: string } | null = null;
function load(): { sections: Record<string, SeedField[]>; notes: string } {
  if (cache) return cache;
  const parsed = parseSeed(readFileSync(seedPath, 'utf8'));
  const bodies = parsed.filter((s) => s.title === 'Body');
  const one = (title: string): SeedField[] => {
    const found = parsed.filter((s) => s.title === title);
    expect(found, `exactly one "${title}" list in the seed`).toHaveLength(1);
    return found[0]?.fields ?? [];
  };
  expect(bodies, 'two "Body" lists in the seed (non-stream, then stream)').toHaveLength(2);
  cache = {
    sections: {
      Payload: one('Payload'),
      Headers: one('Headers'),
      'Body (non-stream)': bodies[0]?.fields ?? [],
      'Body (stream)': bodies[1]?.fields ?? [],
    },
    notes: readFileSync(notesPath, 'utf8'),
  };
  return cache;
}

function expectNote(id: string): void {
  expect(load().notes, `spec/NOTES.md has entry ${id}`).toContain(`**${id}.`);
}

/** Walks a seed list against its spec component; returns one line per problem. */
function checkList(section: string, fields: SeedField[], rootComponent: string): string[] {
  const problems: string[] = [];
  const table = CONTAINERS[section] ?? {};
  const walk = (list: SeedField[], parentPath: string, holders: Resolved[]): void => {
    const expected = table[parentPath];
    if (expected === undefined) {
      problems.push(`${section}: no expected component for the list under "${parentPath}"`);
    }
    for (const h of holders) {
      if (h.component !== expected) {
        problems.push(`${section}: "${parentPath}" resolves to ${h.component}, expected ${expected}`);
      }
    }
    // Each "(#n)" alternative of the seed must be one alternative of the spec: a single branch
    // that has all of its fields with fitting types and enum values.
    const alternatives = new Set(list.map((f) => f.branch).filter((b): b is number => b !== null));
    for (const n of alternatives) {
      const fields = list.filter((f) => f.branch === n);
      const fits = holders.some((h) =>
        fields.every((f) => {
          const p = property(h, f.name);
          const possible = /Possible values: ([^.]+)\./.exec(f.rest)?.[1]?.split(',').map((v) => v.trim()) ?? [];
          return p !== null && typeMatches(f.type, p) && possible.every((v) => enumValues(p).includes(v));
        }),
      );
      if (!fits) problems.push(`${section}: alternative (#${n}) under "${parentPath}" matches no branch of the spec`);
    }
    for (const f of list) {
      const where = `${section}: ${f.path}`;
      const found = holders.map((h) => ({ h, p: property(h, f.name) })).filter((x) => x.p !== null);
      if (found.length === 0) {
        problems.push(`${where} is not a property of ${holders.map((h) => h.component).join('|')}`);
        continue;
      }
      if (!found.some((x) => x.p !== null && typeMatches(f.type, x.p))) {
        problems.push(`${where}: seed type ${f.type} does not fit the spec's`);
      }
      for (const { h } of found) {
        if (f.required && !asArray(h.schema.required).includes(f.name)) {
          problems.push(`${where} is required in the seed (*) but not in ${h.component}`);
        }
      }
      const prop = found[0]?.p;
      const possible = /Possible values: ([^.]+)\./.exec(f.rest)?.[1];
      if (prop && possible) {
        const specValues = found.flatMap((x) => (x.p ? enumValues(x.p) : []));
        for (const v of possible.split(',').map((s) => s.trim())) {
          if (!specValues.includes(v)) problems.push(`${where}: enum value ${v} missing from the spec`);
        }
      }
      if (f.children.length > 0 && prop) {
        walk(f.children, f.path, found.flatMap((x) => (x.p ? containers(x.p) : [])));
      }
    }
  };
  walk(fields, '', [schemaRef(rootComponent)]);
  return problems;
}

const title = seedExists ? 'seed coverage' : 'seed coverage (skipped: ../shared/seed not found)';

describe.skipIf(!seedExists)(title, () => {
  it('parses a plausible number of field names from the seed', () => {
    const { sections } = load();
    const all = Object.values(sections).flatMap(flatten);
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(sections.Payload?.map((f) => f.name)).toEqual(expect.arrayContaining(['inputs', 'parameters', 'stream']));
    const params = sections.Payload?.find((f) => f.name === 'parameters')?.children ?? [];
    expect(params.length).toBeGreaterThanOrEqual(15);
    expect(sections.Headers?.length).toBeGreaterThanOrEqual(3);
  });

  it('has every payload field and parameter in CompatGenerateRequest / GenerateParameters / GrammarType', () => {
    expect(checkList('Payload', load().sections.Payload ?? [], 'CompatGenerateRequest')).toEqual([]);
  });

  it('keeps `stream` in the compat body only (NOTES S14)', () => {
    expectNote('S14');
    expect(property(schemaRef('CompatGenerateRequest'), 'stream')).not.toBeNull();
    expect(property(schemaRef('GenerateRequest'), 'stream')).toBeNull();
  });

  it('has every non-stream response field in GenerateResponse / Details / BestOfSequence / PrefillToken / Token', () => {
    const { sections } = load();
    expect(checkList('Body (non-stream)', sections['Body (non-stream)'] ?? [], 'GenerateResponse')).toEqual([]);
  });

  it('has every stream body field in StreamResponse / StreamDetails / Token', () => {
    const { sections } = load();
    expect(checkList('Body (stream)', sections['Body (stream)'] ?? [], 'StreamResponse')).toEqual([]);
  });

  it('gives stream details no tokens, prefill, top_tokens or best_of_sequences, as the seed (NOTES S3)', () => {
    expectNote('S3');
    const seedDetails = load().sections['Body (stream)']?.find((f) => f.name === 'details');
    const seedNames = seedDetails?.children.map((f) => f.name) ?? [];
    expect(seedNames.length).toBeGreaterThan(0);
    for (const absent of ['tokens', 'prefill', 'top_tokens', 'best_of_sequences']) {
      expect(seedNames).not.toContain(absent);
      expect(property(schemaRef('StreamDetails'), absent)).toBeNull();
    }
  });

  it('has every seed header: authorization as the bearer scheme (NOTES S1), the others on the seed endpoint (NOTES S7)', () => {
    const headers = load().sections.Headers ?? [];
    const op = pointer('#/paths/~1models~1{model_id}');
    const params = (isObject(op) ? asArray(op.parameters) : []).map((p) => deref(p).schema);
    const problems: string[] = [];
    for (const h of headers) {
      const exception = NOT_A_PROPERTY[`Headers:${h.name}`];
      if (exception) {
        expectNote(exception);
        const scheme = pointer('#/components/securitySchemes/bearerAuth');
        expect(isObject(scheme) && scheme.type === 'http' && scheme.scheme === 'bearer').toBe(true);
        continue;
      }
      const param = params.find((p) => p.in === 'header' && String(p.name).toLowerCase() === h.name.toLowerCase());
      if (!param) {
        problems.push(`header ${h.name} is not a parameter of POST /models/{model_id}`);
        continue;
      }
      const schema = deref(param.schema);
      if (!typeMatches(h.type, schema)) problems.push(`header ${h.name}: seed type ${h.type} does not fit`);
      const seedDefault = /default to (true|false)/.exec(h.rest)?.[1];
      if (seedDefault !== undefined && schema.schema.default !== (seedDefault === 'true')) {
        problems.push(`header ${h.name}: default differs from the seed's ${seedDefault}`);
      }
    }
    expect(problems).toEqual([]);
    // Serverless legacy: documented on the seed-style endpoint only, never on TGI's routes.
    expectNote('S7');
    for (const route of ['/generate', '/generate_stream', '/']) {
      const item = pointer(`#/paths/${route.replace(/\//g, '~1')}`);
      const post = isObject(item) ? item.post : undefined;
      const all = [...(isObject(item) ? asArray(item.parameters) : []), ...(isObject(post) ? asArray(post.parameters) : [])];
      expect(all.map((p) => deref(p).schema.name)).not.toContain('x-use-cache');
    }
  });

  it('names a NOTES entry for every property or enum value the spec has beyond the seed', () => {
    const { sections } = load();
    const seen = new Map<string, Set<string>>();
    const enumsSeen = new Set<string>();
    const record = (section: string, list: SeedField[], parentPath: string): void => {
      const component = CONTAINERS[section]?.[parentPath];
      if (component) {
        const names = seen.get(component) ?? new Set<string>();
        for (const f of list) names.add(f.name);
        seen.set(component, names);
      }
      for (const f of list) {
        const possible = /Possible values: ([^.]+)\./.exec(f.rest)?.[1];
        for (const v of possible?.split(',').map((s) => s.trim()) ?? []) enumsSeen.add(`${f.path}:${v}`);
        record(section, f.children, f.path);
      }
    };
    for (const [section, list] of Object.entries(sections)) if (section !== 'Headers') record(section, list, '');

    const unexplained: string[] = [];
    for (const [component, names] of seen) {
      const props = schemaRef(component).schema.properties;
      for (const name of Object.keys(isObject(props) ? props : {})) {
        if (names.has(name)) continue;
        const id = SPEC_ONLY[`${component}.${name}`];
        if (id) expectNote(id);
        else unexplained.push(`${component}.${name}`);
      }
    }
    // The grammar's `type` values: every branch's enum.
    const grammarTypes = containers(schemaRef('GrammarType')).flatMap((b) => {
      const p = property(b, 'type');
      return p ? enumValues(p) : [];
    });
    for (const v of grammarTypes) {
      const key = `parameters.grammar.type:${v}`;
      if (enumsSeen.has(key)) continue;
      const id = SPEC_ONLY_ENUM[key];
      if (id) expectNote(id);
      else unexplained.push(key);
    }
    expect(unexplained).toEqual([]);
  });
});

/**
 * A copy of a schema (dereferenced, a tree) in which each oneOf whose branches are told apart by
 * a tag (a message by `role`, a content part by `type`) dispatches on the tag with ajv's
 * `discriminator` keyword: one branch is validated, not every branch with allErrors (which builds
 * and drops an error object per branch that does not match: most of a request's validation time).
 *
 * A oneOf is dispatched only where that accepts exactly the same values: every branch is
 * `type: object`, requires the tag, and holds it to `const`/`enum` strings, no value in two
 * branches. Then the value matches exactly one branch iff its tag names a branch and that branch
 * matches; the node gains `type: object` (ajv's discriminator passes non-objects by). `regions`
 * are the schema paths (`#/properties/messages/items`) of the dispatched nodes: errors under
 * them differ from the oneOf's own, so ./schemas.ts then runs the schema as given.
 */

export interface Discriminated {
  schema: unknown;
  regions: string[];
}

export function discriminate(schema: unknown): Discriminated {
  const regions: string[] = [];
  const out = walk(schema, '#', regions);
  return { schema: out, regions };
}

function walk(node: unknown, path: string, regions: string[]): unknown {
  if (Array.isArray(node)) return node.map((x, i) => walk(x, `${path}/${i}`, regions));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && NAME_MAPS.has(key)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, walk(sub, `${path}/${key}/${encodeURIComponent(escape(name))}`, regions)]),
      );
    } else {
      out[key] = walk(value, `${path}/${escape(key)}`, regions);
    }
  }
  const tag = tagOf(out);
  if (tag !== undefined) {
    out['discriminator'] = { propertyName: tag };
    out['type'] = 'object';
    regions.push(path);
  }
  return out;
}

/**
 * True when no value can match two branches of any oneOf of `schema` (each told apart by a tag,
 * or by distinct JSON types) and no keyword hides errors other than oneOf/anyOf: then a value
 * whose only errors against the closed schema are unknown keys passes the open one (./schemas.ts).
 */
export function oneOfsDisjoint(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(oneOfsDisjoint);
  if (schema === null || typeof schema !== 'object') return true;
  const node = schema as Record<string, unknown>;
  if (HIDING.some((k) => k in node)) return false;
  const branches = node['oneOf'];
  if (Array.isArray(branches) && tagOf(node) === undefined && !typesDisjoint(branches)) return false;
  return Object.values(node).every(oneOfsDisjoint);
}

/** Keywords under which errors are dropped, or whose failure is not an error of their subschema. */
const HIDING = ['not', 'if', 'then', 'else', 'contains', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', '$ref', '$dynamicRef'];

/**
 * Every two branches exclude each other: each has one `type`, and two of the same type are
 * objects that require a tag held to disjoint strings (tool_choice: a string or a tagged object).
 */
function typesDisjoint(branches: unknown[]): boolean {
  const types = branches.map((b) => (b !== null && typeof b === 'object' ? (b as Record<string, unknown>)['type'] : undefined));
  if (!types.every((t): t is string => typeof t === 'string')) return false;
  if (types.includes('integer') && types.includes('number')) return false;
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      if (types[i] !== types[j]) continue;
      if (types[i] !== 'object' || !tagged(branches[i] as Record<string, unknown>, branches[j] as Record<string, unknown>)) return false;
    }
  }
  return true;
}

/** Two object schemas that both require some property held to disjoint `const`/`enum` strings. */
function tagged(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ra = Array.isArray(a['required']) ? (a['required'] as unknown[]) : [];
  const rb = Array.isArray(b['required']) ? (b['required'] as unknown[]) : [];
  return ra.some((name) => {
    if (typeof name !== 'string' || !rb.includes(name)) return false;
    const va = tagValues(a, name);
    const vb = tagValues(b, name);
    return va !== undefined && vb !== undefined && !va.some((v) => vb.includes(v));
  });
}

/** Keywords whose value maps names to schemas. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/** The tag this node's oneOf can dispatch on, if any (see the module comment). */
function tagOf(node: Record<string, unknown>): string | undefined {
  const branches = node['oneOf'];
  if (!Array.isArray(branches) || branches.length < 2 || 'discriminator' in node) return undefined;
  if ('type' in node && node['type'] !== 'object') return undefined;
  if (!branches.every(isObjectSchema)) return undefined;
  const first = branches[0] as Record<string, unknown>;
  const candidates = Array.isArray(first['required']) ? (first['required'] as unknown[]) : [];
  for (const name of candidates) {
    if (typeof name !== 'string') continue;
    const seen = new Set<string>();
    const ok = branches.every((b: Record<string, unknown>) => {
      if (!Array.isArray(b['required']) || !b['required'].includes(name)) return false;
      const values = tagValues(b, name);
      if (values === undefined || values.length === 0) return false;
      for (const v of values) {
        if (seen.has(v)) return false;
        seen.add(v);
      }
      return true;
    });
    if (ok) return name;
  }
  return undefined;
}

function isObjectSchema(b: unknown): b is Record<string, unknown> {
  return b !== null && typeof b === 'object' && !Array.isArray(b) && (b as Record<string, unknown>)['type'] === 'object';
}

/** The strings a branch allows for its tag (`const` or `enum`, all strings; a falsy const refused, as ajv does). */
function tagValues(branch: Record<string, unknown>, name: string): string[] | undefined {
  const properties = branch['properties'];
  if (properties === null || typeof properties !== 'object') return undefined;
  const p = (properties as Record<string, unknown>)[name];
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return undefined;
  const s = p as Record<string, unknown>;
  // ajv's discriminator reads `const` when truthy, else `enum`: hold to schemas it reads as written.
  if ('const' in s) return typeof s['const'] === 'string' && s['const'] !== '' && !('enum' in s) ? [s['const']] : undefined;
  const e = s['enum'];
  return Array.isArray(e) && e.every((v) => typeof v === 'string') ? (e as string[]) : undefined;
}

/** As ajv writes a schema path's segment (escapeFragment: a JSON pointer token, URI-encoded). */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * An interpreter of small JSON Schemas (draft 2020-12), for the checks that test values against a
 * schema a request carries (grammar-adherence's JSON grammars, the /v1 routes' `response_format`
 * and tool `parameters`). Such schemas are mostly a few keywords, each sent once (the arbitraries
 * draw them at random), and compiling one with ajv costs about a millisecond, more than judging
 * the rest of the exchange; `satisfies` interprets them instead: the keywords below, whose
 * meaning in draft 2020-12 is a line each. It is hand-written rather than a second validator
 * library (say @cfworker/json-schema) because the verdicts and messages must stay ajv's: a general
 * validator differs from ajv in corners (multipleOf on fractions, `format`, `nullable`, regex
 * flags, what fails to compile), so it would need this same allowlist and fallback anyway. It
 * only ever says yes: a `false` sends the instance to ajv (compiled and cached as before), which
 * decides and words the finding, so `satisfies` may be stricter than ajv but never laxer.
 * Whether such a schema compiles is `isSimple`'s check of each keyword's value (ajv's own
 * `validateSchema` costs more than the rest of the check).
 *
 * Both functions take the schema and the instance as `toApproximate` gives them (no bigint).
 */

/** Keywords that do not constrain an instance here, with the type the meta-schema gives their value; `format` is not validated (ajv's `validateFormats: false`). */
const NO_OPS: Record<string, (v: unknown) => boolean> = {
  title: (v) => typeof v === 'string',
  description: (v) => typeof v === 'string',
  $comment: (v) => typeof v === 'string',
  format: (v) => typeof v === 'string',
  deprecated: (v) => typeof v === 'boolean',
  readOnly: (v) => typeof v === 'boolean',
  writeOnly: (v) => typeof v === 'boolean',
  default: () => true,
  examples: Array.isArray,
};
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

const isPrimitive = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const uniqueStrings = (v: unknown, of?: Set<string>): boolean =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && (of === undefined || of.has(x))) && new Set(v).size === v.length;

/**
 * True when every keyword of the schema and of its subschemas is one `satisfies` reads, with a
 * value of the draft 2020-12 meta-schema's type for it (so that ajv compiles the schema); false
 * sends the schema to ajv, which compiles it or says why not. At least as strict as the
 * meta-schema on these keywords.
 */
export function isSimple(schema: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return true;
  if (depth > 32 || !isPlainObject(schema)) return false;
  for (const k of Object.keys(schema)) {
    const v = schema[k];
    if (Object.hasOwn(NO_OPS, k)) {
      if (!(NO_OPS[k] as (v: unknown) => boolean)(v)) return false;
      continue;
    }
    switch (k) {
      case 'type':
        if (!(typeof v === 'string' ? TYPES.has(v) : uniqueStrings(v, TYPES) && (v as string[]).length > 0)) return false;
        break;
      case 'properties':
        if (!isPlainObject(v)) return false;
        for (const name of Object.keys(v)) {
          // ajv reads `data[name]`, inherited properties included: leave those names to it.
          if (name in Object.prototype || !isSimple(v[name], depth + 1)) return false;
        }
        break;
      case 'additionalProperties':
      case 'items':
        if (!isSimple(v, depth + 1)) return false;
        break;
      case 'required':
        if (!uniqueStrings(v)) return false;
        break;
      case 'enum': // ajv refuses an empty enum
        if (!Array.isArray(v) || v.length === 0 || !v.every(isPrimitive)) return false;
        break;
      case 'const':
        if (!isPrimitive(v)) return false;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof v !== 'number') return false;
        break;
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
        if (!isCount(v)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Code points, as ajv counts a string's length (a surrogate pair is one). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

function hasType(t: string, v: unknown): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isInteger(v);
    case 'string':
      return typeof v === 'string';
    default:
      return false;
  }
}

/** True when the instance satisfies a simple schema (`isSimple`); false when it does not, or may not. */
export function satisfies(schema: unknown, v: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const s = schema as Record<string, unknown>;
  const type = s['type'];
  if (type !== undefined && !(typeof type === 'string' ? hasType(type, v) : (type as string[]).some((t) => hasType(t, v)))) return false;
  if (s['enum'] !== undefined && !(s['enum'] as unknown[]).some((e) => e === v)) return false;
  if ('const' in s && s['const'] !== v) return false;
  if (typeof v === 'number') {
    if (typeof s['minimum'] === 'number' && !(v >= s['minimum'])) return false;
    if (typeof s['maximum'] === 'number' && !(v <= s['maximum'])) return false;
    if (typeof s['exclusiveMinimum'] === 'number' && !(v > s['exclusiveMinimum'])) return false;
    if (typeof s['exclusiveMaximum'] === 'number' && !(v < s['exclusiveMaximum'])) return false;
  } else if (typeof v === 'string') {
    if (s['minLength'] !== undefined || s['maxLength'] !== undefined) {
      const n = codePoints(v);
      if (typeof s['minLength'] === 'number' && n < s['minLength']) return false;
      if (typeof s['maxLength'] === 'number' && n > s['maxLength']) return false;
    }
  } else if (Array.isArray(v)) {
    if (typeof s['minItems'] === 'number' && v.length < s['minItems']) return false;
    if (typeof s['maxItems'] === 'number' && v.length > s['maxItems']) return false;
    if (s['items'] !== undefined && !v.every((item) => satisfies(s['items'], item))) return false;
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const properties = s['properties'] as Record<string, unknown> | undefined;
    if (s['required'] !== undefined && !(s['required'] as string[]).every((n) => Object.hasOwn(o, n))) return false;
    if (properties !== undefined) {
      for (const name of Object.keys(properties)) {
        if (Object.hasOwn(o, name) && !satisfies(properties[name], o[name])) return false;
      }
    }
    const additional = s['additionalProperties'];
    if (additional !== undefined) {
      for (const name of Object.keys(o)) {
        if ((properties === undefined || !Object.hasOwn(properties, name)) && !satisfies(additional, o[name])) return false;
      }
    }
  }
  return true;
}

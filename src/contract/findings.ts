/**
 * Maps ajv's errors to tgc findings. Kinds are built from the keyword and the instance path with
 * array indices folded to `*`, so that they never carry generated values (dedupeKey stability).
 */
import type { ErrorObject } from 'ajv';
import type { Finding, Severity } from '../core/finding.js';

export function foldIndices(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}

export function ajvErrorsToFindings(
  errors: readonly ErrorObject[] | null | undefined,
  check: string,
  severity: Severity,
  what: string,
  pointerPrefix = '',
): Finding[] {
  if (!errors) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of pruneOneOf(errors)) {
    const pointer = pointerPrefix + e.instancePath + missingKey(e);
    const key = `${e.keyword}|${pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      check,
      severity,
      kind: `${e.keyword}:${foldIndices(pointer) || '/'}`,
      title: `${what}: ${describe(e)}`,
      message:
        e.keyword === 'additionalProperties'
          ? `${what} has a field the contract does not define: ${pointer} (servers ignore unknown keys)`
          : `${what} at ${pointer || '/'} ${e.message ?? 'is invalid'}${params(e)}`,
      pointer,
      schemaPath: e.schemaPath,
    });
  }
  return out;
}

function missingKey(e: ErrorObject): string {
  if (e.keyword === 'required') return `/${escape(String(e.params['missingProperty']))}`;
  if (e.keyword === 'additionalProperties') return `/${escape(String(e.params['additionalProperty']))}`;
  return '';
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `missing ${String(e.params['missingProperty'])}`;
    case 'additionalProperties':
      return `unknown field ${String(e.params['additionalProperty'])}`;
    case 'type':
      return `wrong type at ${e.instancePath || '/'}`;
    default:
      return `${e.keyword} at ${foldIndices(e.instancePath) || '/'}`;
  }
}

function params(e: ErrorObject): string {
  if (e.keyword === 'enum') return `: ${JSON.stringify(e.params['allowedValues'])}`;
  if (e.keyword === 'const') return `: ${JSON.stringify(e.params['allowedValue'])}`;
  return '';
}

/**
 * For `oneOf` failures ajv reports every branch's errors. Keep the errors of the one branch the
 * value was meant for: drop branches whose errors say the value is not even of the branch's type,
 * or that its `type` discriminator does not match. Inner oneOfs are resolved first. Where no
 * single branch remains, the oneOf error alone stands.
 */
function pruneOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  let out = [...errors];
  for (const o of oneOfs) {
    const prefix = `${o.schemaPath}/`;
    const under = out.filter((e) => e !== o && e.schemaPath.startsWith(prefix));
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of under) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const meant = [...byBranch.values()].filter(
      (es) =>
        !es.some(
          (e) =>
            (e.keyword === 'type' && e.instancePath === o.instancePath) ||
            (e.instancePath === `${o.instancePath}/type` && (e.keyword === 'enum' || e.keyword === 'const')),
        ),
    );
    const keep = meant.length === 1 ? (meant[0] ?? []) : [];
    out = out.filter((e) => !under.includes(e) || keep.includes(e));
    if (keep.length > 0) out = out.filter((e) => e !== o);
  }
  return out;
}

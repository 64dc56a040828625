/**
 * `--suppress FILE`: rules a team has decided to accept. Each names a check id, optionally a
 * route, and a required reason. Matching findings stay in every report, marked with the reason;
 * suppressed violations do not fail the run.
 *
 * ```json
 * { "suppressions": [
 *   { "check": "response-headers", "route": "POST /generate", "reason": "our gateway rewrites x-generated-tokens (INFRA-123)" }
 * ] }
 * ```
 * A bare array of rules is accepted too.
 */
import { ROUTES } from '../core/exchange.js';
import type { ReportOmittedFindings, ReportSuppression, TgcReport } from './report.js';

export interface Suppression {
  /** A check id, as `tgc checks` lists them. */
  check: string;
  /** `POST /generate`, `POST /generate_stream`, `POST /`, or `scenario`; every route when absent. */
  route?: string;
  /** Why the team accepts it: shown beside every finding it suppresses. */
  reason: string;
}

export interface SuppressionOutcome {
  /** Violations suppressed. */
  suppressed: number;
  /** Rules that matched no finding in this run. */
  unused: Suppression[];
}

/** Routes a finding can carry; scenario findings (several exchanges) have the route `scenario`. */
const SUPPRESSIBLE_ROUTES: readonly string[] = [...ROUTES, 'scenario'];
const KEYS = new Set(['check', 'route', 'reason']);

/**
 * Reads a suppressions file. Throws an Error whose message names the entry and the field at
 * fault; with `knownCheckIds`, an unknown check id is an error too (a typo would suppress nothing).
 */
export function parseSuppressions(text: string, knownCheckIds?: readonly string[]): Suppression[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const list = Array.isArray(data) ? data : isObject(data) ? data['suppressions'] : undefined;
  if (!Array.isArray(list)) {
    throw new Error('expected {"suppressions": [{"check": ID, "route"?: ROUTE, "reason": TEXT}, …]} or a list of such entries');
  }
  return list.map((entry: unknown, i) => parseEntry(entry, `entry ${i + 1}`, knownCheckIds));
}

function parseEntry(entry: unknown, where: string, knownCheckIds: readonly string[] | undefined): Suppression {
  if (!isObject(entry)) throw new Error(`${where}: expected an object with "check" and "reason"`);
  for (const key of Object.keys(entry)) {
    if (!KEYS.has(key)) throw new Error(`${where}: unknown field "${key}" (allowed: check, route, reason)`);
  }
  const { check, route, reason } = entry;
  if (typeof check !== 'string' || check.trim() === '') throw new Error(`${where}: "check" must be a check id (see tgc checks)`);
  if (knownCheckIds && !knownCheckIds.includes(check)) throw new Error(`${where}: unknown check "${check}" (see tgc checks)`);
  if (route !== undefined && (typeof route !== 'string' || !SUPPRESSIBLE_ROUTES.includes(route))) {
    throw new Error(`${where}: "route" must be one of ${SUPPRESSIBLE_ROUTES.map((r) => `"${r}"`).join(', ')}, got ${JSON.stringify(route)}`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new Error(`${where} (${check}): "reason" is required: say why the team accepts this`);
  }
  return { check, ...(route !== undefined ? { route } : {}), reason: reason.trim() };
}

/**
 * Marks matching findings `suppressed: reason` in place (a rule naming the route wins over one
 * for the whole check, then file order), sets `summary.suppressed` and `report.suppressions`.
 */
export function applySuppressions(report: TgcReport, suppressions: readonly Suppression[]): SuppressionOutcome {
  const matched = suppressions.map(() => 0);
  const order = suppressions.map((s, i) => ({ s, i })).sort((a, b) => Number(b.s.route !== undefined) - Number(a.s.route !== undefined));
  let suppressed = 0;
  const rule = (f: { check: string; route?: string }): (typeof order)[number] | undefined => {
    const route = f.route ?? 'scenario';
    return order.find(({ s }) => s.check === f.check && (s.route === undefined || s.route === route));
  };
  for (const f of report.findings) {
    const hit = rule(f);
    if (!hit) continue;
    f.suppressed = hit.s.reason;
    matched[hit.i] = (matched[hit.i] ?? 0) + 1;
    if (f.severity === 'violation') suppressed++;
  }
  // Findings counted but not listed match as the listed ones of their kind (same check and route).
  for (const o of report.omittedFindings ?? ([] as ReportOmittedFindings[])) {
    const hit = rule(o);
    if (!hit) continue;
    matched[hit.i] = (matched[hit.i] ?? 0) + o.count;
    if (o.severity === 'violation') suppressed += o.count;
  }
  report.summary.suppressed = suppressed;
  report.suppressions = suppressions.map((s, i): ReportSuppression => ({ ...s, matched: matched[i] ?? 0 }));
  return { suppressed, unused: suppressions.filter((_, i) => matched[i] === 0) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

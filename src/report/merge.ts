/**
 * `tgc merge`: one report from the reports of the N shards of one run (`tgc run --shard I/N`).
 * Each shard ran the cases of its slice of one plan and the scenario checks assigned to it, and
 * says so in its `shard` section; joined, its findings, check rows and counts are those of the
 * unsharded run with the same seed (only requests, timings and shrinking differ, being spent on
 * several machines). Findings are listed as that run lists them: by case (plan order), then the
 * limits learned, then the scenarios by check, for each surface in turn.
 *
 * Shards that do not belong together are refused (`MergeRefused`, one line): of other seeds,
 * tool versions, options or targets, a shard missing or given twice, a report that is no shard.
 */
import { combineChecks } from './combine.js';
import {
  listedPerKind,
  REPORT_SCHEMA_VERSION,
  sortOmitted,
  type ReportCheck,
  type ReportFinding,
  type ReportOmittedFindings,
  type ReportRunOptions,
  type ReportShard,
  type ReportShardSurface,
  type TgcReport,
} from './report.js';

export class MergeRefused extends Error {
  override readonly name = 'MergeRefused';
}

/** A report to merge and the name it is known by (its file), for messages. */
export interface ShardInput {
  name: string;
  report: unknown;
}

type ShardReport = TgcReport & { shard: ReportShard; run: ReportRunOptions };

export function mergeShardReports(inputs: readonly ShardInput[]): TgcReport {
  const shards = inputs.map(({ name, report }) => ({ name, report: asShardReport(report, name) }));
  checkTheyBelongTogether(shards);
  shards.sort((a, b) => a.report.shard.index - b.report.shard.index);
  const reports = shards.map((s) => s.report);
  const [first] = reports;
  if (!first) throw new MergeRefused('no report to merge');

  const surfaces = first.shard.surfaces.map((_, position) => mergeSurface(reports, position));
  const findings = surfaces.flatMap((s) => s.findings);
  const omitted = surfaces.flatMap((s) => s.omitted);
  const checks = combineChecks(surfaces.map((s) => s.checks));
  const violations =
    findings.filter((f) => f.severity === 'violation').length + omitted.reduce((n, o) => n + (o.severity === 'violation' ? o.count : 0), 0);
  const findingCount = findings.length + omitted.reduce((n, o) => n + o.count, 0);
  const startedAt = reports.map((r) => r.startedAt).sort()[0] ?? first.startedAt;
  const ends = reports.map((r) => Date.parse(r.startedAt) + r.durationMs);
  const sum = (pick: (r: TgcReport) => number): number => reports.reduce((n, r) => n + pick(r), 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: first.tool,
    target: first.target,
    seed: first.seed,
    startedAt,
    durationMs: Math.max(...ends) - Date.parse(startedAt),
    interrupted: reports.some((r) => r.interrupted),
    limits: mergeLimits(reports),
    summary: {
      checks: checks.length,
      cases: sum((r) => r.summary.cases),
      requests: sum((r) => r.summary.requests),
      violations,
      warnings: findingCount - violations,
      known: 0,
      skippedCases: sum((r) => r.summary.skippedCases),
    },
    checks,
    findings,
    skipped: surfaces.flatMap((s) => s.skipped),
    timings: reports.flatMap((r) => r.timings),
    coverage: mergeCoverage(reports),
    ...(omitted.length > 0 ? { omittedFindings: omitted } : {}),
  };
}

/** One surface's findings and rows, from every shard's part of it. */
function mergeSurface(
  reports: readonly ShardReport[],
  position: number,
): { findings: ReportFinding[]; omitted: ReportOmittedFindings[]; checks: ReportCheck[]; skipped: TgcReport['skipped'] } {
  const parts = reports.map((r) => ({ surface: r.shard.surfaces[position] as ReportShardSurface, findings: surfaceFindings(r, position) }));
  const rows = parts[0]?.surface.checks ?? [];
  const order = new Map(rows.map((c, i) => [c.id, i]));

  const listed = parts.flatMap((p) => p.findings.cases).sort((a, b) => (a.case?.id ?? 0) - (b.case?.id ?? 0));
  // Every kind a shard counted has a finding listed: the surface's omitted entries are those of its kinds.
  const kinds = new Set(listed.map((f) => f.dedupeKey));
  const { cases, omitted } = relist(
    listed,
    reports.flatMap((r) => r.omittedFindings ?? []).filter((o) => kinds.has(o.dedupeKey)),
  );
  // A limit is reported once, with the first case of the plan that taught it.
  const learned = new Map<string, { finding: ReportFinding; case: number }>();
  for (const p of parts) {
    p.surface.findings.learned.forEach((l, i) => {
      const finding = p.findings.learned[i];
      const kept = learned.get(l.limit);
      if (finding && (!kept || l.case < kept.case)) learned.set(l.limit, { finding, case: l.case });
    });
  }
  const scenarios = parts.flatMap((p) => p.findings.scenarios).sort((a, b) => (order.get(a.check) ?? 0) - (order.get(b.check) ?? 0));
  const findings = [...cases, ...[...learned.values()].sort((a, b) => a.case - b.case).map((l) => l.finding), ...scenarios];

  const owners = new Map<string, ReportCheck>();
  for (const p of parts) {
    for (const id of p.surface.scenarioChecks) {
      const row = p.surface.checks.find((c) => c.id === id);
      if (row) owners.set(id, row);
    }
  }
  const checks = rows.map((row) => {
    const owned = owners.get(row.id);
    return owned ? { ...owned } : mergeRow(row, parts.map((p) => p.surface), findings, omitted);
  });
  // The cases skipped, in plan order.
  const skipped = reports
    .flatMap((r) => {
      const entries = surfaceSkipped(r, position);
      return (r.shard.surfaces[position]?.skipped ?? []).map((id, i) => ({ id, entry: entries[i] }));
    })
    .sort((a, b) => a.id - b.id)
    .flatMap((s) => (s.entry ? [s.entry] : []));
  return { findings, omitted, checks, skipped };
}

/**
 * The findings of cases the merged run lists, as one run lists them (`listedPerKind` over all its
 * kinds: each shard listed at least as many of each kind of its slice, so the first of the run
 * are among them), and the rest counted.
 */
function relist(listed: readonly ReportFinding[], omitted: readonly ReportOmittedFindings[]): { cases: ReportFinding[]; omitted: ReportOmittedFindings[] } {
  const perKind = listedPerKind(new Set(listed.map((f) => f.dedupeKey)).size);
  const shown = new Map<string, number>();
  const counted = new Map<string, ReportOmittedFindings>();
  const count = (o: ReportOmittedFindings): void => {
    const key = `${o.severity}\u0000${o.dedupeKey}`;
    const seen = counted.get(key);
    if (seen) seen.count += o.count;
    else counted.set(key, { ...o });
  };
  const cases: ReportFinding[] = [];
  for (const f of listed) {
    const n = shown.get(f.dedupeKey) ?? 0;
    if (n < perKind) {
      cases.push(f);
      shown.set(f.dedupeKey, n + 1);
    } else count({ dedupeKey: f.dedupeKey, check: f.check, severity: f.severity, ...(f.route !== undefined ? { route: f.route } : {}), count: 1 });
  }
  for (const o of omitted) count(o);
  return { cases, omitted: sortOmitted([...counted.values()]) };
}

/** A shard's skipped cases of one surface: the surfaces' entries follow each other in the report. */
function surfaceSkipped(report: ShardReport, position: number): TgcReport['skipped'] {
  let offset = 0;
  for (const s of report.shard.surfaces.slice(0, position)) offset += s.skipped.length;
  return report.skipped.slice(offset, offset + (report.shard.surfaces[position]?.skipped.length ?? 0));
}

/** A check over single exchanges: its slices' rows added up, judged as `tgc run` judges one. */
function mergeRow(
  template: ReportCheck,
  surfaces: readonly ReportShardSurface[],
  findings: readonly ReportFinding[],
  omitted: readonly ReportOmittedFindings[],
): ReportCheck {
  const rows = surfaces.map((s) => s.checks.find((c) => c.id === template.id)).filter((c): c is ReportCheck => c !== undefined);
  let violations = 0;
  let warnings = 0;
  for (const f of findings) if (f.check === template.id) f.severity === 'violation' ? violations++ : warnings++;
  for (const o of omitted) if (o.check === template.id) o.severity === 'violation' ? (violations += o.count) : (warnings += o.count);
  const base = { id: template.id, severity: template.severity, title: template.title, violations, warnings };
  const cases = rows.reduce((n, r) => n + r.cases, 0);
  const error = rows.find((r) => r.status === 'error');
  if (error) return { ...base, status: 'error', ...(error.reason !== undefined ? { reason: error.reason } : {}), cases };
  if (violations > 0) return { ...base, status: 'fail', cases };
  if (cases > 0) return { ...base, status: 'pass', cases };
  return { ...base, status: 'skip', reason: commonestReason(surfaces, template.id) ?? 'no exchange to judge', cases: 0 };
}

/** The reason most exchanges gave for skipping, the one of the earliest case on a tie (as one run picks it). */
function commonestReason(surfaces: readonly ReportShardSurface[], id: string): string | undefined {
  const totals = new Map<string, { count: number; first: number }>();
  for (const s of surfaces) {
    for (const r of s.skipReasons[id] ?? []) {
      const t = totals.get(r.reason);
      if (t) {
        t.count += r.count;
        t.first = Math.min(t.first, r.first);
      } else totals.set(r.reason, { count: r.count, first: r.first });
    }
  }
  return [...totals].sort(([, a], [, b]) => b.count - a.count || a.first - b.first)[0]?.[0];
}

/** A shard's findings of one surface, split as its shard section counts them; baseline and suppression marks dropped. */
function surfaceFindings(report: ShardReport, position: number): { cases: ReportFinding[]; learned: ReportFinding[]; scenarios: ReportFinding[] } {
  let offset = 0;
  for (const s of report.shard.surfaces.slice(0, position)) offset += s.findings.cases + s.findings.learned.length + s.findings.scenarios;
  const counts = (report.shard.surfaces[position] as ReportShardSurface).findings;
  const take = (n: number): ReportFinding[] => {
    const out = report.findings.slice(offset, offset + n).map(({ known: _known, suppressed: _suppressed, ...f }) => f);
    offset += n;
    return out;
  };
  return { cases: take(counts.cases), learned: take(counts.learned.length), scenarios: take(counts.scenarios) };
}

/** The limits every shard used; one a shard learned wins over the same limit unlearned. */
function mergeLimits(reports: readonly TgcReport[]): TgcReport['limits'] {
  const limits: TgcReport['limits'] = {};
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.limits)) {
      const seen = limits[k];
      if (!seen || (v.source === 'learned' && seen.source !== 'learned')) limits[k] = { ...v };
    }
  }
  return limits;
}

function mergeCoverage(reports: readonly TgcReport[]): TgcReport['coverage'] {
  const coverage: TgcReport['coverage'] = {};
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.coverage)) {
      const entry = (coverage[k] ??= { sent: 0, boundaries: 0 });
      entry.sent += v.sent;
      entry.boundaries += v.boundaries;
    }
  }
  return coverage;
}

/** The shards of one run: same tool, seed, options and target; each slice once, none missing. */
function checkTheyBelongTogether(shards: readonly { name: string; report: ShardReport }[]): void {
  const [a, ...rest] = shards;
  if (!a) throw new MergeRefused('no report to merge');
  const count = a.report.shard.count;
  for (const b of rest) {
    const differ = (what: string, x: unknown, y: unknown): void => {
      if (canonical(x) !== canonical(y)) {
        throw new MergeRefused(`${b.name} is not a shard of the same run as ${a.name}: ${what} differ (${canonical(y)} vs ${canonical(x)})`);
      }
    };
    differ('the numbers of shards', count, b.report.shard.count);
    differ('the seeds', a.report.seed, b.report.seed);
    differ('the tgc versions', a.report.tool.version, b.report.tool.version);
    differ('the options', a.report.run, b.report.run);
    differ('the APIs', [a.report.target.api, a.report.target.apis], [b.report.target.api, b.report.target.apis]);
    differ('the targets', target(a.report), target(b.report));
    differ('the plans', plans(a.report), plans(b.report));
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.report.shard.index);
    if (other !== undefined) throw new MergeRefused(`shard ${s.report.shard.index}/${count} is given twice: ${other} and ${s.name}`);
    seen.set(s.report.shard.index, s.name);
  }
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new MergeRefused(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: give the reports of all ${count} shards`);
  }
  // Every case of the plan in exactly one slice.
  a.report.shard.surfaces.forEach((surface, position) => {
    const ids = shards.flatMap((s) => s.report.shard.surfaces[position]?.caseIds ?? []).sort((x, y) => x - y);
    if (ids.length !== surface.planned || ids.some((id, i) => id !== i)) {
      throw new MergeRefused(`the shards do not slice one plan of ${surface.planned} cases (api ${surface.api}): were they made by the same tgc run --shard command?`);
    }
  });
}

/** The target a shard ran against; the built-in server's port differs on every machine. */
function target(r: TgcReport): unknown {
  return r.target.builtIn ? { builtIn: true } : { url: r.target.url, surfaces: r.shard?.surfaces.map((s) => s.url) };
}

function plans(r: ShardReport): unknown {
  return r.shard.surfaces.map((s) => [s.api, s.planned]);
}

/** Reads a parsed report.json as a shard's report, or says in one line why it is not one. */
export function asShardReport(value: unknown, name: string): ShardReport {
  const not = (why: string): MergeRefused => new MergeRefused(`${name} is not the report.json of a tgc run --shard: ${why}`);
  if (!isObject(value) || !isObject(value['tool']) || value['tool']['name'] !== 'tgc') throw not('not a tgc report');
  if (value['schemaVersion'] !== REPORT_SCHEMA_VERSION) throw not(`schemaVersion ${JSON.stringify(value['schemaVersion'])}, expected ${REPORT_SCHEMA_VERSION}`);
  const shard = value['shard'];
  if (shard === undefined) throw not('it has no shard section (a run without --shard)');
  if (!isObject(shard) || !isCount(shard['index']) || !isCount(shard['count']) || shard['index'] < 1 || shard['index'] > shard['count']) throw not('its shard section is malformed');
  if (!Array.isArray(shard['surfaces']) || shard['surfaces'].length === 0 || !shard['surfaces'].every(isSurface)) throw not('its shard section is malformed');
  if (!isObject(value['run']) || !isObject(value['target']) || !isObject(value['summary']) || !isObject(value['limits']) || !isObject(value['coverage'])) {
    throw not('a section is missing (run, target, summary, limits or coverage)');
  }
  for (const key of ['findings', 'checks', 'skipped', 'timings'] as const) if (!Array.isArray(value[key])) throw not(`"${key}" is not a list`);
  const report = value as unknown as ShardReport;
  const listed = report.shard.surfaces.reduce((n, s) => n + s.findings.cases + s.findings.learned.length + s.findings.scenarios, 0);
  if (listed !== report.findings.length) throw not(`its shard section counts ${listed} findings, the report has ${report.findings.length}`);
  const skipped = report.shard.surfaces.reduce((n, s) => n + s.skipped.length, 0);
  if (skipped !== report.skipped.length) throw not(`its shard section counts ${skipped} skipped cases, the report has ${report.skipped.length}`);
  return report;
}

function isSurface(value: unknown): boolean {
  if (!isObject(value) || !isObject(value['findings']) || !isObject(value['skipReasons'])) return false;
  const f = value['findings'];
  return (
    typeof value['api'] === 'string' &&
    isCount(value['planned']) &&
    Array.isArray(value['caseIds']) &&
    value['caseIds'].every(isCount) &&
    Array.isArray(value['scenarioChecks']) &&
    Array.isArray(value['skipped']) &&
    value['skipped'].every(isCount) &&
    Array.isArray(value['checks']) &&
    isCount(f['cases']) &&
    isCount(f['scenarios']) &&
    Array.isArray(f['learned'])
  );
}

function isObject(value: unknown): value is Record<string, unknown> & { [k: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** JSON with sorted keys, to compare options whatever order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  ) ?? 'undefined';
}

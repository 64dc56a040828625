/**
 * One report from the reports of several surfaces of the same server, tested in one command
 * (`tgc run --api tgi,openai`: TGI serves both): findings side by side (their dedupe keys name
 * the route, so they never collide), the rows of a check that both surfaces ran (the
 * exchange-level `response-completes`, `stream-framing`) added up, the rest listed as each report
 * lists it.
 */
import type { CheckStatus, ReportCheck, TgcReport } from './report.js';

const STATUS_RANK: Readonly<Record<CheckStatus, number>> = { skip: 0, pass: 1, fail: 2, error: 3 };

export function combineReports(reports: readonly TgcReport[]): TgcReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('combineReports: no report');
  if (rest.length === 0) return first;
  const checks = combineChecks(reports.map((r) => r.checks));
  const sum = (pick: (r: TgcReport) => number): number => reports.reduce((n, r) => n + pick(r), 0);
  const coverage: TgcReport['coverage'] = {};
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.coverage)) {
      const entry = (coverage[k] ??= { sent: 0, boundaries: 0 });
      entry.sent += v.sent;
      entry.boundaries += v.boundaries;
    }
  }
  const startedAt = reports.map((r) => r.startedAt).sort()[0] ?? first.startedAt;
  const ends = reports.map((r) => Date.parse(r.startedAt) + r.durationMs);
  return {
    ...first,
    target: { ...first.target, apis: reports.map((r) => r.target.api) },
    startedAt,
    durationMs: Math.max(...ends) - Date.parse(startedAt),
    interrupted: reports.some((r) => r.interrupted),
    limits: Object.assign({}, ...reports.map((r) => r.limits)) as TgcReport['limits'],
    summary: {
      checks: checks.length,
      cases: sum((r) => r.summary.cases),
      requests: sum((r) => r.summary.requests),
      violations: sum((r) => r.summary.violations),
      warnings: sum((r) => r.summary.warnings),
      known: sum((r) => r.summary.known),
      skippedCases: sum((r) => r.summary.skippedCases),
    },
    checks,
    findings: reports.flatMap((r) => r.findings),
    skipped: reports.flatMap((r) => r.skipped),
    timings: reports.flatMap((r) => r.timings),
    coverage,
    ...combineOmitted(reports),
    ...combineShards(reports),
  };
}

/**
 * The rows of several surfaces' reports as one list: a check both ran (`response-completes`)
 * added up, its status the worse of the two; the rest as each report lists it, in order.
 */
export function combineChecks(lists: readonly (readonly ReportCheck[])[]): ReportCheck[] {
  const checks: ReportCheck[] = [];
  const byId = new Map<string, ReportCheck>();
  for (const list of lists) {
    for (const c of list) {
      const seen = byId.get(c.id);
      if (!seen) {
        const copy = { ...c };
        byId.set(c.id, copy);
        checks.push(copy);
        continue;
      }
      seen.cases += c.cases;
      seen.violations += c.violations;
      seen.warnings += c.warnings;
      if (STATUS_RANK[c.status] > STATUS_RANK[seen.status]) {
        seen.status = c.status;
        if (c.reason !== undefined) seen.reason = c.reason;
        else delete seen.reason;
      }
      if (seen.status === 'pass' || seen.status === 'fail') delete seen.reason;
    }
  }
  return checks;
}

/** Findings counted but not listed: each surface's, in order (their dedupe keys never collide). */
function combineOmitted(reports: readonly TgcReport[]): Pick<TgcReport, 'omittedFindings'> {
  const omitted = reports.flatMap((r) => r.omittedFindings ?? []);
  return omitted.length > 0 ? { omittedFindings: omitted } : {};
}

/** A shard of several surfaces: each surface's part of the slice, in order. */
function combineShards(reports: readonly TgcReport[]): Pick<TgcReport, 'shard'> {
  const [first] = reports;
  if (!first?.shard || reports.some((r) => !r.shard)) return {};
  const shards = reports.map((r) => r.shard).filter((s) => s !== undefined);
  return {
    shard: {
      index: first.shard.index,
      count: first.shard.count,
      cases: shards.reduce((n, s) => n + s.cases, 0),
      surfaces: shards.flatMap((s) => s.surfaces),
    },
  };
}

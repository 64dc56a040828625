/**
 * `--baseline OLD.json`: violations whose dedupeKey is in an earlier report are known; they are
 * listed, marked `known`, and do not fail the run. Keys in the baseline that the run no longer
 * shows are reported as fixed.
 */
import { omittedWithKind, type TgcReport } from './report.js';

export interface BaselineOutcome {
  /** Violations neither in the baseline nor suppressed: these fail the run. */
  newViolations: number;
  known: number;
  /** dedupeKeys of the baseline's violations that this run did not show. */
  fixed: string[];
}

/** Reads the dedupeKeys of a report.json's violations; throws a message on a malformed file. */
export function baselineKeys(text: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new Error('not a tgc report: no "findings" list');
  const keys = new Set<string>();
  for (const f of findings) {
    const key = (f as { dedupeKey?: unknown; severity?: unknown }).dedupeKey;
    if (typeof key !== 'string') throw new Error('not a tgc report: a finding without "dedupeKey"');
    if ((f as { severity?: unknown }).severity === 'violation') keys.add(key);
  }
  return keys;
}

/**
 * Marks known findings in place, counts them, and records in `report.fixed` the baseline's keys
 * that this run no longer shows. A key only counts as fixed when its check ran (pass or fail):
 * a check left out (`--checks`) or skipped has not retested it.
 */
export function applyBaseline(report: TgcReport, keys: ReadonlySet<string>): BaselineOutcome {
  let known = 0;
  let newViolations = 0;
  const seen = new Set<string>();
  for (const f of report.findings) {
    if (f.severity !== 'violation') continue;
    seen.add(f.dedupeKey);
    if (keys.has(f.dedupeKey)) {
      f.known = true;
      known++;
    } else if (f.suppressed === undefined) newViolations++;
  }
  // Findings counted but not listed: known or new as the listed ones of their kind.
  for (const { omitted, like } of omittedWithKind(report)) {
    if (omitted.severity !== 'violation') continue;
    if (keys.has(omitted.dedupeKey)) known += omitted.count;
    else if (like?.suppressed === undefined) newViolations += omitted.count;
  }
  report.summary.known = known;
  const retested = new Set(report.checks.filter((c) => c.status === 'pass' || c.status === 'fail').map((c) => c.id));
  const fixed = [...keys].filter((k) => !seen.has(k) && retested.has(checkOfKey(k))).sort();
  report.fixed = fixed;
  return { newViolations, known, fixed };
}

function checkOfKey(key: string): string {
  const bar = key.indexOf('|');
  return bar < 0 ? key : key.slice(0, bar);
}

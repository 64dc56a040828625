/**
 * What a run keeps of its cases for the report, bounded whatever their number: every finding and
 * every check outcome counted, and as examples only the first findings of each kind by plan order
 * (`listedPerKind`), with their exchanges. Cases complete in any order (concurrency); what is kept
 * depends only on the plan, so the same seed keeps the same examples.
 */
import type { Severity } from '../core/finding.js';
import { listedPerKind, sortOmitted, type ReportOmittedFindings } from '../report/report.js';
import type { CheckOutcome } from './inspect-exchange.js';

/** A finding's kind, as the report's dedupeKey names it. */
export interface FindingKind {
  dedupeKey: string;
  check: string;
  severity: Severity;
  route?: string;
}

interface Kept<T> {
  /** Plan order: the case's id, then the finding's place among the case's findings. */
  caseId: number;
  index: number;
  severity: Severity;
  item: T;
}

const before = (a: { caseId: number; index: number }, b: { caseId: number; index: number }): boolean =>
  a.caseId < b.caseId || (a.caseId === b.caseId && a.index < b.index);

/** The first findings of each kind by plan order, at most `listedPerKind(kinds)` each; all counted. */
export class FindingSample<T> {
  private readonly kinds = new Map<string, Kept<T>[]>();
  private readonly totals = new Map<string, FindingKind & { count: number }>();
  private perKind = listedPerKind(1);

  add(kind: FindingKind, caseId: number, index: number, item: T): void {
    const totalKey = `${kind.severity}\u0000${kind.dedupeKey}`;
    const total = this.totals.get(totalKey);
    if (total) total.count++;
    else this.totals.set(totalKey, { ...kind, count: 1 });

    let list = this.kinds.get(kind.dedupeKey);
    if (!list) {
      list = [];
      this.kinds.set(kind.dedupeKey, list);
      const perKind = listedPerKind(this.kinds.size);
      if (perKind < this.perKind) {
        this.perKind = perKind;
        for (const l of this.kinds.values()) if (l.length > perKind) l.length = perKind;
      }
    }
    const entry: Kept<T> = { caseId, index, severity: kind.severity, item };
    const last = list[list.length - 1];
    if (list.length >= this.perKind && last && !before(entry, last)) return;
    let at = list.length;
    while (at > 0 && before(entry, list[at - 1] as Kept<T>)) at--;
    list.splice(at, 0, entry);
    if (list.length > this.perKind) list.pop();
  }

  /** The examples kept, in plan order. */
  kept(): { caseId: number; index: number; item: T }[] {
    const all: Kept<T>[] = [];
    for (const l of this.kinds.values()) all.push(...l);
    return all.sort((a, b) => a.caseId - b.caseId || a.index - b.index);
  }

  /** Findings counted and not kept, per kind and severity, sorted by dedupeKey then severity. */
  omitted(): ReportOmittedFindings[] {
    const keptCount = new Map<string, number>();
    for (const [key, l] of this.kinds) for (const k of l) keptCount.set(`${k.severity}\u0000${key}`, (keptCount.get(`${k.severity}\u0000${key}`) ?? 0) + 1);
    const out: ReportOmittedFindings[] = [];
    for (const [totalKey, t] of this.totals) {
      const count = t.count - (keptCount.get(totalKey) ?? 0);
      if (count > 0) out.push({ dedupeKey: t.dedupeKey, check: t.check, severity: t.severity, ...(t.route !== undefined ? { route: t.route } : {}), count });
    }
    return sortOmitted(out);
  }

  /** Every finding counted, per check: violations and warnings. */
  countsByCheck(): Map<string, { violations: number; warnings: number }> {
    const out = new Map<string, { violations: number; warnings: number }>();
    for (const t of this.totals.values()) {
      const c = out.get(t.check) ?? { violations: 0, warnings: 0 };
      if (t.severity === 'violation') c.violations += t.count;
      else c.warnings += t.count;
      out.set(t.check, c);
    }
    return out;
  }
}

/** One check's outcomes over a run, counted: how many it judged, its first error, its skip reasons. */
export interface CheckTally {
  ran: number;
  /** The error of the earliest case (plan order). */
  error?: { at: number; reason: string };
  /** Each skip reason: how many outcomes gave it, and the earliest (plan order) that did. */
  skips: Map<string, { count: number; first: number }>;
}

export function newTally(): CheckTally {
  return { ran: 0, skips: new Map() };
}

/**
 * Counts one outcome at plan position `at` (a case id, or a scenario group's place); a skip may
 * also be given as the `{ skip }` a check returned (inspect-exchange.ts forEachResult).
 */
export function tallyOutcome(t: CheckTally, o: CheckOutcome | { skip: string }, at: number): void {
  if ('skip' in o) return countSkip(t, o.skip, at);
  if (o.status === 'skip') return countSkip(t, o.reason, at);
  t.ran++;
  if (o.status === 'error' && (!t.error || at < t.error.at)) t.error = { at, reason: o.reason };
}

function countSkip(t: CheckTally, reason: string, at: number): void {
  const seen = t.skips.get(reason);
  if (seen) {
    seen.count++;
    if (at < seen.first) seen.first = at;
  } else t.skips.set(reason, { count: 1, first: at });
}

export function tallyOf(outcomes: readonly CheckOutcome[]): CheckTally {
  const t = newTally();
  outcomes.forEach((o, i) => tallyOutcome(t, o, i));
  return t;
}

/** The skip reasons in plan order of their first occurrence. */
export function skipReasons(t: CheckTally): { reason: string; count: number; first: number }[] {
  return [...t.skips].map(([reason, s]) => ({ reason, count: s.count, first: s.first })).sort((a, b) => a.first - b.first);
}

/** The reason most outcomes gave for skipping; on a tie, the one seen first in plan order. */
export function commonestSkip(t: CheckTally): string | undefined {
  return skipReasons(t).sort((a, b) => b.count - a.count || a.first - b.first)[0]?.reason;
}

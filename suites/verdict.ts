/**
 * What one check's test says about a finished run: pass (with notes on warnings, known and
 * suppressed violations), skip (with the reason), or fail (every kind of violation, with the case
 * and the command that reproduces it).
 */
import { countFindings, findingsByKind, type ReportFinding, type TgcReport } from '../src/report/report.js';

export type CheckVerdict =
  | { status: 'pass'; notes: string[] }
  | { status: 'skip'; reason: string }
  | { status: 'fail'; message: string; notes: string[] };

export function checkVerdict(report: TgcReport, id: string): CheckVerdict {
  const row = report.checks.find((c) => c.id === id);
  if (!row) return { status: 'fail', message: `${id}: the run has no result for this check`, notes: [] };
  if (row.status === 'skip') return { status: 'skip', reason: row.reason ?? 'skipped' };
  if (row.status === 'error') return { status: 'fail', message: `${id}: tgc could not run this check: ${row.reason ?? 'unknown error'}`, notes: [] };
  const mine = report.findings.filter((f) => f.check === id);
  const failing = mine.filter((f) => f.severity === 'violation' && !f.known && f.suppressed === undefined);
  // Counts include the findings the report counts without listing them (`omittedFindings`).
  const notes = findingsByKind(mine.filter((f) => !failing.includes(f)), report.omittedFindings).map(({ finding, count }) => note(finding, count));
  if (failing.length === 0) return { status: 'pass', notes };
  const kinds = findingsByKind(failing, report.omittedFindings);
  const failingCount = countFindings(report, (f) => f.check === id && f.severity === 'violation' && !f.known && f.suppressed === undefined);
  const lines = [
    `${id}: ${failingCount} violation${failingCount > 1 ? 's' : ''} of "${row.title}" against ${report.target.url} (seed ${report.seed}; rerun with TGC_SEED=${report.seed})`,
  ];
  for (const { finding, count } of kinds) lines.push('', describe(finding, count));
  return { status: 'fail', message: lines.join('\n'), notes };
}

function describe(f: ReportFinding, count: number): string {
  const lines = [`- ${f.route ?? 'scenario'}: ${f.message}${count > 1 ? ` (${count} times)` : ''}`];
  if (f.case) lines.push(`  case: ${f.case.label}`);
  if (f.reproduce) lines.push(`  reproduce: ${f.reproduce}`);
  lines.push(`  dedupeKey: ${f.dedupeKey}`);
  return lines.join('\n');
}

function note(f: ReportFinding, count: number): string {
  const what = f.suppressed !== undefined ? `suppressed (${f.suppressed})` : f.known ? 'known (baseline)' : 'warning';
  return `${what}: ${f.route ?? 'scenario'}: ${f.message}${count > 1 ? ` (${count} times)` : ''}`;
}

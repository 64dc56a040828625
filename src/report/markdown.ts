/**
 * `report.md`: a summary fit for a CI job summary (GitHub renders it with a subset of HTML).
 * Every string from the server is escaped: it is hostile input, and a job summary renders links,
 * images and HTML.
 */
import { countFindings, failingViolations, findingsByKind, type ReportCheck, type ReportFinding, type TgcReport } from './report.js';

const ICON: Record<string, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error', skip: '⏭️ skip' };
const MAX_TEXT = 1000;

export function renderMarkdownReport(report: TgcReport): string {
  const s = report.summary;
  const failing = failingViolations(report);
  const lines: string[] = [];
  lines.push(`# tgc conformance report: ${verdict(report, failing)}`, '');
  lines.push(
    `Target ${code(report.target.url)} (api ${code(report.target.api)}${report.target.builtIn ? ', built-in reference server' : ''}), seed ${code(String(report.seed))}, ` +
      `${new Date(report.startedAt).toISOString()}, ${(report.durationMs / 1000).toFixed(1)} s, tgc ${text(report.tool.version)}.`,
    '',
  );
  lines.push(
    '| checks | cases | requests | violations | failing | known | suppressed | warnings | skipped cases |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.checks} | ${s.cases} | ${s.requests} | ${s.violations} | ${failing} | ${s.known} | ${s.suppressed ?? 0} | ${s.warnings} | ${s.skippedCases} |`,
    '',
  );
  const omitted = (report.omittedFindings ?? []).reduce((n, o) => n + o.count, 0);
  if (omitted > 0) {
    lines.push(`${omitted} findings are counted but not listed: the report lists the first findings of each kind, by plan order (\`omittedFindings\` in report.json).`, '');
  }
  lines.push('| check | status | cases | violations | warnings | note |', '|---|---|---:|---:|---:|---|');
  for (const c of report.checks) {
    const { status, note } = checkCell(c, report);
    lines.push(`| ${code(c.id, true)} | ${status} | ${c.cases} | ${c.violations} | ${c.warnings} | ${note} |`);
  }

  const violations = findingsByKind(report.findings.filter((f) => f.severity === 'violation'), report.omittedFindings);
  if (violations.length > 0) {
    lines.push('', '## Violations (one per kind)', '');
    for (const { finding: f, count } of violations) {
      const mark = f.suppressed !== undefined ? '(suppressed) ' : f.known ? '(known) ' : '';
      lines.push(`### ${mark}${code(f.check)} ${text(f.route ?? '(scenario)')}: ${text(f.title)}`, '');
      if (f.suppressed !== undefined) lines.push(`Suppressed: ${text(f.suppressed)}`, '');
      lines.push(para(f.message), '');
      const seen = count > 1 ? ` (${count} times)` : '';
      if (f.case) lines.push(`Case: ${text(f.case.label)}${seen}`, '');
      else if (seen) lines.push(`Seen${seen}.`, '');
      if (f.reproduce) lines.push(...fenced(f.reproduce, 'sh'), '');
    }
  }

  if (report.fixed && report.fixed.length > 0) {
    lines.push('', '## Fixed since the baseline', '');
    for (const k of report.fixed) lines.push(`- ${code(k)}`);
  }

  const warnings = findingsByKind(report.findings.filter((f) => f.severity === 'warning'), report.omittedFindings);
  if (warnings.length > 0) {
    lines.push('', '## Warnings (one per kind; they do not fail the run)', '');
    for (const { finding: f, count } of warnings) {
      const suppressed = f.suppressed !== undefined ? ` (suppressed: ${text(f.suppressed)})` : '';
      lines.push(`- ${code(f.check)} ${text(f.route ?? '(scenario)')}: ${text(f.message)}${count > 1 ? ` (${count} times)` : ''}${suppressed}`);
    }
  }

  const unused = (report.suppressions ?? []).filter((r) => r.matched === 0);
  if (unused.length > 0) {
    lines.push('', '## Suppressions that matched nothing', '');
    for (const r of unused) lines.push(`- ${code(r.check)}${r.route ? ` ${text(r.route)}` : ''}: ${text(r.reason)}`);
  }

  if (report.skipped.length > 0) {
    lines.push('', '## Skipped cases', '');
    for (const k of report.skipped) lines.push(`- ${text(k.case)}: ${text(k.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

function verdict(report: TgcReport, failing: number): string {
  if (report.interrupted) return 'interrupted';
  if (failing > 0) return 'violations found';
  if (report.summary.violations > 0) return 'no new violations';
  return 'conforms';
}

function checkCell(c: ReportCheck, report: TgcReport): { status: string; note: string } {
  if (c.status === 'skip' || c.status === 'error') return { status: ICON[c.status] ?? c.status, note: text(c.reason ?? '') };
  if (c.status !== 'fail') return { status: ICON[c.status] ?? c.status, note: '' };
  const mine = (f: ReportFinding): boolean => f.check === c.id && f.severity === 'violation';
  const all = countFindings(report, mine);
  const suppressed = countFindings(report, (f) => mine(f) && f.suppressed !== undefined);
  const known = countFindings(report, (f) => mine(f) && f.known === true && f.suppressed === undefined);
  const note = [known > 0 ? `${known} known` : '', suppressed > 0 ? `${suppressed} suppressed` : ''].filter(Boolean).join(', ');
  return { status: known + suppressed === all && all > 0 ? '☑️ accepted' : (ICON.fail ?? 'fail'), note };
}

/** Inline text: Markdown and HTML metacharacters escaped, on one line, bounded. */
function text(value: string): string {
  const one = value.replace(/\r?\n|\r/g, ' ');
  const bounded = one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT)}… (${one.length} characters)` : one;
  return bounded
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text that starts a line: it must not start a heading or a list either. */
function para(value: string): string {
  return text(value).replace(/^(#|[-+=]|\d+[.)])/, '\\$1');
}

/** A code span that no backtick inside the value can close; pipes escaped in table cells. */
function code(value: string, inTable = false): string {
  const one = value.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inTable ? one.replace(/\|/g, '\\|') : one}${pad}${fence}`;
}

/** A fenced block that no backtick run inside the value can close. */
function fenced(value: string, lang: string): string[] {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, value, fence];
}

/**
 * `junit.xml`: one testsuite per run, one testcase per check, for CI test-report consumers
 * (GitHub Actions reporters, GitLab, Jenkins). A check with violations that fail the run gets a
 * `<failure>` (the first message as its attribute; every kind, with its case and reproduce
 * command, in the body); an errored check an `<error>`; a skipped check `<skipped message=…>`.
 * Warnings, and violations that are known or suppressed, go to `<system-out>`: they do not fail.
 */
import junitModule, { type Builder } from 'junit-report-builder';
import { countFindings, findingsByKind, type ReportCheck, type ReportFinding, type TgcReport } from './report.js';

// Its types declare an ES default export; at run time `module.exports` is the builder itself.
const junitRoot = ((junitModule as { default?: Builder }).default ?? junitModule) as Builder;

export function renderJunitReport(report: TgcReport): string {
  const builder = junitRoot.newBuilder();
  builder.name('tgc');
  const suite = builder
    .testSuite()
    .name(xmlText(`tgc conformance: ${report.target.url} (api ${report.target.api}, seed ${report.seed})`))
    .timestamp(new Date(report.startedAt))
    .time(report.durationMs / 1000)
    .property('tgc.version', xmlText(report.tool.version))
    .property('target.url', xmlText(report.target.url))
    .property('target.api', report.target.api)
    .property('seed', String(report.seed))
    .property('interrupted', String(report.interrupted));
  if (report.fixed && report.fixed.length > 0) suite.property('fixed-since-baseline', xmlText(report.fixed.join(' ')));

  const skipReasons: string[] = [];
  for (const check of report.checks) {
    const mine = report.findings.filter((f) => f.check === check.id);
    const failing = mine.filter((f) => f.severity === 'violation' && !f.known && f.suppressed === undefined);
    // With the findings counted but not listed (`omittedFindings`).
    const failingCount = countFindings(report, (f) => f.check === check.id && f.severity === 'violation' && !f.known && f.suppressed === undefined);
    const tc = suite.testCase().className(`tgc.${report.target.api}`).name(check.id);
    if (check.status === 'error') {
      tc.error(xmlText(oneLine(`tgc could not run this check: ${check.reason ?? 'unknown error'}`)), 'tgc-error');
    } else if (failing.length > 0) {
      const kinds = findingsByKind(failing, report.omittedFindings);
      const first = kinds[0]?.finding;
      const more = kinds.length > 1 ? ` (+${kinds.length - 1} more kinds)` : '';
      tc.failure(xmlText(oneLine(`${failingCount} violation${failingCount > 1 ? 's' : ''}: ${first?.message ?? ''}${more}`)), 'violation');
      tc.stacktrace(cdata(failureBody(check, kinds)));
    } else if (check.status === 'skip') {
      tc.skipped();
      skipReasons.push(check.reason ?? 'skipped');
    }
    const out = systemOut(check, mine.filter((f) => !failing.includes(f)), report);
    if (out !== '') tc.standardOutput(cdata(out));
  }
  return `${withSkipMessages(builder.build(), skipReasons)}\n`;
}

function failureBody(check: ReportCheck, kinds: { finding: ReportFinding; count: number }[]): string {
  const parts = [`${check.id}: ${check.title}`];
  for (const { finding: f, count } of kinds) parts.push(describe(f, count));
  return parts.join('\n\n');
}

function describe(f: ReportFinding, count: number): string {
  const lines = [`[${f.severity}] ${f.route ?? 'scenario'}: ${f.title}`, f.message];
  if (count > 1) lines.push(`seen ${count} times (dedupeKey ${f.dedupeKey})`);
  else lines.push(`dedupeKey ${f.dedupeKey}`);
  if (f.case) lines.push(`case: ${f.case.label}`);
  if (f.shrunk) lines.push(`shrunk from ${f.shrunk.from} to ${f.shrunk.to} parameters`);
  if (f.response?.status !== undefined) lines.push(`response status: ${f.response.status}`);
  if (f.response?.failure) lines.push(`response failure: ${f.response.failure}`);
  if (f.reproduce) lines.push(`reproduce (seed ${f.seed}):`, `  ${f.reproduce}`);
  return lines.join('\n');
}

function systemOut(check: ReportCheck, notFailing: ReportFinding[], report: TgcReport): string {
  const parts: string[] = [];
  if (check.status === 'skip' && check.reason) parts.push(`skipped: ${check.reason}`);
  const violations = notFailing.filter((f) => f.severity === 'violation');
  for (const { finding: f, count } of findingsByKind(violations, report.omittedFindings)) {
    const why = f.suppressed !== undefined ? `suppressed (${f.suppressed})` : 'known (in the baseline)';
    parts.push(`${why}: ${describe(f, count)}`);
  }
  for (const { finding: f, count } of findingsByKind(notFailing.filter((f) => f.severity === 'warning'), report.omittedFindings)) {
    parts.push(`warning${f.suppressed !== undefined ? `, suppressed (${f.suppressed})` : ''}: ${describe(f, count)}`);
  }
  return parts.join('\n\n');
}

/**
 * junit-report-builder writes `<skipped/>` without a message: add each check's reason. The text
 * outside CDATA holds no other `<skipped/>` (attribute values are escaped, CDATA holds no `]]>`),
 * so the n-th one is the n-th skipped check.
 */
function withSkipMessages(xml: string, reasons: readonly string[]): string {
  let n = 0;
  const out = xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part
        : part.replace(/<skipped\/>/g, () => `<skipped message="${attribute(xmlText(oneLine(reasons[n++] ?? 'skipped')))}"/>`),
    )
    .join('');
  if (n !== reasons.length) throw new Error(`[tgc] junit: expected ${reasons.length} <skipped/> elements, wrote ${n}`);
  return out;
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function oneLine(value: string): string {
  const line = value.replace(/\s*\r?\n\s*/g, ' ');
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/**
 * Characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE/U+FFFF) written as
 * visible escapes rather than dropped: a server that sends an ESC byte should be seen doing so.
 */
function xmlText(value: string): string {
  return value.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * CDATA cannot hold `]]>`, and xmlbuilder splits only its first occurrence: break every one
 * (shown as `]]&gt;`), so that server text can never end the section early.
 */
function cdata(value: string): string {
  return xmlText(value).replace(/\]\]>/g, ']]&gt;');
}

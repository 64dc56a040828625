/**
 * `matrix.md`: the table (targets as rows, checks as columns) and, below it, the findings of each
 * failing cell (then of each cell with warnings), which the cells link to. Fit for a CI job
 * summary. Everything that came from a server or a file is escaped: it is hostile input, and a
 * job summary renders links, images and HTML.
 */
import { cellCounts, cellFigure, LEGEND, matrixVerdict, rowLabel, STATUS_ICON, versionText } from './labels.js';
import type { MatrixCell, MatrixCheck, MatrixRow, TgcMatrix } from './model.js';

const MAX_TEXT = 1000;

export function renderMarkdownMatrix(m: TgcMatrix): string {
  const lines: string[] = [];
  lines.push(`# tgc compatibility matrix: ${text(matrixVerdict(m))}`, '');
  const files = m.inputs.length;
  lines.push(
    `${m.summary.rows} ${m.by === 'model' ? 'rows (target × model)' : 'targets'} × ${m.checks.length} checks, from ${m.summary.exchanges} exchanges ` +
      `in ${files} file${files === 1 ? '' : 's'}, grouped by ${m.by}; ${text(m.generatedAt)}, tgc ${text(m.tool.version)}.`,
    '',
  );
  lines.push(LEGEND.map(([s, meaning]) => `${STATUS_ICON[s]} ${meaning}`).join(' · '), '');

  if (m.rows.length > 0) {
    const head = ['target', ...(m.by === 'model' ? ['model'] : []), 'versions', 'exchanges', ...m.checks.map((c) => code(c.id, true))];
    const align = ['---', ...(m.by === 'model' ? ['---'] : []), '---', '---:', ...m.checks.map(() => ':---:')];
    lines.push(`| ${head.join(' | ')} |`, `|${align.join('|')}|`);
    for (const r of m.rows) {
      const cells = [
        text(r.target),
        ...(m.by === 'model' ? [r.model === undefined ? '–' : code(r.model, true)] : []),
        r.versions.length === 0 ? '–' : r.versions.map((v) => text(versionText(v))).join('<br>'),
        String(r.exchanges),
        ...r.cells.map(cellMarkdown),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }

  const failing = cellsWith(m, 'fail');
  if (failing.length > 0) {
    lines.push('', '## Failing cells', '');
    for (const [r, c, check] of failing) lines.push(...cellSection(m, r, c, check));
  }
  const warned = cellsWith(m, 'warn');
  if (warned.length > 0) {
    lines.push('', '## Cells with warnings (they never fail)', '');
    for (const [r, c, check] of warned) lines.push(...cellSection(m, r, c, check));
  }

  lines.push('', '## Inputs', '');
  for (const i of m.inputs) lines.push(`- ${code(i.file)}: ${i.kind === 'report' ? `a tgc report, ${i.exchanges} cases` : `${i.exchanges} recorded exchanges`}`);
  return `${lines.join('\n')}\n`;
}

function cellMarkdown(c: MatrixCell): string {
  const figure = cellFigure(c);
  const label = `${STATUS_ICON[c.status]}${figure === '' ? '' : ` ${figure}`}`;
  return c.anchor !== undefined ? `[${label}](#${c.anchor})` : label;
}

function cellsWith(m: TgcMatrix, status: MatrixCell['status']): [MatrixRow, MatrixCell, MatrixCheck][] {
  const out: [MatrixRow, MatrixCell, MatrixCheck][] = [];
  for (const r of m.rows) {
    r.cells.forEach((c, i) => {
      const check = m.checks[i];
      if (c.status === status && c.anchor !== undefined && check) out.push([r, c, check]);
    });
  }
  return out;
}

function cellSection(m: TgcMatrix, r: MatrixRow, c: MatrixCell, check: MatrixCheck): string[] {
  const lines = [`<a id="${c.anchor ?? ''}"></a>`, '', `### ${STATUS_ICON[c.status]} ${text(rowLabel(r, m.by))}: ${code(check.id)}`, ''];
  lines.push(`${text(cellCounts(c))}.${check.rule !== undefined ? ` Rule: ${text(check.rule)}` : ''}`, '');
  if (c.findings.length === 0) lines.push('No finding was recorded for this cell (the report lists none).', '');
  for (const g of c.findings) {
    lines.push(`- **${g.severity}** ${code(g.kind)} (${g.count}×): ${text(g.title)}`);
    for (const e of g.examples) {
      const where = `${e.file}${e.line !== undefined ? `:${e.line}` : ''}`;
      const meta = [e.route, e.version, e.case, e.pointer !== undefined ? `at ${e.pointer}` : undefined, e.event !== undefined ? `event ${e.event}` : undefined]
        .filter((x): x is string => x !== undefined)
        .map(text)
        .join(', ');
      lines.push(`  - ${code(where)}${meta !== '' ? ` (${meta})` : ''}: ${text(e.message)}`);
    }
    const first = g.examples.find((e) => e.excerpt !== undefined);
    if (first?.excerpt !== undefined) lines.push('', ...fenced(first.excerpt).map((l) => `  ${l}`));
  }
  lines.push('');
  return lines;
}

/** Inline text: Markdown and HTML metacharacters escaped, on one line, bounded. */
export function text(value: string): string {
  const one = value.replace(/\r?\n|\r/g, ' ');
  const bounded = one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT)}… (${one.length} characters)` : one;
  return bounded
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A code span that no backtick inside the value can close; pipes escaped in table cells. */
function code(value: string, inTable = false): string {
  const one = value.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inTable ? one.replace(/\|/g, '\\|') : one}${pad}${fence}`;
}

/** A fenced block that no backtick run inside the value can close; control characters made visible. */
function fenced(value: string): string[] {
  const visible = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const longest = Math.max(0, ...(visible.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...visible.split(/\r\n|\r|\n/), fence];
}

/**
 * `matrix.html`: one self-contained page that opens offline. The table (targets as rows, checks
 * as columns) and the findings of every failing or warning cell, which the cells link to, are
 * static HTML: no script at all, and a Content-Security-Policy that lets nothing load.
 *
 * Everything the servers sent is hostile input: it is HTML-escaped, in text and in attributes.
 */
import { cellCounts, cellFigure, LEGEND, matrixVerdict, rowLabel, STATUS_WORD, versionText } from './labels.js';
import type { MatrixCell, MatrixCellStatus, MatrixCheck, MatrixRow, TgcMatrix } from './model.js';

/** Symbols of common text fonts (DejaVu has them), not emoji: a page without an emoji font stays readable. */
const ICON: Readonly<Record<MatrixCellStatus, string>> = { pass: '✓', warn: '⚠', fail: '✗', error: '?', 'not-exercised': '–' };

export function renderHtmlMatrix(m: TgcMatrix): string {
  const verdict = matrixVerdict(m);
  const verdictClass = m.summary.failingRows > 0 ? 'fail' : m.summary.cells.error > 0 ? 'error' : 'pass';
  const body = [
    `<header class="verdict ${verdictClass}"><h1>tgc compatibility matrix: ${esc(verdict)}</h1>`,
    `<p class="meta">${m.summary.rows} ${m.by === 'model' ? 'rows (target × model)' : 'targets'} × ${m.checks.length} checks, from ${m.summary.exchanges} exchanges in ${m.inputs.length} ` +
      `file${m.inputs.length === 1 ? '' : 's'}, grouped by <code>${esc(m.by)}</code>; made ${esc(m.generatedAt)} by tgc ${esc(m.tool.version)}</p></header>`,
    `<p class="legend">${LEGEND.map(([s, meaning]) => `<span class="cell ${s}">${ICON[s]}</span> ${esc(meaning)}`).join(' · ')}</p>`,
    '<nav><a href="#matrix">Matrix</a> · <a href="#failing">Failing cells</a> · <a href="#warnings">Warnings</a> · <a href="#inputs">Inputs</a></nav>',
    table(m),
    cellsSection(m, 'fail', 'failing', 'Failing cells', 'No failing cell.'),
    cellsSection(m, 'warn', 'warnings', 'Cells with warnings <small>(they never fail)</small>', 'No cell with warnings only.'),
    inputsSection(m),
    `<footer>Written by tgc ${esc(m.tool.version)}; matrix schema version ${m.schemaVersion}. This file loads nothing from the network.</footer>`,
  ].join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>tgc compatibility matrix: ${esc(verdict)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function table(m: TgcMatrix): string {
  if (m.rows.length === 0) return '<section id="matrix"><p class="empty">No exchange was read.</p></section>';
  const head =
    '<tr><th class="target" scope="col">target</th><th scope="col" class="num">exchanges</th>' +
    m.checks
      .map((c) => `<th scope="col" class="check" data-check="${esc(c.id)}" title="${esc(checkTooltip(c))}"><span>${esc(c.id)}</span></th>`)
      .join('') +
    '</tr>';
  const rows = m.rows.map((r) => {
    const versions = r.versions.length === 0 ? '' : `<br><small class="versions">${r.versions.map((v) => esc(versionText(v))).join('<br>')}</small>`;
    const model = m.by === 'model' ? `<br><code class="model">${esc(r.model ?? '(no model named)')}</code>` : '';
    // The failing checks, named beside the target: seen without scrolling the wide table.
    const fails = r.cells.filter((c) => c.status === 'fail' && c.anchor !== undefined);
    const failLine =
      fails.length === 0 ? '' : `<br><small class="fails">${ICON.fail} ${fails.map((c) => `<a href="#${esc(c.anchor ?? '')}">${esc(c.check)}</a>`).join(', ')}</small>`;
    const cells = r.cells.map((c, i) => cellHtml(r, c, m.checks[i])).join('');
    return (
      `<tr id="${esc(r.id)}" data-row="${esc(r.id)}" data-target="${esc(r.target)}"${r.model !== undefined ? ` data-model="${esc(r.model)}"` : ''} data-status="${r.status}">` +
      `<th scope="row" class="target"><span class="name">${esc(r.target)}</span>${model}${failLine}${versions}</th><td class="num">${r.exchanges}</td>${cells}</tr>`
    );
  });
  return (
    '<section id="matrix"><h2>Matrix</h2><div class="scroll"><table id="matrix-table">' +
    `<thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></section>`
  );
}

function checkTooltip(c: MatrixCheck): string {
  return [c.title, c.severity !== undefined ? `(${c.severity})` : '', c.rule ?? ''].filter(Boolean).join(' ');
}

function cellHtml(r: MatrixRow, c: MatrixCell, check: MatrixCheck | undefined): string {
  const figure = cellFigure(c);
  const label = `${ICON[c.status]}${figure === '' ? '' : ` ${esc(figure)}`}`;
  const tip = `${check?.id ?? c.check} on ${r.target}: ${STATUS_WORD[c.status]}; ${cellCounts(c)}`;
  const inner = c.anchor !== undefined ? `<a href="#${esc(c.anchor)}">${label}</a>` : label;
  return `<td class="cell ${c.status}" data-check="${esc(c.check)}" data-status="${c.status}" title="${esc(tip)}">${inner}</td>`;
}

function cellsSection(m: TgcMatrix, status: 'fail' | 'warn', id: string, heading: string, empty: string): string {
  const blocks: string[] = [];
  for (const r of m.rows) {
    r.cells.forEach((c, i) => {
      const check = m.checks[i];
      if (c.status !== status || c.anchor === undefined || !check) return;
      blocks.push(cellBlock(m, r, c, check));
    });
  }
  return `<section id="${id}"><h2>${heading}</h2>${blocks.length === 0 ? `<p class="empty">${esc(empty)}</p>` : blocks.join('\n')}</section>`;
}

function cellBlock(m: TgcMatrix, r: MatrixRow, c: MatrixCell, check: MatrixCheck): string {
  const parts = [
    `<article class="cell-findings ${c.status}" id="${esc(c.anchor ?? '')}" data-row="${esc(r.id)}" data-check="${esc(c.check)}">`,
    `<h3><span class="badge ${c.status}">${esc(STATUS_WORD[c.status])}</span> <code>${esc(check.id)}</code> on ${esc(rowLabel(r, m.by))}</h3>`,
    `<p class="meta">${esc(cellCounts(c))} · <a href="#${esc(r.id)}">back to the row</a></p>`,
    check.rule !== undefined ? `<p class="rule"><strong>Rule:</strong> ${esc(check.rule)}</p>` : '',
  ];
  if (c.findings.length === 0) parts.push('<p class="empty">No finding was recorded for this cell (the report lists none).</p>');
  for (const g of c.findings) {
    parts.push(
      `<div class="group ${g.severity}" data-kind="${esc(g.kind)}"><h4><span class="badge ${g.severity === 'violation' ? 'fail' : 'warn'}">${esc(g.severity)}</span> ` +
        `<code>${esc(g.kind)}</code> ${esc(g.title)} <small>(${g.count}×)</small></h4><ul class="examples">`,
    );
    for (const e of g.examples) {
      const where = `${e.file}${e.line !== undefined ? `:${e.line}` : ''}`;
      const meta = [e.route, e.version, e.case, e.pointer !== undefined ? `at ${e.pointer}` : undefined, e.event !== undefined ? `event ${e.event}` : undefined]
        .filter((x): x is string => x !== undefined)
        .map(esc)
        .join(' · ');
      parts.push(
        `<li><code class="where">${esc(where)}</code>${meta !== '' ? ` <span class="meta">${meta}</span>` : ''}<p class="message">${esc(e.message)}</p>` +
          `${e.excerpt !== undefined ? `<pre class="excerpt">${esc(e.excerpt)}</pre>` : ''}</li>`,
      );
    }
    if (g.count > g.examples.length) parts.push(`<li class="more">… and ${g.count - g.examples.length} more (matrix.json counts them; tgc validate exchanges lists them all)</li>`);
    parts.push('</ul></div>');
  }
  parts.push('</article>');
  return parts.filter(Boolean).join('\n');
}

function inputsSection(m: TgcMatrix): string {
  const rows = m.inputs.map((i) => `<tr><td><code>${esc(i.file)}</code></td><td>${i.kind === 'report' ? 'tgc report' : 'recorded exchanges'}</td><td class="num">${i.exchanges}</td></tr>`);
  return `<section id="inputs"><h2>Inputs</h2><table><thead><tr><th>file</th><th>kind</th><th class="num">exchanges (cases)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attributes; control characters made visible. */
export function esc(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
:root{--fg:#1b1f24;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--fail:#cf222e;--pass:#1a7f37;--warn:#9a6700;--known:#6e7781;--accent:#0969da;--fail-bg:#ffebe9;--pass-bg:#dafbe1;--warn-bg:#fff8c5}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--fail:#f85149;--pass:#3fb950;--warn:#d29922;--known:#9198a1;--accent:#4493f8;--fail-bg:#3c1618;--pass-bg:#12261e;--warn-bg:#2e2a1a}}
*{box-sizing:border-box}body{margin:0 auto;max-width:1800px;padding:1rem 1.5rem;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h2 small,h4 small{color:var(--muted);font-weight:normal}
h3{font-size:1rem;margin:.2rem 0}h4{font-size:.9rem;margin:.6rem 0 .2rem}code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.5rem;overflow:auto;max-height:14rem;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
.verdict{border-left:6px solid var(--line);padding:.3rem 1rem}.verdict.fail{border-color:var(--fail)}.verdict.pass{border-color:var(--pass)}.verdict.error{border-color:var(--warn)}
.meta{color:var(--muted);margin:.2rem 0}nav{margin:1rem 0}a{color:var(--accent)}.legend{color:var(--muted)}.legend .cell{display:inline-block;min-width:1.6rem;text-align:center;border-radius:4px}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;margin:0}th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}.num{text-align:right}
#matrix-table th.check{vertical-align:bottom;padding:.4rem .2rem;min-width:2.2rem}#matrix-table th.check span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
#matrix-table thead th{vertical-align:bottom}#matrix-table th.target{position:sticky;left:0;background:var(--bg);min-width:16rem;max-width:24rem;z-index:1}#matrix-table th.target .name{font-weight:600;word-break:break-all}
#matrix-table td.cell{text-align:center;white-space:nowrap;border-left:1px solid var(--line);padding:.3rem .25rem;font-size:12px}#matrix-table td.cell a{text-decoration:none;color:inherit;display:block}
td.cell.pass{background:var(--pass-bg)}td.cell.fail{background:var(--fail-bg);font-weight:600}td.cell.warn{background:var(--warn-bg)}td.cell.error{background:var(--warn-bg);font-weight:600}td.cell.not-exercised{color:var(--muted)}
.versions{color:var(--muted);white-space:nowrap}.fails{font-weight:normal}.fails a{color:var(--fail)}.model{color:var(--muted)}
.badge{display:inline-block;border-radius:1rem;padding:0 .55rem;font-size:.75rem;font-weight:600;color:#fff;background:var(--known)}.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.warn,.badge.error{background:var(--warn)}
.cell-findings{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:.6rem .9rem;margin:.8rem 0;scroll-margin-top:1rem}.cell-findings.warn{border-left-color:var(--warn)}
.cell-findings:target{outline:3px solid var(--accent);outline-offset:2px}.rule{margin:.3rem 0}.examples{margin:.2rem 0;padding-left:1.2rem}.examples li{margin:.3rem 0}
.message{margin:.1rem 0;white-space:pre-wrap;word-break:break-word}.more,.empty{color:var(--muted)}
footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
`;

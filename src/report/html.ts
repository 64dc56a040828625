/**
 * `report.html`: one self-contained file that opens offline. The per-check table and the findings
 * (request and response excerpts, the reproduce command) are static HTML; the charts (latency per
 * route, time to the first stream event, parameter coverage) are inline SVG drawn by an inline
 * script from data embedded as JSON. No network: the Content-Security-Policy allows nothing to
 * load, and only the one inline script (by its hash) to run.
 *
 * Everything the server sent is hostile input: it is HTML-escaped in the page, and `<` is
 * escaped inside the embedded JSON, so no string can close a `<script>` element.
 */
import { createHash } from 'node:crypto';
import { countFindings, failingViolations, findingsByKind, type ReportCheck, type ReportFinding, type TgcReport } from './report.js';

/** A histogram of milliseconds, bucketed for drawing, with the usual percentiles. */
export interface HtmlHistogram {
  label: string;
  n: number;
  p50: number;
  p90: number;
  max: number;
  buckets: { lo: number; hi: number; count: number }[];
}

/** What the inline script draws. */
export interface HtmlChartData {
  latency: HtmlHistogram[];
  firstEvent: HtmlHistogram[];
  coverage: { parameter: string; sent: number; boundaries: number }[];
}

const MAX_OCCURRENCES = 50;

export function renderHtmlReport(report: TgcReport): string {
  const failing = failingViolations(report);
  const verdict = report.interrupted ? 'interrupted' : failing > 0 ? 'violations found' : report.summary.violations > 0 ? 'no new violations' : 'conforms';
  const verdictClass = report.interrupted ? 'error' : failing > 0 ? 'fail' : 'pass';
  const data = chartData(report);
  const violations = findingsByKind(report.findings.filter((f) => f.severity === 'violation'), report.omittedFindings);
  // Failing kinds first, then known, then suppressed.
  const rank = (f: ReportFinding): number => (f.suppressed !== undefined ? 2 : f.known ? 1 : 0);
  violations.sort((a, b) => rank(a.finding) - rank(b.finding));
  const warnings = findingsByKind(report.findings.filter((f) => f.severity === 'warning'), report.omittedFindings);
  const anchors = new Map<string, string>();
  [...violations, ...warnings].forEach(({ finding }, i) => {
    if (!anchors.has(finding.check)) anchors.set(finding.check, `finding-${i}`);
  });

  const body = [
    `<header class="verdict ${verdictClass}"><h1>tgc conformance report: ${esc(verdict)}</h1>`,
    `<p class="meta">Target <code>${esc(report.target.url)}</code> (api <code>${esc(report.target.api)}</code>${report.target.builtIn ? ', built-in reference server' : ''}), ` +
      `seed <code>${report.seed}</code>, started ${esc(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s, tgc ${esc(report.tool.version)}</p>`,
    report.interrupted ? '<p class="banner">The run was interrupted: this report is partial.</p>' : '',
    '</header>',
    summaryTiles(report, failing),
    omittedNote(report),
    '<nav><a href="#checks">Checks</a> · <a href="#violations">Violations</a> · <a href="#warnings">Warnings</a> · <a href="#charts">Charts</a> · <a href="#coverage">Coverage</a> · <a href="#limits">Limits</a></nav>',
    checksTable(report, anchors),
    `<section id="violations"><h2>Violations <small>(one per kind)</small></h2>${
      violations.length === 0 ? '<p class="empty">No violation.</p>' : violations.map(({ finding, count }, i) => findingBlock(finding, count, `finding-${i}`, report.findings)).join('\n')
    }</section>`,
    fixedSection(report),
    suppressionsSection(report),
    `<section id="warnings"><h2>Warnings <small>(one per kind; they never fail the run)</small></h2>${
      warnings.length === 0
        ? '<p class="empty">No warning.</p>'
        : warnings.map(({ finding, count }, i) => findingBlock(finding, count, `finding-${violations.length + i}`, report.findings)).join('\n')
    }</section>`,
    chartsSection(data),
    coverageSection(report),
    limitsSection(report),
    skippedSection(report),
    `<footer>Written by tgc ${esc(report.tool.version)}; report schema version ${report.schemaVersion}. This file loads nothing from the network.</footer>`,
  ].join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>tgc report: ${esc(verdict)} (${esc(report.target.url)})</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script type="application/json" id="tgc-chart-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function summaryTiles(report: TgcReport, failing: number): string {
  const s = report.summary;
  const tiles: [string, number, string][] = [
    ['checks', s.checks, ''],
    ['cases', s.cases, ''],
    ['requests', s.requests, ''],
    ['violations', s.violations, s.violations > 0 ? 'fail' : ''],
    ['failing', failing, failing > 0 ? 'fail' : 'pass'],
    ['known', s.known, ''],
    ['suppressed', s.suppressed ?? 0, ''],
    ['warnings', s.warnings, s.warnings > 0 ? 'warn' : ''],
    ['skipped cases', s.skippedCases, ''],
  ];
  return `<section id="summary"><dl class="tiles">${tiles
    .map(([label, value, cls]) => `<div class="tile ${cls}" data-tile="${esc(label)}"><dt>${esc(label)}</dt><dd>${value}</dd></div>`)
    .join('')}</dl></section>`;
}

function checksTable(report: TgcReport, anchors: Map<string, string>): string {
  const rows = report.checks.map((c) => {
    const { status, note } = checkStatus(c, report);
    const anchor = anchors.get(c.id);
    const id = anchor ? `<a href="#${anchor}"><code>${esc(c.id)}</code></a>` : `<code>${esc(c.id)}</code>`;
    return (
      `<tr data-check="${esc(c.id)}" data-status="${esc(status)}"><td>${id}<br><small>${esc(c.title)}</small></td><td>${esc(c.severity)}</td>` +
      `<td><span class="badge ${esc(status)}">${esc(status)}</span></td><td class="num">${c.cases}</td><td class="num">${c.violations}</td>` +
      `<td class="num">${c.warnings}</td><td>${esc(note)}</td></tr>`
    );
  });
  return (
    '<section id="checks"><h2>Checks</h2><table id="checks-table"><thead><tr><th>check</th><th>severity</th><th>status</th>' +
    `<th class="num">cases</th><th class="num">violations</th><th class="num">warnings</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** A failed check whose every violation is known or suppressed is `accepted`: it does not fail the run. */
function checkStatus(c: ReportCheck, report: TgcReport): { status: string; note: string } {
  if (c.status !== 'fail') return { status: c.status, note: c.reason ?? '' };
  const mine = (f: ReportFinding): boolean => f.check === c.id && f.severity === 'violation';
  const all = countFindings(report, mine);
  const suppressed = countFindings(report, (f) => mine(f) && f.suppressed !== undefined);
  const known = countFindings(report, (f) => mine(f) && f.known === true && f.suppressed === undefined);
  const note = [known > 0 ? `${known} known` : '', suppressed > 0 ? `${suppressed} suppressed` : ''].filter(Boolean).join(', ');
  return { status: all > 0 && known + suppressed === all ? 'accepted' : 'fail', note };
}

/** When the report counts findings it does not list (`omittedFindings`): how many, and which are listed. */
function omittedNote(report: TgcReport): string {
  const omitted = (report.omittedFindings ?? []).reduce((n, o) => n + o.count, 0);
  if (omitted === 0) return '';
  return `<p class="banner">${omitted} findings are counted but not listed: the report lists the first findings of each kind, by plan order (see <code>omittedFindings</code> in report.json).</p>`;
}

function findingBlock(f: ReportFinding, count: number, anchor: string, all: readonly ReportFinding[]): string {
  const badges = [`<span class="badge ${f.severity === 'violation' ? 'fail' : 'warn'}">${esc(f.severity)}</span>`];
  if (f.known) badges.push('<span class="badge known">known</span>');
  if (f.suppressed !== undefined) badges.push('<span class="badge suppressed">suppressed</span>');
  const meta = [
    f.case ? `case: ${esc(f.case.label)} (${esc(f.case.purpose)})` : 'scenario (several exchanges)',
    count > 1 ? `seen ${count} times` : '',
    f.shrunk ? `shrunk from ${f.shrunk.from} to ${f.shrunk.to} parameters in ${f.shrunk.requests} requests` : '',
    f.pointer !== undefined ? `at <code>${esc(f.pointer)}</code>` : '',
    f.event !== undefined ? `event ${f.event}` : '',
    `seed ${f.seed}`,
    `key <code>${esc(f.dedupeKey)}</code>`,
  ].filter(Boolean);
  const parts = [
    `<article class="finding ${esc(f.severity)}${f.known ? ' known' : ''}${f.suppressed !== undefined ? ' suppressed' : ''}" id="${anchor}" data-check="${esc(f.check)}" data-key="${esc(f.dedupeKey)}">`,
    `<h3>${badges.join(' ')} <code>${esc(f.check)}</code> ${esc(f.route ?? '(scenario)')}: ${esc(f.title)}</h3>`,
    f.suppressed !== undefined ? `<p class="reason">Suppressed: ${esc(f.suppressed)}</p>` : '',
    `<p class="message">${esc(f.message)}</p>`,
    `<p class="meta">${meta.join(' · ')}</p>`,
  ];
  if (f.request) {
    const r = f.request;
    const head = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)].join('\n');
    parts.push(`<details class="request" open><summary>Request</summary><pre>${esc(head)}${r.body !== undefined ? `\n\n${esc(pretty(r.body))}` : ''}</pre></details>`);
  }
  if (f.response) {
    const r = f.response;
    const head = [
      r.status !== undefined ? `HTTP ${r.status}` : 'no status',
      ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      ...(r.failure ? [`(${r.failure})`] : []),
    ].join('\n');
    parts.push(`<details class="response" open><summary>Response</summary><pre>${esc(head)}${r.excerpt !== undefined ? `\n\n${esc(pretty(r.excerpt))}` : ''}</pre></details>`);
  }
  if (f.reproduce) parts.push(`<div class="reproduce"><span>Reproduce</span><pre>${esc(f.reproduce)}</pre></div>`);
  const others = all.filter((o) => o !== f && o.dedupeKey === f.dedupeKey);
  if (others.length > 0) {
    const items = others.slice(0, MAX_OCCURRENCES).map((o) => `<li>${o.case ? `${esc(o.case.label)}: ` : ''}${esc(o.message)}</li>`);
    // Beyond those listed in report.json (count includes those it only counts).
    const unlisted = Math.max(0, count - 1 - others.length);
    const hidden = others.length - Math.min(others.length, MAX_OCCURRENCES);
    const more =
      unlisted > 0
        ? `<li>… and ${hidden + unlisted} more (report.json lists ${hidden} of them and counts the rest)</li>`
        : hidden > 0
          ? `<li>… and ${hidden} more (report.json has them all)</li>`
          : '';
    parts.push(`<details class="others"><summary>${Math.max(others.length, count - 1)} more of this kind</summary><ul>${items.join('')}${more}</ul></details>`);
  }
  parts.push('</article>');
  return parts.filter(Boolean).join('\n');
}

function fixedSection(report: TgcReport): string {
  if (report.fixed === undefined) return '';
  const body = report.fixed.length === 0 ? '<p class="empty">Nothing the baseline knew has gone away.</p>' : `<ul>${report.fixed.map((k) => `<li><code>${esc(k)}</code></li>`).join('')}</ul>`;
  return `<section id="fixed"><h2>Fixed since the baseline</h2>${body}</section>`;
}

function suppressionsSection(report: TgcReport): string {
  if (report.suppressions === undefined) return '';
  const rows = report.suppressions.map(
    (s) => `<tr><td><code>${esc(s.check)}</code></td><td>${esc(s.route ?? 'every route')}</td><td>${esc(s.reason)}</td><td class="num">${s.matched}</td></tr>`,
  );
  return `<section id="suppressions"><h2>Suppressions</h2><table><thead><tr><th>check</th><th>route</th><th>reason</th><th class="num">findings matched</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function chartsSection(data: HtmlChartData): string {
  const figures = (list: HtmlHistogram[], kind: string, empty: string): string =>
    list.length === 0
      ? `<p class="empty">${esc(empty)}</p>`
      : `<div class="figures">${list
          .map(
            (h, i) =>
              `<figure><figcaption><strong>${esc(h.label)}</strong>: ${h.n} responses, p50 ${h.p50} ms, p90 ${h.p90} ms, max ${h.max} ms</figcaption>` +
              `<div class="chart" data-chart="${kind}" data-index="${i}"></div></figure>`,
          )
          .join('')}</div>`;
  return (
    '<section id="charts"><h2>Latency per route <small>(whole response)</small></h2>' +
    figures(data.latency, 'latency', 'No timed response.') +
    '<h2>Time to the first stream event <small>(first token)</small></h2>' +
    figures(data.firstEvent, 'first-event', 'No streamed response.') +
    '<noscript><p>The charts need JavaScript; the numbers above do not.</p></noscript></section>'
  );
}

function coverageSection(report: TgcReport): string {
  const entries = Object.entries(report.coverage).sort(([a], [b]) => a.localeCompare(b));
  const rows = entries.map(
    ([p, c]) => `<tr><td><code>${esc(p)}</code></td><td class="num">${c.sent}</td><td class="num">${c.boundaries}</td><td>${(c.values ?? []).map((v) => `<code>${esc(v)}</code>`).join(' ')}</td></tr>`,
  );
  return (
    '<section id="coverage"><h2>Parameter coverage <small>(requests that set each parameter; boundary cases)</small></h2>' +
    (entries.length === 0 ? '<p class="empty">No parameter was sent.</p>' : '<div class="chart" data-chart="coverage"></div>') +
    `<table id="coverage-table"><thead><tr><th>parameter</th><th class="num">requests</th><th class="num">boundary cases</th><th>boundary values</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

function limitsSection(report: TgcReport): string {
  const rows = Object.entries(report.limits).map(([k, l]) => `<tr><td><code>${esc(k)}</code></td><td>${esc(String(l.value))}</td><td>${esc(l.source)}</td></tr>`);
  return `<section id="limits"><h2>Server limits used</h2><table><thead><tr><th>limit</th><th>value</th><th>from</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function skippedSection(report: TgcReport): string {
  if (report.skipped.length === 0) return '';
  return `<section id="skipped"><h2>Skipped cases</h2><ul>${report.skipped.map((s) => `<li>${esc(s.case)}: ${esc(s.reason)}</li>`).join('')}</ul></section>`;
}

/** The data the inline script draws: histograms per route and the coverage bars. */
export function chartData(report: Pick<TgcReport, 'timings' | 'coverage'>): HtmlChartData {
  const byRoute = (pick: (t: TgcReport['timings'][number]) => number | undefined): HtmlHistogram[] => {
    const groups = new Map<string, number[]>();
    for (const t of report.timings) {
      const v = pick(t);
      if (v === undefined || !Number.isFinite(v)) continue;
      const list = groups.get(t.route || 'other') ?? [];
      list.push(Math.max(0, v));
      groups.set(t.route || 'other', list);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, values]) => histogram(label, values));
  };
  return {
    latency: byRoute((t) => t.totalMs),
    firstEvent: byRoute((t) => t.firstEventMs),
    coverage: Object.entries(report.coverage)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([parameter, c]) => ({ parameter, sent: c.sent, boundaries: c.boundaries })),
  };
}

function histogram(label: string, values: number[]): HtmlHistogram {
  const sorted = [...values].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1] ?? 0;
  const step = niceStep(max / 15);
  const n = Math.max(1, Math.floor(max / step) + 1);
  const buckets = Array.from({ length: n }, (_, i) => ({ lo: i * step, hi: (i + 1) * step, count: 0 }));
  for (const v of sorted) {
    const b = buckets[Math.min(n - 1, Math.floor(v / step))];
    if (b) b.count++;
  }
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { label, n: sorted.length, p50: Math.round(rank(0.5)), p90: Math.round(rank(0.9)), max: Math.round(max), buckets };
}

/** 1, 2 or 5 times a power of ten, at least `raw` (and at least 1 ms). */
function niceStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** Re-indents JSON for reading; anything else (a cut excerpt, a stream) as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attributes; control characters made visible. */
function esc(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON that cannot end the `<script>` element it sits in, nor open a comment or CDATA in it. */
function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSS = `
:root{--fg:#1b1f24;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--fail:#cf222e;--pass:#1a7f37;--warn:#9a6700;--known:#6e7781;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--fail:#f85149;--pass:#3fb950;--warn:#d29922;--known:#9198a1;--accent:#4493f8}}
*{box-sizing:border-box}body{margin:0 auto;max-width:1100px;padding:1rem 1.5rem;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h2 small{color:var(--muted);font-weight:normal}
h3{font-size:1rem;margin:.2rem 0}code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem;overflow:auto;max-height:24rem;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
.verdict{border-left:6px solid var(--line);padding:.3rem 1rem}.verdict.fail{border-color:var(--fail)}.verdict.pass{border-color:var(--pass)}.verdict.error{border-color:var(--warn)}
.meta{color:var(--muted);margin:.2rem 0}.banner{color:var(--warn);font-weight:600}nav{margin:1rem 0}a{color:var(--accent)}
.tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}.tile{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;min-width:7rem}
.tile dt{color:var(--muted);font-size:.8rem}.tile dd{margin:0;font-size:1.4rem;font-weight:600}.tile.fail dd{color:var(--fail)}.tile.pass dd{color:var(--pass)}.tile.warn dd{color:var(--warn)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}td small{color:var(--muted)}.num{text-align:right}
.badge{display:inline-block;border-radius:1rem;padding:0 .55rem;font-size:.75rem;font-weight:600;color:#fff;background:var(--known)}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.error,.badge.warn{background:var(--warn)}.badge.skip,.badge.known,.badge.suppressed,.badge.accepted{background:var(--known)}
.finding{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}.finding.warning{border-left-color:var(--warn)}
.finding.known,.finding.suppressed{border-left-color:var(--known)}.message{margin:.3rem 0;white-space:pre-wrap;word-break:break-word}.reason{font-weight:600;color:var(--muted)}
.reproduce span,summary{color:var(--muted);font-size:.85rem;cursor:pointer}.empty{color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:.5rem 1.5rem}figure{margin:.8rem 0}figcaption{font-size:.9rem}.chart svg{max-width:100%;height:auto}
svg .axis{stroke:var(--muted);fill:none}svg text{fill:var(--muted);font:11px system-ui,sans-serif}svg .bar{fill:var(--accent)}svg .bar-sent{fill:var(--accent);opacity:.45}svg .bar-boundary{fill:var(--accent)}
footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
`;

/** Draws the charts from #tgc-chart-data with DOM calls only: text goes in through textContent. */
const SCRIPT = `
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var source = document.getElementById('tgc-chart-data');
  if (!source) return;
  var data = JSON.parse(source.textContent || '{}');
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(w, h, label) {
    var s = el('svg', { viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img', 'aria-label': label });
    s.appendChild(el('title', {}, label));
    return s;
  }
  function histogram(h, what) {
    var W = 560, H = 170, L = 44, R = 12, T = 12, B = 34;
    var s = svg(W, H, what + ' for ' + h.label);
    var top = 1;
    h.buckets.forEach(function (b) { if (b.count > top) top = b.count; });
    var bw = (W - L - R) / h.buckets.length;
    s.appendChild(el('path', { 'class': 'axis', d: 'M' + L + ' ' + T + 'V' + (H - B) + 'H' + (W - R) }));
    h.buckets.forEach(function (b, i) {
      if (b.count === 0) return;
      var bh = Math.max(1, (H - B - T) * b.count / top);
      var r = el('rect', { 'class': 'bar', x: (L + i * bw + 1).toFixed(1), y: (H - B - bh).toFixed(1), width: Math.max(1, bw - 2).toFixed(1), height: bh.toFixed(1) });
      r.appendChild(el('title', {}, b.lo + '-' + b.hi + ' ms: ' + b.count));
      s.appendChild(r);
    });
    var ticks = [0, Math.floor(h.buckets.length / 2), h.buckets.length];
    ticks.forEach(function (i) {
      var x = L + i * bw;
      var value = i < h.buckets.length ? h.buckets[i].lo : h.buckets[h.buckets.length - 1].hi;
      var anchor = i === 0 ? 'start' : i === h.buckets.length ? 'end' : 'middle';
      s.appendChild(el('text', { x: x.toFixed(1), y: H - B + 14, 'text-anchor': anchor }, value + ' ms'));
    });
    s.appendChild(el('text', { x: L - 6, y: T + 8, 'text-anchor': 'end' }, String(top)));
    s.appendChild(el('text', { x: L - 6, y: H - B, 'text-anchor': 'end' }, '0'));
    s.appendChild(el('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle' }, 'milliseconds (responses per bucket)'));
    return s;
  }
  function coverage(rows) {
    var W = 560, row = 22, L = 170, R = 60, T = 8;
    var H = T * 2 + row * rows.length + 16;
    var s = svg(W, H, 'parameter coverage');
    var top = 1;
    rows.forEach(function (r) { if (r.sent > top) top = r.sent; });
    var scale = (W - L - R) / top;
    rows.forEach(function (r, i) {
      var y = T + i * row;
      s.appendChild(el('text', { x: L - 8, y: y + 14, 'text-anchor': 'end' }, r.parameter));
      var sent = el('rect', { 'class': 'bar-sent', x: L, y: y + 3, width: Math.max(1, r.sent * scale).toFixed(1), height: row - 6 });
      sent.appendChild(el('title', {}, r.parameter + ': ' + r.sent + ' requests'));
      s.appendChild(sent);
      if (r.boundaries > 0) {
        var b = el('rect', { 'class': 'bar-boundary', x: L, y: y + 7, width: Math.max(1, r.boundaries * scale).toFixed(1), height: row - 14 });
        b.appendChild(el('title', {}, r.parameter + ': ' + r.boundaries + ' boundary cases'));
        s.appendChild(b);
      }
      s.appendChild(el('text', { x: L + Math.max(1, r.sent * scale) + 6, y: y + 14 }, r.sent + ' / ' + r.boundaries));
    });
    s.appendChild(el('path', { 'class': 'axis', d: 'M' + L + ' ' + T + 'V' + (H - 16) }));
    s.appendChild(el('text', { x: L, y: H - 3 }, 'requests / boundary cases (darker)'));
    return s;
  }
  var drawn = 0;
  var holders = document.querySelectorAll('.chart[data-chart]');
  for (var i = 0; i < holders.length; i++) {
    var holder = holders[i];
    var kind = holder.getAttribute('data-chart');
    var index = Number(holder.getAttribute('data-index') || 0);
    var chart = null;
    if (kind === 'latency' && data.latency && data.latency[index]) chart = histogram(data.latency[index], 'response time');
    if (kind === 'first-event' && data.firstEvent && data.firstEvent[index]) chart = histogram(data.firstEvent[index], 'time to the first event');
    if (kind === 'coverage' && data.coverage) chart = coverage(data.coverage);
    if (chart) { holder.appendChild(chart); drawn++; }
  }
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}`;

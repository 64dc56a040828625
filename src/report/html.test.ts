import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanReport, HOSTILE, reportWithViolations } from './__fixtures__/sample-reports.js';
import { chartData, renderHtmlReport } from './html.js';

const scripts = (html: string): { attrs: string; body: string }[] =>
  [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1] ?? '', body: m[2] ?? '' }));

describe('renderHtmlReport', () => {
  it('escapes every string from the server: no hostile markup reaches the page', () => {
    const report = reportWithViolations();
    report.findings[0]!.response!.excerpt = `${HOSTILE}</script><script>alert(3)</script>`;
    report.coverage[`</script><script>alert(4)</script>`] = { sent: 1, boundaries: 0, values: [HOSTILE] };
    const html = renderHtmlReport(report);
    // Exactly the two script elements tgc writes: the data and the drawing code.
    expect(scripts(html).map((s) => s.attrs)).toEqual([' type="application/json" id="tgc-chart-data"', '']);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('onerror="'); // only as escaped text
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(html).toContain('\\u001b[31m');
  });

  it('embeds the chart data as JSON that cannot close its script element', () => {
    const report = reportWithViolations();
    report.coverage['</script><!--'] = { sent: 2, boundaries: 1 };
    const [data] = scripts(renderHtmlReport(report));
    expect(data!.body).not.toMatch(/[<>&]/);
    expect(JSON.parse(data!.body)).toEqual(chartData(report));
  });

  it('allows only its own inline script, by hash, and loads nothing', () => {
    const html = renderHtmlReport(cleanReport());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const code = scripts(html)[1]!.body;
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(code).digest('base64')}'`);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/); // no external resource, only in-page anchors
    expect(html).not.toMatch(/@import|url\(/);
  });

  it.each([
    ['a run with violations', reportWithViolations(), 8, 6, 1],
    ['a clean run', cleanReport(), 3, 0, 0],
  ])('%s: a row per check, a block per kind of finding', (_name, report, rows, violations, warnings) => {
    const html = renderHtmlReport(report);
    expect(html.match(/<tr data-check=/g) ?? []).toHaveLength(rows);
    expect(html.match(/<article class="finding violation/g) ?? []).toHaveLength(violations);
    expect(html.match(/<article class="finding warning/g) ?? []).toHaveLength(warnings);
  });

  it('marks accepted checks and lists known, suppressed (with the reason) and fixed', () => {
    const html = renderHtmlReport(reportWithViolations());
    expect(html).toContain('<tr data-check="response-headers" data-status="accepted">');
    expect(html).toContain('<tr data-check="stream-index" data-status="accepted">');
    expect(html).toContain('<span class="badge known">known</span>');
    expect(html).toContain('<p class="reason">Suppressed: our proxy renumbers stream events (INFRA-42)</p>');
    expect(html).toMatch(/<section id="fixed">.*finish-reason-length\|POST \/generate\|length-exceeded/);
    expect(html).toMatch(/<section id="suppressions">.*legacy route, tracked in INFRA-7<\/td><td class="num">0</);
  });
});

describe('chartData', () => {
  it('buckets latencies per route with nice steps and nearest-rank percentiles', () => {
    const data = chartData(reportWithViolations());
    expect(data.latency.map((h) => h.label)).toEqual(['POST /', 'POST /generate', 'POST /generate_stream']);
    const generate = data.latency[1]!;
    expect(generate).toMatchObject({ n: 4, p50: 80, p90: 410, max: 410 });
    expect(generate.buckets[0]).toEqual({ lo: 0, hi: 50, count: 1 });
    expect(generate.buckets.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(data.firstEvent.map((h) => [h.label, h.n])).toEqual([['POST /', 1], ['POST /generate_stream', 3]]);
    expect(data.coverage[0]).toEqual({ parameter: 'details', sent: 30, boundaries: 2 });
  });

  it('copes with no timings and with zero milliseconds', () => {
    expect(chartData({ timings: [], coverage: {} })).toEqual({ latency: [], firstEvent: [], coverage: [] });
    const [h] = chartData({ timings: [{ route: 'POST /generate', totalMs: 0 }], coverage: {} }).latency;
    expect(h).toEqual({ label: 'POST /generate', n: 1, p50: 0, p90: 0, max: 0, buckets: [{ lo: 0, hi: 1, count: 1 }] });
  });
});

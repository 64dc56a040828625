import { describe, expect, it } from 'vitest';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { renderMarkdownReport } from './markdown.js';

describe('renderMarkdownReport', () => {
  it.each([
    ['report-with-violations.md', reportWithViolations()],
    ['clean-report.md', cleanReport()],
  ])('renders %s', async (file, report) => {
    await expect(renderMarkdownReport(report)).toMatchFileSnapshot(`./__snapshots__/${file}`);
  });

  it.each([
    ['conforms', cleanReport(), (r: ReturnType<typeof cleanReport>) => r],
    ['violations found', reportWithViolations(), (r: ReturnType<typeof cleanReport>) => r],
    [
      'no new violations',
      reportWithViolations(),
      (r: ReturnType<typeof cleanReport>) => {
        for (const f of r.findings) if (f.severity === 'violation') f.known = true;
        return r;
      },
    ],
    [
      'interrupted',
      cleanReport(),
      (r: ReturnType<typeof cleanReport>) => {
        r.interrupted = true;
        return r;
      },
    ],
  ])('its first line says "%s"', (verdict, report, change) => {
    expect(renderMarkdownReport(change(report)).split('\n')[0]).toBe(`# tgc conformance report: ${verdict}`);
  });

  it('keeps hostile server text inert: no HTML, no link, no table break, no code fence break', () => {
    const md = renderMarkdownReport(reportWithViolations());
    expect(md).not.toMatch(/<(script|img)/i);
    expect(md).not.toMatch(/[^\\]\[link\]\(/);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Every table row keeps its 6 cells, whatever the note says.
    for (const row of md.split('\n').filter((l) => l.startsWith('| `'))) {
      expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(6);
    }
  });

  it('shows a code span and a fence that backticks in the value cannot close', () => {
    const report = reportWithViolations();
    report.target.url = 'http://h/`x`';
    report.findings[0]!.reproduce = "curl 'http://h/```'";
    const md = renderMarkdownReport(report);
    expect(md).toContain('Target `` http://h/`x` ``');
    expect(md).toContain("````sh\ncurl 'http://h/```'\n````");
  });
});

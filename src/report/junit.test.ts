import { describe, expect, it } from 'vitest';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { findAll, parseXml, type XmlElement } from './__fixtures__/parse-xml.js';
import { renderJunitReport } from './junit.js';
import type { TgcReport } from './report.js';

const parse = (report: TgcReport): XmlElement => parseXml(renderJunitReport(report));
const testcase = (root: XmlElement, name: string): XmlElement => {
  const tc = findAll(root, 'testcase').find((t) => t.attributes['name'] === name);
  if (!tc) throw new Error(`no testcase ${name}`);
  return tc;
};
const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);

describe('renderJunitReport', () => {
  it.each([
    // name, report, testcases, failures, errors, skipped
    ['a run with violations', reportWithViolations(), 8, 4, 1, 1],
    ['a clean run', cleanReport(), 3, 0, 0, 1],
  ])('%s: one testsuite, a testcase per check, consistent counts', (_name, report, tests, failures, errors, skipped) => {
    // Act
    const root = parse(report);
    // Assert
    expect(root.name).toBe('testsuites');
    const suites = findAll(root, 'testsuite');
    expect(suites).toHaveLength(1);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attributes['name'])).toEqual(report.checks.map((c) => c.id));
    expect(cases.filter((c) => child(c, 'failure'))).toHaveLength(failures);
    expect(cases.filter((c) => child(c, 'error'))).toHaveLength(errors);
    expect(cases.filter((c) => child(c, 'skipped'))).toHaveLength(skipped);
    for (const el of [root, suites[0]!]) {
      expect(el.attributes).toMatchObject({ tests: String(tests), failures: String(failures), errors: String(errors), skipped: String(skipped) });
    }
  });

  it('a failure carries the message, every kind of violation and its reproduce command', () => {
    const tc = testcase(parse(reportWithViolations()), 'tokens-count');
    const failure = child(tc, 'failure');
    expect(failure?.attributes['type']).toBe('violation');
    expect(failure?.attributes['message']).toBe('2 violations: the response: expected 4 tokens (generated_tokens) but details.tokens has 3');
    expect(failure?.text).toContain('seen 2 times (dedupeKey tokens-count|POST /generate|tokens-length-mismatch)');
    expect(failure?.text).toContain('case: random valid request #1');
    expect(failure?.text).toContain(`reproduce (seed 42):\n  curl -sS -X POST 'http://127.0.0.1:8080/generate'`);
    expect(failure?.text).toContain('"Authorization: Bearer $HF_TOKEN"');
  });

  it('a skipped check carries its reason, as the message and in system-out', () => {
    const tc = testcase(parse(reportWithViolations()), 'auth-required');
    expect(child(tc, 'skipped')?.attributes['message']).toBe('not an auth case (run with --auth-required)');
    expect(child(tc, 'system-out')?.text).toBe('skipped: not an auth case (run with --auth-required)');
  });

  it('known and suppressed violations do not fail their check; they and warnings go to system-out', () => {
    const root = parse(reportWithViolations());
    const headers = testcase(root, 'response-headers');
    expect(child(headers, 'failure')).toBeUndefined();
    expect(child(headers, 'system-out')?.text).toMatch(/^known \(in the baseline\): \[violation\] POST \/generate: x-generated-tokens/);
    expect(child(headers, 'system-out')?.text).toContain('warning: [warning] POST /: x-compute-* headers are missing');
    const index = testcase(root, 'stream-index');
    expect(child(index, 'failure')).toBeUndefined();
    expect(child(index, 'system-out')?.text).toContain('suppressed (our proxy renumbers stream events (INFRA-42))');
  });

  it('an errored check is an <error>, not a failure of the server', () => {
    const tc = testcase(parse(reportWithViolations()), 'top-tokens-shape');
    expect(child(tc, 'error')?.attributes['type']).toBe('tgc-error');
    expect(child(tc, 'failure')).toBeUndefined();
  });

  it('hostile server text stays text: well-formed XML, the markup inert, control characters visible', () => {
    const xml = renderJunitReport(reportWithViolations());
    const tc = testcase(parseXml(xml), 'error-message-exact');
    const failure = child(tc, 'failure');
    // "]]>" cannot end the CDATA early; it reads as "]]&gt;"
    expect(failure?.text).toContain('<script>alert(1)</script><img src=x onerror="alert(2)"> ]]&gt; </script>');
    expect(failure?.attributes['message']).toContain('<script>alert(1)</script>');
    expect(failure?.text).toContain('\\u001b[31m');
    expect(xml).not.toContain('\u001b');
    expect(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toContain('<script'); // raw markup only inside CDATA
  });

  it('names the target, api and seed', () => {
    const suite = findAll(parse(reportWithViolations()), 'testsuite')[0]!;
    expect(suite.attributes['name']).toBe('tgc conformance: http://127.0.0.1:8080 (api tgi, seed 42)');
    expect(suite.attributes['time']).toBe('12.345');
    const props = Object.fromEntries(findAll(suite, 'property').map((p) => [p.attributes['name'], p.attributes['value']]));
    expect(props).toMatchObject({ seed: '42', 'target.api': 'tgi', 'fixed-since-baseline': 'finish-reason-length|POST /generate|length-exceeded' });
  });
});

describe('parseXml (the test helper) rejects what is not well-formed', () => {
  it.each([
    ['<a><b></a>'],
    ['<a>x & y</a>'],
    ['<a>&nope;</a>'],
    ['<a/><b/>'],
    ['<a x="<"/>'],
    ['<a><![CDATA[x]]>]]></a>'],
  ])('%s', (xml) => {
    expect(() => parseXml(xml)).toThrow(/^XML: /);
  });
});

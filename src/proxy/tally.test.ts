import { describe, expect, it } from 'vitest';
import { apiByName } from '../apis/index.js';
import type { Finding } from '../core/finding.js';
import type { CheckOutcome } from '../engine/inspect-exchange.js';
import { CLIENT_CHECK, failingViolations } from './judge.js';
import { MAX_LISTED_PER_KIND, Tally, type ExchangeFacts } from './tally.js';

const tgi = apiByName('tgi');
const openai = apiByName('openai');
if (!tgi || !openai) throw new Error('APIs missing');

const facts: ExchangeFacts = {
  route: 'POST /generate',
  method: 'POST',
  url: 'http://target:8080/generate',
  stream: false,
  totalMs: 12,
  firstByteMs: 10,
  status: 200,
  detail: () => ({
    requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer $HF_TOKEN' },
    requestText: '{"inputs":"Hi"}',
    bearer: true,
    responseHeaders: { 'content-type': 'application/json' },
    responseText: '{"generated_text":"x"}',
  }),
};
const server: Finding = { check: 'tokens-count', severity: 'violation', kind: 'mismatch', title: 't', message: 'm' };
const client: Finding = { check: CLIENT_CHECK.id, severity: 'violation', kind: 'type:/inputs', title: 't', message: 'm' };
const pass: CheckOutcome = { status: 'pass' };

describe('Tally: the report of what the proxy saw', () => {
  it('rows for every check of every API seen (client-request last), findings with curl commands, APIs in order', () => {
    const t = new Tally();
    t.add(facts, { api: tgi, findings: [server, client], outcomes: new Map([['tokens-count', { status: 'fail' }], [CLIENT_CHECK.id, { status: 'fail' }], ['stream-index', { status: 'skip', reason: 'not a stream' }]]) }, { inputs: 'Hi' });
    t.add({ ...facts, route: 'GET /v1/models', method: 'GET' }, { api: openai, findings: [], outcomes: new Map([['openai-models', pass], [CLIENT_CHECK.id, pass]]) }, undefined);
    const report = t.report({ target: 'http://target:8080', fallbackApi: 'tgi', startedAt: new Date(Date.now() - 1000), interrupted: false });
    expect(report.target).toEqual({ url: 'http://target:8080', api: 'tgi', builtIn: false, apis: ['tgi', 'openai'] });
    expect(report.checks.at(-1)).toMatchObject({ id: 'client-request', status: 'fail', cases: 2, violations: 1 });
    expect(report.checks.find((c) => c.id === 'tokens-count')).toMatchObject({ status: 'fail', cases: 1, violations: 1 });
    expect(report.checks.find((c) => c.id === 'stream-index')).toMatchObject({ status: 'skip', reason: 'not a stream' });
    expect(report.checks.find((c) => c.id === 'openai-models')).toMatchObject({ status: 'pass', cases: 1 });
    expect(report.summary).toMatchObject({ cases: 2, requests: 2, violations: 2, warnings: 0, skippedCases: 0 });
    expect(report.findings[0]).toMatchObject({ dedupeKey: 'tokens-count|POST /generate|mismatch', route: 'POST /generate', request: { url: facts.url } });
    expect(report.findings[0]?.reproduce).toMatch(/^curl -sS -X POST 'http:\/\/target:8080\/generate' -H 'content-type: application\/json' -H "Authorization: Bearer \$HF_TOKEN"/);
    expect(report.coverage).toEqual({});
    // The client's violations fail only when asked.
    expect(failingViolations(report, false)).toBe(1);
    expect(failingViolations(report, true)).toBe(2);
  });

  it('lists at most MAX_LISTED_PER_KIND findings of a kind, counts them all', () => {
    const t = new Tally();
    let made = 0;
    const counted = { ...facts, detail: () => (made++, facts.detail()) };
    for (let i = 0; i < MAX_LISTED_PER_KIND + 50; i++) t.add(counted, { api: tgi, findings: [server], outcomes: new Map() }, undefined);
    const report = t.report({ target: 'x', fallbackApi: 'tgi', startedAt: new Date(), interrupted: false });
    expect(report.findings).toHaveLength(MAX_LISTED_PER_KIND);
    expect(report.summary.violations).toBe(MAX_LISTED_PER_KIND + 50);
    expect(made).toBe(MAX_LISTED_PER_KIND);
  });

  it('groups the exchanges not judged by path and reason; says the first time', () => {
    const t = new Tally();
    expect(t.skip('GET /health', 'no API of tgc defines /health')).toBe(true);
    expect(t.skip('GET /health', 'no API of tgc defines /health')).toBe(false);
    expect(t.skip('POST /generate', 'too large')).toBe(true);
    const report = t.report({ target: 'x', fallbackApi: 'hf', startedAt: new Date(), interrupted: true });
    expect(report.skipped).toEqual([
      { case: 'GET /health (2 exchanges)', reason: 'not judged: no API of tgc defines /health' },
      { case: 'POST /generate', reason: 'not judged: too large' },
    ]);
    expect(report).toMatchObject({ interrupted: true, target: { api: 'hf', apis: ['hf'] }, summary: { requests: 3, cases: 0, skippedCases: 3 }, checks: [] });
  });
});

/**
 * Reports for the reporters' tests: one with every kind of row (violations, a known one, a
 * suppressed one, warnings, a scenario finding, skipped and errored checks, skipped cases, fixed
 * keys) and hostile server text, and one clean run. Fixed dates and numbers: snapshots stay stable.
 */
import type { ReportFinding, TgcReport } from '../report.js';

/** Text a hostile server could put in a body, a header or an error message. */
export const HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> ]]> </script> | `x` [link](http://evil.test) \u001b[31m';

const base = (): Omit<TgcReport, 'checks' | 'findings' | 'summary'> => ({
  schemaVersion: 2,
  tool: { name: 'tgc', version: '0.1.0' },
  target: { url: 'http://127.0.0.1:8080', api: 'tgi', builtIn: false },
  seed: 42,
  startedAt: '2026-01-02T03:04:05.000Z',
  durationMs: 12_345,
  interrupted: false,
  limits: {
    maxBestOf: { value: 2, source: 'info' },
    maxStopSequences: { value: 4, source: 'info' },
    maxTopNTokens: { value: 5, source: 'learned' },
    maxInputTokens: { value: 1024, source: 'info' },
    maxTotalTokens: { value: 2048, source: 'info' },
    grammarSupported: { value: true, source: 'default' },
  },
  skipped: [],
  timings: [
    { route: 'POST /generate', status: 200, totalMs: 80, firstByteMs: 79 },
    { route: 'POST /generate', status: 200, totalMs: 135, firstByteMs: 134 },
    { route: 'POST /generate', status: 422, totalMs: 3, firstByteMs: 3 },
    { route: 'POST /generate', status: 200, totalMs: 410, firstByteMs: 409 },
    { route: 'POST /generate_stream', status: 200, totalMs: 120, firstByteMs: 5, firstEventMs: 22 },
    { route: 'POST /generate_stream', status: 200, totalMs: 240, firstByteMs: 6, firstEventMs: 31 },
    { route: 'POST /generate_stream', status: 200, totalMs: 95, firstByteMs: 4, firstEventMs: 18 },
    { route: 'POST /', status: 200, totalMs: 60, firstByteMs: 60 },
    { route: 'POST /', status: 200, totalMs: 70, firstByteMs: 6, firstEventMs: 12 },
  ],
  coverage: {
    max_new_tokens: { sent: 40, boundaries: 6 },
    temperature: { sent: 12, boundaries: 5 },
    top_p: { sent: 9, boundaries: 4 },
    details: { sent: 30, boundaries: 2 },
    stop: { sent: 5, boundaries: 0 },
  },
});

const request = (body: string, route = '/generate'): NonNullable<ReportFinding['request']> => ({
  method: 'POST',
  url: `http://127.0.0.1:8080${route}`,
  headers: { accept: '*/*', 'user-agent': 'tgc/0.1.0', 'content-type': 'application/json', authorization: 'Bearer $HF_TOKEN' },
  body,
});

const curl = (body: string, route = '/generate'): string =>
  `curl -sS -X POST 'http://127.0.0.1:8080${route}' -H 'content-type: application/json' -H "Authorization: Bearer $HF_TOKEN" --data-binary '${body}'`;

/** A run against a broken server: every kind of finding and check status. */
export function reportWithViolations(): TgcReport {
  const b1 = '{"inputs":" ","parameters":{"details":true,"max_new_tokens":3}}';
  const b2 = '{"inputs":"Hello","parameters":{"max_new_tokens":2}}';
  const findings: ReportFinding[] = [
    {
      check: 'tokens-count',
      severity: 'violation',
      kind: 'tokens-length-mismatch',
      title: 'details.tokens does not have generated_tokens entries',
      message: 'the response: expected 4 tokens (generated_tokens) but details.tokens has 3',
      dedupeKey: 'tokens-count|POST /generate|tokens-length-mismatch',
      route: 'POST /generate',
      pointer: '/details/tokens',
      case: { id: 0, label: 'random valid request #1', purpose: 'positive' },
      shrunk: { from: 14, to: 2, requests: 15 },
      request: request(b1),
      response: {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-generated-tokens': '3' },
        excerpt: '{"generated_text":"Of for by","details":{"finish_reason":"length","generated_tokens":4,"tokens":[]}}',
      },
      reproduce: curl(b1),
      seed: 42,
    },
    {
      check: 'tokens-count',
      severity: 'violation',
      kind: 'tokens-length-mismatch',
      title: 'details.tokens does not have generated_tokens entries',
      message: 'the response: expected 2 tokens (generated_tokens) but details.tokens has 1',
      dedupeKey: 'tokens-count|POST /generate|tokens-length-mismatch',
      route: 'POST /generate',
      case: { id: 7, label: 'random valid request #4', purpose: 'positive' },
      request: request(b2),
      response: { status: 200, excerpt: '{"generated_text":"!!","details":{"generated_tokens":2}}' },
      reproduce: curl(b2),
      seed: 42,
    },
    {
      check: 'error-message-exact',
      severity: 'violation',
      kind: 'message-mismatch',
      title: 'the error message is not the documented one',
      message: `expected "\`top_p\` must be > 0.0 and < 1.0" but the server said "${HOSTILE}"`,
      dedupeKey: 'error-message-exact|POST /generate|message-mismatch',
      route: 'POST /generate',
      case: { id: 12, label: 'top_p = 1 (rejected)', purpose: 'negative' },
      request: request('{"inputs":"x","parameters":{"top_p":1}}'),
      response: {
        status: 422,
        headers: { 'content-type': 'application/json', 'x-evil': HOSTILE },
        excerpt: JSON.stringify({ error: HOSTILE, error_type: 'validation' }),
      },
      reproduce: curl('{"inputs":"x","parameters":{"top_p":1}}'),
      seed: 42,
    },
    {
      check: 'response-headers',
      severity: 'violation',
      kind: 'generated-tokens-mismatch',
      title: 'x-generated-tokens is not details.generated_tokens',
      message: 'x-generated-tokens is 3, but details.generated_tokens is 4',
      dedupeKey: 'response-headers|POST /generate|generated-tokens-mismatch',
      route: 'POST /generate',
      case: { id: 0, label: 'random valid request #1', purpose: 'positive' },
      request: request(b1),
      response: { status: 200, headers: { 'x-generated-tokens': '3' }, excerpt: '{"generated_text":"Of for by"}' },
      reproduce: curl(b1),
      seed: 42,
      known: true,
    },
    {
      check: 'stream-index',
      severity: 'violation',
      kind: 'index-not-sequential',
      title: 'stream token indices do not run 1..N',
      message: 'event 0: token.index is 0, expected 1',
      dedupeKey: 'stream-index|POST /generate_stream|index-not-sequential',
      route: 'POST /generate_stream',
      event: 0,
      case: { id: 3, label: 'random valid request #2 (stream)', purpose: 'positive' },
      request: request('{"inputs":"Hi","parameters":{"max_new_tokens":2}}', '/generate_stream'),
      response: {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        excerpt: 'data:{"token":{"id":1,"text":"a","logprob":-1,"special":false,"index":0}}\n\n',
      },
      reproduce: `${curl('{"inputs":"Hi","parameters":{"max_new_tokens":2}}', '/generate_stream')} -N`,
      seed: 42,
      suppressed: 'our proxy renumbers stream events (INFRA-42)',
    },
    {
      check: 'response-headers',
      severity: 'warning',
      kind: 'missing-compute-headers',
      title: 'x-compute-* headers are missing',
      message: 'no x-compute-time header (gateways often strip it)',
      dedupeKey: 'response-headers|POST /|missing-compute-headers',
      route: 'POST /',
      case: { id: 20, label: 'random valid request #9', purpose: 'positive' },
      request: request('{"inputs":"Hey"}', '/'),
      response: { status: 200, excerpt: '[{"generated_text":"Hey!"}]' },
      reproduce: curl('{"inputs":"Hey"}', '/'),
      seed: 42,
    },
    {
      check: 'determinism',
      severity: 'violation',
      kind: 'seeded-output-differs',
      title: 'the same seeded request gave different outputs',
      message: 'two identical requests with seed 7 generated "abc" and "abd"',
      dedupeKey: 'determinism|scenario|seeded-output-differs',
      request: request('{"inputs":"Hi","parameters":{"seed":7,"do_sample":true}}'),
      response: { status: 200, excerpt: '{"generated_text":"abc"}' },
      seed: 42,
    },
    {
      check: 'response-completes',
      severity: 'violation',
      kind: 'connection-reset',
      title: 'the response did not complete',
      message: 'the server reset the connection after 12 bytes',
      dedupeKey: 'response-completes|POST /generate_stream|connection-reset',
      route: 'POST /generate_stream',
      case: { id: 5, label: 'random valid request #3 (stream)', purpose: 'positive' },
      request: request('{"inputs":"Yo"}', '/generate_stream'),
      response: { status: 200, failure: 'reset: socket hang up' },
      reproduce: `${curl('{"inputs":"Yo"}', '/generate_stream')} -N`,
      seed: 42,
    },
  ];
  const violations = findings.filter((f) => f.severity === 'violation').length;
  return {
    ...base(),
    summary: {
      checks: 8,
      cases: 120,
      requests: 131,
      violations,
      warnings: findings.length - violations,
      known: 1,
      suppressed: 1,
      skippedCases: 2,
    },
    checks: [
      { id: 'response-completes', severity: 'violation', title: 'the response completes', status: 'fail', cases: 120, violations: 1, warnings: 0 },
      { id: 'tokens-count', severity: 'violation', title: 'details.tokens has generated_tokens entries', status: 'fail', cases: 60, violations: 2, warnings: 0 },
      { id: 'error-message-exact', severity: 'violation', title: 'error messages are the documented ones', status: 'fail', cases: 20, violations: 1, warnings: 0 },
      { id: 'response-headers', severity: 'violation', title: 'response headers agree with the body', status: 'fail', cases: 70, violations: 1, warnings: 1 },
      { id: 'stream-index', severity: 'violation', title: 'stream indices run 1..N', status: 'fail', cases: 10, violations: 1, warnings: 0 },
      { id: 'auth-required', severity: 'violation', title: 'a missing or wrong token is rejected', status: 'skip', reason: 'not an auth case (run with --auth-required)', cases: 0, violations: 0, warnings: 0 },
      { id: 'top-tokens-shape', severity: 'violation', title: 'top_tokens has top_n_tokens entries', status: 'error', reason: `tgc failed: cannot read ${HOSTILE}`, cases: 3, violations: 0, warnings: 0 },
      { id: 'determinism', severity: 'violation', title: 'a seeded request is deterministic', status: 'fail', cases: 2, violations: 1, warnings: 0 },
    ],
    findings,
    skipped: [
      { case: 'random valid request #11', reason: 'HTTP 503 after 3 retries (load: verdict-policy item 20)' },
      { case: 'best_of = 2', reason: 'the request budget (--max-requests 2000) is spent' },
    ],
    fixed: ['finish-reason-length|POST /generate|length-exceeded'],
    suppressions: [
      { check: 'stream-index', reason: 'our proxy renumbers stream events (INFRA-42)', matched: 1 },
      { check: 'seed-consistency', route: 'POST /', reason: 'legacy route, tracked in INFRA-7', matched: 0 },
    ],
  };
}

/** A clean run against a conforming server. */
export function cleanReport(): TgcReport {
  return {
    ...base(),
    target: { url: 'http://127.0.0.1:41000', api: 'tgi', builtIn: true },
    summary: { checks: 3, cases: 50, requests: 52, violations: 0, warnings: 0, known: 0, skippedCases: 0 },
    checks: [
      { id: 'response-schema', severity: 'violation', title: 'the response matches the schema', status: 'pass', cases: 50, violations: 0, warnings: 0 },
      { id: 'tokens-count', severity: 'violation', title: 'details.tokens has generated_tokens entries', status: 'pass', cases: 30, violations: 0, warnings: 0 },
      { id: 'serverless-headers', severity: 'violation', title: 'serverless headers are honoured', status: 'skip', reason: 'not the serverless endpoint (--api hf)', cases: 0, violations: 0, warnings: 0 },
    ],
    findings: [],
  };
}

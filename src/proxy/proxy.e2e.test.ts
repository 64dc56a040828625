/**
 * `tgc proxy` end to end over real ports, against `tgc mock` (a clean one): what the client gets
 * through the proxy is byte for byte what the target sent, on the native and the /v1 routes; the
 * exchanges are judged as `tgc validate exchanges` judges their recording; SIGTERM writes every
 * report and exits by the verdict; the token is never written.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, tgc, type MockProcess } from '../cli/__fixtures__/tgc-process.js';
import { reportSchemaErrors } from '../report/__fixtures__/report-schema.js';
import type { TgcReport } from '../report/report.js';
import { endToEnd, request, startProxyProcess, startRecordingTarget, type ProxyProcess, type RecordingTarget } from './__fixtures__/proxy-process.js';

const TOKEN = 'hf_e2eProxySecret9876';
const COOKIE = 'session=c00kieValue4321';

interface Case {
  id: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** What the body must be, as a check on the case itself. */
  expect: { status: number; type?: RegExp };
}

const json = (v: unknown): string => JSON.stringify(v);
const native = { inputs: 'Hello', parameters: { max_new_tokens: 6, details: true, seed: 7, do_sample: true, decoder_input_details: true } };
// The token said in a message: a body the proxy writes must not show it.
const chat = { model: 'tgc/reference-model', messages: [{ role: 'user', content: `Say ${TOKEN}` }], max_tokens: 6, seed: 3 };

const CASES: Case[] = [
  { id: 'generate', method: 'POST', path: '/generate', body: json(native), expect: { status: 200, type: /application\/json/ } },
  { id: 'generate_stream', method: 'POST', path: '/generate_stream', body: json(native), expect: { status: 200, type: /text\/event-stream/ } },
  { id: 'compat', method: 'POST', path: '/', body: json({ inputs: 'Hi', parameters: { max_new_tokens: 3 } }), expect: { status: 200, type: /json/ } },
  { id: 'compat-stream', method: 'POST', path: '/', body: json({ inputs: 'Hi', stream: true, parameters: { max_new_tokens: 3 } }), expect: { status: 200, type: /event-stream/ } },
  { id: 'error-422-json', method: 'POST', path: '/generate', body: json({ inputs: 'Hi', parameters: { max_new_tokens: 0 } }), expect: { status: 422, type: /json/ } },
  { id: 'error-in-stream', method: 'POST', path: '/generate_stream', body: json({ inputs: 'Hi', parameters: { top_p: 1.5 } }), expect: { status: 200, type: /event-stream/ } },
  { id: 'text-plain-422', method: 'POST', path: '/generate', body: json({ inputs: 1 }), expect: { status: 422, type: /text\/plain/ } },
  { id: 'payload-413', method: 'POST', path: '/generate', body: json({ inputs: 'x'.repeat(2_100_000) }), expect: { status: 413 } },
  { id: 'chat', method: 'POST', path: '/v1/chat/completions', body: json(chat), expect: { status: 200, type: /json/ } },
  { id: 'chat-stream', method: 'POST', path: '/v1/chat/completions', body: json({ ...chat, stream: true, stream_options: { include_usage: true } }), expect: { status: 200, type: /event-stream/ } },
  { id: 'completions', method: 'POST', path: '/v1/completions', body: json({ model: 'tgc/reference-model', prompt: 'Hello', max_tokens: 4 }), expect: { status: 200, type: /json/ } },
  { id: 'completions-stream', method: 'POST', path: '/v1/completions', body: json({ model: 'tgc/reference-model', prompt: 'Hello', max_tokens: 4, stream: true }), expect: { status: 200, type: /event-stream/ } },
  { id: 'models', method: 'GET', path: '/v1/models', expect: { status: 200, type: /json/ } },
  { id: 'chat-error', method: 'POST', path: '/v1/chat/completions', body: json({ ...chat, messages: [] }), expect: { status: 422 } },
  { id: 'info', method: 'GET', path: '/info?x=1', expect: { status: 200, type: /json/ } },
  { id: 'gzip-chat', method: 'POST', path: '/v1/chat/completions', body: json(chat), headers: { 'x-test-encoding': 'gzip' }, expect: { status: 200 } },
  { id: 'gzip-stream', method: 'POST', path: '/generate_stream', body: json(native), headers: { 'x-test-encoding': 'gzip' }, expect: { status: 200 } },
  { id: 'zstd', method: 'POST', path: '/generate', body: json(native), headers: { 'x-test-encoding': 'zstd' }, expect: { status: 200 } },
];

let mock: MockProcess;
let target: RecordingTarget;
let proxy: ProxyProcess;
let dir: string;
const received = new Map<string, { status: number; rawHeaders: string[]; body: Buffer }>();
let stopped: { code: number | null; stdout: string; stderr: string };
let report: TgcReport;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tgc-proxy-e2e-'));
  mock = await startMock();
  target = await startRecordingTarget(mock.url);
  proxy = await startProxyProcess(['--target', target.url, '--report-dir', path.join(dir, 'reports'), '--record', path.join(dir, 'live.jsonl')]);
  // Sent a few at a time, as clients do.
  const queue = [...CASES];
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const headers: Record<string, string> = { 'x-test-id': c.id, authorization: `Bearer ${TOKEN}`, cookie: COOKIE, ...c.headers };
        if (c.body !== undefined) headers['content-type'] = 'application/json';
        received.set(c.id, await request(`${proxy.url}${c.path}`, { method: c.method, headers, ...(c.body !== undefined ? { body: c.body } : {}) }));
      }
    }),
  );
  stopped = await proxy.stop('SIGTERM');
  report = JSON.parse(readFileSync(path.join(dir, 'reports', 'report.json'), 'utf8')) as TgcReport;
}, 90_000);

afterAll(async () => {
  await proxy?.stop('SIGKILL');
  await target?.close();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tgc proxy against a clean tgc mock', () => {
  it.each(CASES.map((c) => [c.id, c] as const))('%s: status, headers and bytes as the target sent them', (id, c) => {
    const got = received.get(id);
    const sent = target.sent.get(id);
    expect(got && sent).toBeTruthy();
    if (!got || !sent) return;
    expect(got.status).toBe(c.expect.status);
    expect(got.status).toBe(sent.status);
    expect(got.body.equals(sent.body)).toBe(true);
    expect(got.body.length).toBeGreaterThan(0);
    expect(endToEnd(got.rawHeaders)).toEqual(endToEnd(sent.rawHeaders));
    if (c.expect.type) expect(got.rawHeaders.join('\n')).toMatch(c.expect.type);
  });

  it('SIGTERM: every report written, exit 0 (only the clients departed), the proxied URL as the target', () => {
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'reports')).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(report.interrupted).toBe(false);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.target).toEqual({ url: target.url, api: 'tgi', builtIn: false, apis: ['tgi', 'openai'] });
    const server = report.findings.filter((f) => !['client-request', 'request-schema', 'openai-request-schema'].includes(f.check));
    expect(server.map((f) => `${f.check} ${f.message}`)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'client-request')).toMatchObject({ status: 'fail' });
    expect(report.checks.find((c) => c.id === 'response-completes')).toMatchObject({ status: 'pass' });
    expect(report.summary.requests).toBe(CASES.length);
  });

  it('counts the exchanges it does not judge, each with its reason', () => {
    const reasons = report.skipped.map((s) => `${s.case}: ${s.reason}`).join('\n');
    expect(reasons).toMatch(/GET \/info: not judged: no API of tgc/);
    expect(reasons).toMatch(/POST \/generate: not judged: response: content-encoding "zstd" cannot be decoded/);
    expect(report.summary.skippedCases).toBe(2);
    expect(stopped.stdout).toMatch(/GET \/info: not judged/);
  });

  it("reports the client's departures as such, one line each as they happen", () => {
    const client = report.findings.filter((f) => f.check === 'client-request').map((f) => f.kind);
    // max_new_tokens 0, inputs not a string, the 413 body is valid JSON but long, messages: [].
    expect(client.length).toBeGreaterThanOrEqual(3);
    expect(stopped.stdout).toMatch(/POST \/generate 422: client violation client-request/);
    expect(stopped.stdout).toMatch(/not failing: --fail-on-client/);
  });

  it('judges compressed answers through the decompressor', () => {
    // gzip-chat and gzip-stream were judged (no "not judged" for them) and found nothing wrong.
    expect(report.summary.cases).toBe(CASES.length - 2);
  });

  it('--record: tgc validate exchanges finds exactly what the proxy found', async () => {
    const v = await tgc(['validate', 'exchanges', path.join(dir, 'live.jsonl'), '--format', 'json']);
    const validated = (JSON.parse(v.stdout) as { artifacts: number; findings: { check: string; kind: string }[] });
    expect(validated.artifacts).toBe(CASES.length - 2);
    const fromChecks = report.findings.filter((f) => f.check !== 'client-request').map((f) => `${f.check}:${f.kind}`).sort();
    expect(validated.findings.map((f) => `${f.check}:${f.kind}`).sort()).toEqual(fromChecks);
  });

  it('never writes the token or the cookie (forwarded to the target all the same)', () => {
    const files = [path.join(dir, 'live.jsonl'), ...readdirSync(path.join(dir, 'reports')).map((f) => path.join(dir, 'reports', f))];
    const secrets = [TOKEN, 'c00kieValue4321'];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const s of secrets) expect(text.includes(s), `${s} in ${file}`).toBe(false);
    }
    for (const s of secrets) expect(stopped.stdout + stopped.stderr).not.toContain(s);
    // The bodies are kept, scrubbed: the token said in the input is replaced.
    expect(readFileSync(path.join(dir, 'live.jsonl'), 'utf8')).toContain('Say $HF_TOKEN');
  });
});

/**
 * The OpenAI-compatible routes over a real port: the whole request matrix sent with fetch,
 * recorded in the `tgc validate exchanges` JSON Lines format, and judged by the real command
 * (`tgc validate exchanges`, which decodes with --api openai's decoder and applies its checks):
 * no violation and no warning. Then determinism, stream vs non-stream, and streaming as tokens come.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import type { RecordedExchange } from '../../core/exchange.js';
import { stringifyJson } from '../../core/json.js';
import { startReferenceServer } from '../server.js';
import type { ReferenceServer } from '../server.js';
import { assemble, judge, sendHttp } from './__fixtures__/exchanges.js';
import type { Case } from './__fixtures__/exchanges.js';
import { invalidCases, stopCases, streamed, validCases } from './__fixtures__/matrix.js';

type Json = any;

async function tgc(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

/** The exchange as a `validate exchanges` line. */
function line(raw: RecordedExchange): string {
  const out: Record<string, unknown> = { route: raw.route, request: raw.request, status: raw.status, headers: raw.headers };
  if (raw.stream !== undefined) out.stream = raw.stream;
  else if (raw.response !== undefined) out.response = raw.response;
  else {
    out.response_text = raw.responseText ?? '';
    out.content_type = raw.headers?.['content-type'] ?? '';
  }
  return stringifyJson(out);
}

describe.each([
  ['tgi', {}],
  ['openai', { profile: 'openai' as const }],
])('OpenAI-compatible routes on a real port (profile %s)', (profile, options) => {
  let server: ReferenceServer;
  const dir = mkdtempSync(path.join(tmpdir(), `tgc-openai-e2e-${profile}-`));
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, ...options });
  });
  afterAll(() => server.close());

  it('every exchange of the matrix passes `tgc validate exchanges` with no violation and no warning', async () => {
    const valid = validCases();
    const base = { messages: [{ role: 'user', content: 'Tell me a story.' }], max_tokens: 16, seed: 21 };
    const free = await sendHttp(server.url, { label: 'free', route: 'POST /v1/chat/completions', body: base });
    const content = (free.response as Json).choices[0].message.content as string;
    const cases: Case[] = [
      ...valid,
      ...valid.map(streamed),
      ...stopCases(content, base),
      ...invalidCases(),
      { label: 'models', route: 'GET /v1/models' },
    ];
    const records: RecordedExchange[] = [];
    for (const c of cases) records.push(await sendHttp(server.url, c));
    for (const [i, raw] of records.entries()) {
      const findings = await judge(raw);
      expect(findings.map((f) => `${f.severity} ${f.check} ${f.kind}: ${f.message}`), cases[i]?.label).toEqual([]);
    }
    writeFileSync(path.join(dir, 'openai.jsonl'), `${records.map(line).join('\n')}\n`);
    const r = await tgc(dir, 'validate', 'exchanges', 'openai.jsonl');
    expect(r.stdout).toContain(`${records.length} exchanges in 1 file: 0 violations, 0 warnings`);
    expect(r.code).toBe(0);
  });

  it('the same seeded request twice gives the same output; the stream assembles to the same content and usage', async () => {
    const chat: Case = { label: 'seeded', route: 'POST /v1/chat/completions', body: { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 12, seed: 42, n: 2 } };
    const a = (await sendHttp(server.url, chat)).response as Json;
    const b = (await sendHttp(server.url, chat)).response as Json;
    expect(b.choices).toEqual(a.choices);
    const s = assemble((await sendHttp(server.url, streamed(chat, 0))).stream as string);
    expect(s.usage).toEqual(a.usage);
    for (const choice of a.choices as Json[]) expect(s.choices.get(choice.index)?.content).toBe(choice.message.content);
    const completions: Case = { label: 'completions', route: 'POST /v1/completions', body: { prompt: ['Hello', 'World'], max_tokens: 6, seed: 7, logprobs: 2 } };
    const c1 = (await sendHttp(server.url, completions)).response as Json;
    const c2 = (await sendHttp(server.url, completions)).response as Json;
    expect(c2.choices).toEqual(c1.choices);
    const cs = assemble((await sendHttp(server.url, streamed(completions, 0))).stream as string);
    expect(cs.usage).toEqual(c1.usage);
    for (const choice of c1.choices as Json[]) expect(cs.choices.get(choice.index)?.content).toBe(choice.text);
  });
});

describe('streaming as the tokens come', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, latencyMs: 50 });
  });
  afterAll(() => server.close());

  it('the first chunk arrives long before the last token exists', async () => {
    const t0 = performance.now();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8, stream: true }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const arrivals: number[] = [];
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push(performance.now() - t0);
      text += new TextDecoder().decode(value);
    }
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const first = arrivals[0] ?? Infinity;
    const last = arrivals.at(-1) ?? 0;
    expect(last).toBeGreaterThanOrEqual(8 * 50 - 20);
    expect(first).toBeLessThan(last - 4 * 50);
  });
});

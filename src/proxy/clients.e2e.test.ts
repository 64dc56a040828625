/**
 * Real clients through `tgc proxy`, unchanged: `@huggingface/inference` 4.13.16 (endpointUrl =
 * the proxy) and the official `openai` 6.30.1 (baseURL = the proxy's /v1) get what they get from
 * `tgc mock` directly, and the proxy finds nothing wrong on either side.
 */
import { InferenceClient } from '@huggingface/inference';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockProcess } from '../cli/__fixtures__/tgc-process.js';
import type { TgcReport } from '../report/report.js';
import { startProxyProcess, type ProxyProcess } from './__fixtures__/proxy-process.js';

const TOKEN = 'hf_clientsThroughProxy123';
let mock: MockProcess;
let proxy: ProxyProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tgc-proxy-clients-'));
  mock = await startMock();
  proxy = await startProxyProcess(['--target', mock.url, '--report-dir', dir, '--format', 'json']);
}, 60_000);

afterAll(async () => {
  await proxy?.stop('SIGKILL');
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('real clients through the proxy', () => {
  it('@huggingface/inference: textGeneration and textGenerationStream', async () => {
    const hf = new InferenceClient(TOKEN);
    const args = { inputs: 'Hello', parameters: { max_new_tokens: 4, seed: 5, do_sample: true } };
    const through = await hf.textGeneration({ endpointUrl: proxy.url, ...args }, { retry_on_error: false });
    const direct = await hf.textGeneration({ endpointUrl: mock.url, ...args }, { retry_on_error: false });
    expect(through).toEqual(direct);
    expect(through.generated_text.startsWith('Hello')).toBe(true);
    const tokens: string[] = [];
    let final: string | null | undefined;
    for await (const event of hf.textGenerationStream({ endpointUrl: proxy.url, ...args }, { retry_on_error: false })) {
      tokens.push(event.token.text);
      final = event.generated_text;
    }
    expect(tokens).toHaveLength(4);
    expect(final).toBe(through.generated_text);
  });

  it('openai: chat.completions.create (plain and stream), the .stream() helper, models.list', async () => {
    const through = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const direct = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const models = await through.models.list();
    expect(models.data.map((m) => m.id)).toEqual((await direct.models.list()).data.map((m) => m.id));
    const model = models.data[0]?.id ?? 'tgc/reference-model';
    const body = { model, messages: [{ role: 'user' as const, content: 'Hello' }], max_tokens: 5, seed: 11 };
    const chat = await through.chat.completions.create(body);
    expect(chat.choices[0]?.message.content).toBe((await direct.chat.completions.create(body)).choices[0]?.message.content);
    let streamed = '';
    for await (const chunk of await through.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })) {
      streamed += chunk.choices[0]?.delta.content ?? '';
    }
    expect(streamed).toBe(chat.choices[0]?.message.content);
    const helper = await through.chat.completions.stream(body).finalChatCompletion();
    expect(helper.choices[0]?.message.content).toBe(chat.choices[0]?.message.content);
  });

  it('finds nothing wrong on either side; the token never written', async () => {
    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'report.json'), 'utf8');
    expect(text).not.toContain(TOKEN);
    const report = JSON.parse(text) as TgcReport;
    expect(report.findings.filter((f) => f.severity === 'violation')).toEqual([]);
    expect(report.target.apis).toEqual(['tgi', 'openai']);
    expect(report.summary).toMatchObject({ requests: 6, cases: 6, skippedCases: 0 });
  });
});

/**
 * The OpenAI-compatible routes of the reference server, in-process (msw): every request of the
 * matrix judged by the real checks of `--api openai` (no violation, no warning), determinism,
 * stream vs non-stream equality, the chunk structure, both error profiles, auth, --check-client,
 * and the fault hook points.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { ExactJson } from '../../core/json.js';
import type { Fault } from '../faults/fault.js';
import { createHandlers } from '../handlers.js';
import type { ReferenceServerOptions } from '../options.js';
import { assemble, judge, sendInProcess, sseEvents } from './__fixtures__/exchanges.js';
import type { Case } from './__fixtures__/exchanges.js';
import { invalidCases, PERSON_SCHEMA, stopCases, streamed, validCases, WEATHER_TOOL } from './__fixtures__/matrix.js';
import { OPENAI_HOOK_POINTS } from './handlers.js';

type Json = any;
const BASE = 'http://openai.test';
const CHAT = 'POST /v1/chat/completions' as const;
const COMPLETIONS = 'POST /v1/completions' as const;

function server(options: ReferenceServerOptions = {}) {
  const handlers = createHandlers({ baseUrl: BASE, ...options });
  return (c: Case): Promise<RecordedExchange> => sendInProcess(handlers, BASE, c);
}

const send = server();
const describeFindings = (fs: Finding[]): string => fs.map((f) => `${f.severity} ${f.check} ${f.kind}: ${f.message}`).join('\n');
const body = (raw: RecordedExchange): Json => raw.response;

async function judged(c: Case, sender = send): Promise<RecordedExchange> {
  const raw = await sender(c);
  const findings = await judge(raw);
  expect(findings, `${c.label}:\n${describeFindings(findings)}`).toEqual([]);
  return raw;
}

describe('every request of the matrix: no violation, no warning', () => {
  const valid = validCases();
  it.each(valid.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const raw = await judged(c);
    expect(raw.status).toBe(200);
  });
  it.each(valid.map((c, i) => [streamed(c, i).label, streamed(c, i)] as const))('%s', async (_label, c) => {
    const raw = await judged(c);
    expect(raw.status).toBe(200);
    expect(raw.headers?.['content-type']).toBe('text/event-stream');
  });
  it.each(invalidCases().map((c) => [c.label, c] as const))('rejected: %s', async (_label, c) => {
    const raw = await judged(c);
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.status).toBeLessThan(500);
    expect(raw.stream).toBeUndefined(); // before the stream, never an event in a 200
  });

  it('stop strings (string and array, streams too): finish_reason stop, the stop text stripped', async () => {
    const base = { messages: [{ role: 'user', content: 'Tell me a story.' }], max_tokens: 16, seed: 21 };
    const first = body(await judged({ label: 'free', route: CHAT, body: base }));
    const content: string = first.choices[0].message.content;
    for (const c of stopCases(content, base)) {
      const raw = await judged(c);
      const stops: string[] = [(c.body as Json).stop].flat();
      const answer = raw.stream !== undefined ? assemble(raw.stream).choices.get(0) : undefined;
      const text: string = answer ? answer.content : body(raw).choices[0].message.content;
      const finish = answer ? answer.finish : body(raw).choices[0].finish_reason;
      expect(finish, c.label).toBe('stop');
      expect(stops.some((s) => text.endsWith(s)), c.label).toBe(false);
      expect(content.startsWith(text), c.label).toBe(true);
    }
  });

  it('a control: the same checks flag a broken exchange', async () => {
    const raw = await send(validCases()[0] as Case);
    const broken = JSON.parse(JSON.stringify(raw.response)) as Json;
    broken.choices[0].finish_reason = 'eos_token';
    broken.usage.total_tokens += 1;
    const findings = await judge({ ...raw, response: broken });
    expect(findings.map((f) => f.check)).toEqual(expect.arrayContaining(['openai-finish-reason', 'openai-usage']));
  });
});

describe('determinism and stream equivalence', () => {
  const cases: Case[] = validCases().filter((c) => /plain|n = 2|json_schema|tools required|tools named|a tool drawn|no_tool|logprobs \+|completions, array prompt, n/.test(c.label));

  it.each(cases.map((c) => [c.label, c] as const))('the same seeded request twice gives the same answer: %s', async (_l, c) => {
    // tool-call ids are random (call_…): everything else is the same
    const withoutIds = (r: Json): Json => JSON.parse(JSON.stringify(r.choices).replace(/"call_[0-9a-f]+"/g, '"call"'));
    const a = body(await send(c));
    const b = body(await send(c));
    expect(withoutIds(b)).toEqual(withoutIds(a));
    expect(b.usage).toEqual(a.usage);
  });

  it.each(cases.map((c) => [c.label, c] as const))('the stream assembles to the non-stream answer: %s', async (_l, c) => {
    const whole = body(await send(c));
    const stream = assemble((await send(streamed(c, 0))).stream as string);
    expect(stream.usage).toEqual(whole.usage);
    expect(stream.choices.size).toBe(whole.choices.length);
    for (const choice of whole.choices as Json[]) {
      const s = stream.choices.get(choice.index);
      expect(s?.finish).toBe(choice.finish_reason);
      if (c.route === COMPLETIONS) expect(s?.content).toBe(choice.text);
      else if (choice.message.tool_calls) {
        expect(s?.name).toBe(choice.message.tool_calls[0].function.name);
        expect(s?.args).toBe(choice.message.tool_calls[0].function.arguments);
      } else expect(s?.content).toBe(choice.message.content);
    }
  });

  it('without a seed, two sampling requests differ; n choices have distinct seeds', async () => {
    const c: Case = { label: 'unseeded', route: CHAT, body: { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 12, n: 3, seed: 5 } };
    const r = body(await send(c));
    const texts = new Set((r.choices as Json[]).map((x) => x.message.content));
    expect(texts.size).toBeGreaterThan(1);
    const one = body(await send({ ...c, body: { ...(c.body as object), n: 1, seed: 6 } }));
    expect(one.choices[0].message.content).toBe(r.choices[1].message.content); // choice i samples with seed + i
  });
});

describe('what the answers say', () => {
  it('chat: ids, created, model, fingerprint, usage = template tokens + generated tokens', async () => {
    const r = body(await send({ label: '', route: CHAT, body: { model: 'tgi', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5, seed: 1 } }));
    expect(r.id).toMatch(/^chatcmpl-[0-9a-f]+$/);
    expect(Number.isInteger(r.created)).toBe(true);
    expect(r.model).toBe('tgc/reference-model');
    expect(typeof r.system_fingerprint).toBe('string');
    expect(r.usage.completion_tokens).toBe(5);
    expect(r.usage.total_tokens).toBe(r.usage.prompt_tokens + 5);
    const named = body(await send({ label: '', route: CHAT, body: { model: 'my-model', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 1 } }));
    expect(named.model).toBe('my-model');
  });

  it('image parts are accepted and ignored', async () => {
    const text = body(await send({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 3, seed: 1 } }));
    const withImage = body(
      await send({
        label: '',
        route: CHAT,
        body: { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'Hello' }] }], max_tokens: 3, seed: 1 },
      }),
    );
    expect(withImage.usage).toEqual(text.usage);
    expect(withImage.choices[0].message.content).toBe(text.choices[0].message.content);
  });

  it('logprobs: one entry per token, k alternatives, bytes the UTF-8 of the token', async () => {
    const r = body(await send({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 6, seed: 1, logprobs: true, top_logprobs: 4 } }));
    const entries = r.choices[0].logprobs.content as Json[];
    expect(entries).toHaveLength(r.usage.completion_tokens);
    expect(entries.map((e) => e.token).join('').startsWith(r.choices[0].message.content)).toBe(true);
    for (const e of entries) {
      expect(e.logprob).toBeLessThanOrEqual(0);
      expect(e.top_logprobs).toHaveLength(4);
      if (e.bytes !== null) expect(Buffer.from(e.bytes).toString('utf8')).toBe(e.token);
    }
  });

  it('json_schema: the content validates', async () => {
    const r = body(await send({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'x' }], max_tokens: 200, seed: 3, response_format: { type: 'json_schema', json_schema: { name: 'p', schema: PERSON_SCHEMA, strict: true } } } }));
    const value = JSON.parse(r.choices[0].message.content) as Json;
    expect(Object.keys(value).sort()).toEqual(['age', 'name', 'tags']);
  });

  it('completions: index = prompt index × n + i; usage sums every prompt once', async () => {
    const r = body(await send({ label: '', route: COMPLETIONS, body: { prompt: ['Hello', 'The quick brown fox'], n: 2, max_tokens: 3, seed: 1 } }));
    expect((r.choices as Json[]).map((c) => c.index)).toEqual([0, 1, 2, 3]);
    const single = await Promise.all(
      ['Hello', 'The quick brown fox'].map(async (prompt) => body(await send({ label: '', route: COMPLETIONS, body: { prompt, max_tokens: 3, seed: 1 } })).usage.prompt_tokens as number),
    );
    expect(r.usage.prompt_tokens).toBe((single[0] ?? 0) + (single[1] ?? 0));
    expect(r.usage.completion_tokens).toBe(12);
  });

  it('GET /v1/models lists the model; other methods get 405', async () => {
    const r = await send({ label: '', route: 'GET /v1/models' });
    expect(body(r)).toEqual({ object: 'list', data: [{ id: 'tgc/reference-model', object: 'model', created: expect.any(Number), owned_by: 'tgc' }] });
    const handlers = createHandlers({ baseUrl: BASE });
    const { getResponse } = await import('msw');
    const wrong = await getResponse(handlers, new Request(`${BASE}/v1/chat/completions`));
    expect(wrong?.status).toBe(405);
  });
});

describe('streams', () => {
  it('role on the first delta of each choice, finish_reason on its last, n interleaved, usage chunk last, [DONE]', async () => {
    const raw = await send({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, n: 2, seed: 1, stream: true, stream_options: { include_usage: true } } });
    const events = sseEvents(raw.stream as string);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Json[];
    expect(chunks.map((c) => c.choices.map((x: Json) => x.index))).toEqual([[0], [1], [0], [1], [0], [1], []]);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: 6, total_tokens: expect.any(Number) });
    const of = (i: number): Json[] => chunks.flatMap((c) => c.choices).filter((x: Json) => x.index === i);
    for (const i of [0, 1]) {
      expect(of(i).map((x) => 'role' in x.delta)).toEqual([true, false, false]);
      expect(of(i).map((x) => x.finish_reason)).toEqual([null, null, 'length']);
    }
  });

  it('without include_usage, no usage key', async () => {
    const raw = await send({ label: '', route: COMPLETIONS, body: { prompt: 'Hi', max_tokens: 2, stream: true } });
    const chunks = sseEvents(raw.stream as string).slice(0, -1) as Json[];
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => !('usage' in c) && c.object === 'text_completion')).toBe(true);
  });

  it('a tool call streams its id, type and name once, then argument fragments with the index only', async () => {
    const raw = await send({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Weather?' }], max_tokens: 80, seed: 2, stream: true, tools: [WEATHER_TOOL], tool_choice: 'required' } });
    const deltas = (sseEvents(raw.stream as string).slice(0, -1) as Json[]).map((c) => c.choices[0]);
    const calls = deltas.map((d) => d.delta.tool_calls[0]);
    expect(calls[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.slice(1).every((c) => Object.keys(c).join() === 'index,function' && Object.keys(c.function).join() === 'arguments')).toBe(true);
    expect(deltas.at(-1).finish_reason).toBe('tool_calls');
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toMatchObject({ city: expect.any(String) });
  });
});

describe('profile openai: OpenAI\'s error object, 400', () => {
  const sendOpenAI = server({ profile: 'openai' });
  it.each(invalidCases().map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const raw = await judged(c, sendOpenAI);
    expect([400, 415]).toContain(raw.status);
    const error = body(raw).error as Json;
    expect(Object.keys(error)).toEqual(['message', 'type', 'param', 'code']);
    expect(error).toMatchObject({ message: expect.any(String), type: 'invalid_request_error', code: expect.any(String) });
    expect(error.param === null || typeof error.param === 'string').toBe(true);
  });
  it('native routes stay served', async () => {
    const handlers = createHandlers({ baseUrl: BASE, profile: 'openai' });
    const { getResponse } = await import('msw');
    const r = await getResponse(handlers, new Request(`${BASE}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs":"Hi","parameters":{"max_new_tokens":2}}' }));
    expect(r?.status).toBe(200);
  });
});

describe('api key, --check-client', () => {
  const chat: Case = { label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 } };
  it('401 without the Bearer key (TGI: empty body; profile openai: JSON), served with it', async () => {
    const tgi = server({ apiKey: 'sekret' });
    expect((await tgi(chat)).status).toBe(401);
    expect((await tgi({ ...chat, headers: { authorization: 'Bearer SEKRET' } })).status).toBe(200);
    expect((await tgi({ label: '', route: 'GET /v1/models' })).status).toBe(401);
    const openai = await judged(chat, server({ apiKey: 'sekret', profile: 'openai' }));
    expect(openai.status).toBe(401);
    expect(body(openai).error.code).toBe('invalid_api_key');
  });

  it('reports the client\'s departures against spec/openai.yaml in a header and a log line', async () => {
    const lines: string[] = [];
    const check = server({ checkClient: true, log: (l) => lines.push(l) });
    const good = await check(chat);
    expect(good.headers?.['x-tgc-client-findings']).toBe('none');
    const bad = await check({ ...chat, body: { messages: [], temperature: 3 } });
    expect(bad.headers?.['x-tgc-client-findings']).toMatch(/violation:reject:messages-empty/);
    const unknown = await check({ ...chat, body: { ...(chat.body as object), options: {} } });
    expect(unknown.status).toBe(200);
    expect(unknown.headers?.['x-tgc-client-findings']).toMatch(/warning:unknown-field/);
    expect(lines.some((l) => l.includes('POST /v1/chat/completions') && l.includes('messages-empty'))).toBe(true);
  });
});

describe('fault hook points', () => {
  const chat = (extra: object = {}): Case => ({ label: '', route: CHAT, body: { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, seed: 1, ...extra } });
  const withFault = (fault: Partial<Fault>) => server({ fault: { name: 'test', description: 'test', ...fault } });

  it('lists the hook points', () => {
    expect(OPENAI_HOOK_POINTS.map((p) => p.hook)).toEqual(
      expect.arrayContaining(['transformRequestHeaders', 'authorize', 'transformRequestText', 'overrideValidation', 'transformRequest', 'transformResponseBody', 'transformEvent', 'transformFrame', 'transformHeaders', 'transformStatus', 'transformEventSource']),
    );
  });

  it('route, stream and status reach every hook; transformFrame sees [DONE] and can drop it', async () => {
    const seen: string[] = [];
    const send2 = withFault({
      transformRequestHeaders: (_h, ctx) => void seen.push(`headers ${ctx.route}`),
      transformRequestText: (t, ctx) => (seen.push(`text ${ctx.route}`), t),
      transformRequest: (v, ctx) => (seen.push(`request ${ctx.choice} ${ctx.stream}`), v),
      transformEventSource: (events, ctx) => (seen.push(`source ${ctx.stream}`), events),
      transformEvent: (e, ctx) => (seen.push(`event ${ctx.index}`), [e]),
      transformFrame: (f) => (f === 'data: [DONE]\n\n' ? (seen.push('done'), '') : f),
      transformHeaders: (_h, ctx) => void seen.push(`headers-out ${ctx.status}`),
      transformStatus: (s, ctx) => (seen.push(`status ${ctx.route}`), s),
    });
    const raw = await send2(chat({ stream: true, n: 2 }));
    expect(seen).toEqual(
      expect.arrayContaining(['headers POST /v1/chat/completions', 'text POST /v1/chat/completions', 'request 0 true', 'request 1 true', 'source true', 'event 0', 'event 5', 'done', 'headers-out 200', 'status POST /v1/chat/completions']),
    );
    expect(raw.stream).not.toContain('[DONE]');
    expect((await judge(raw)).map((f) => f.kind)).toContain('missing-done');
  });

  it('transformEvent may drop events (the stream goes on to [DONE], no hang)', async () => {
    const dropping = withFault({ transformEvent: (e, ctx) => (ctx.index % 2 === 1 || (e as Json).choices?.length === 0 ? [] : [e]) });
    const raw = await dropping(chat({ stream: true, n: 2, max_tokens: 4, stream_options: { include_usage: true } }));
    const events = sseEvents(raw.stream as string);
    expect(events).toHaveLength(5);
    expect(events.at(-1)).toBe('[DONE]');
  });

  it('overrideValidation accepts a failing rule; transformRequest changes the seed; transformResponseBody the body', async () => {
    const failures: string[] = [];
    const lenient = withFault({ overrideValidation: (f) => (failures.push(f.rule), null) });
    expect((await lenient(chat({ temperature: 3, n: 0 }))).status).toBe(200);
    expect(failures).toEqual(['openai:n-range', 'openai:temperature-range']);
    const reseeded = withFault({ transformRequest: (v) => ({ ...v, seed: 99n }) });
    const a = body(await reseeded(chat({ seed: 1 })));
    const b = body(await send(chat({ seed: 99 })));
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    const relabelled = withFault({ transformResponseBody: (x: ExactJson) => ({ ...(x as object), object: 'text_completion' }) });
    expect(body(await relabelled(chat())).object).toBe('text_completion');
    expect(body(await relabelled({ label: '', route: 'GET /v1/models' })).object).toBe('text_completion');
  });
});

describe('in-process through msw setupServer and global fetch', () => {
  const msw = setupServer(...createHandlers({ baseUrl: 'http://inprocess-openai.test' }));
  beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => msw.close());
  it('answers a chat completion', async () => {
    const res = await fetch('http://inprocess-openai.test/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 2 }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).object).toBe('chat.completion');
  });
});

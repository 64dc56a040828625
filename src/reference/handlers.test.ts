import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, reference, sseData } from './__fixtures__/client.js';
import { createHandlers } from './handlers.js';

describe('in-process through msw setupServer and global fetch', () => {
  const server = setupServer(...createHandlers({ baseUrl: 'http://inprocess.test' }));
  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => server.close());

  it('answers /generate and streams /generate_stream', async () => {
    const init = (body: object): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await fetch('http://inprocess.test/generate', init({ inputs: 'Hello', parameters: { max_new_tokens: 3 } }));
    expect(res.status).toBe(200);
    expect(typeof ((await res.json()) as { generated_text: string }).generated_text).toBe('string');
    const stream = await fetch('http://inprocess.test/generate_stream', init({ inputs: 'Hello', parameters: { max_new_tokens: 3 } }));
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(sseData(await stream.text())).toHaveLength(3);
  });
});

type Json = any;
const server = reference();
const generate = async (parameters: object, inputs = 'The quick brown fox', route = '/generate'): Promise<Json> => {
  const reply = await server.post(route, { inputs, parameters });
  expect(reply.status, reply.text).toBe(200);
  return reply.json;
};
const details = (parameters: object, inputs?: string): Promise<Json> => generate({ details: true, ...parameters }, inputs);

describe('parameters are honoured', () => {
  it('max_new_tokens bounds the tokens; length means exactly that many', async () => {
    for (const max of [1, 3, 7]) {
      const r = await details({ max_new_tokens: max });
      expect(r.details.generated_tokens).toBe(r.details.tokens.length);
      expect(r.details.generated_tokens).toBeLessThanOrEqual(max);
      if (r.details.finish_reason === 'length') expect(r.details.generated_tokens).toBe(max);
    }
  });

  it('stop ends the generation with stop_sequence, the stop string kept', async () => {
    const free = await details({ max_new_tokens: 8 });
    const stop = free.details.tokens[2].text as string;
    const r = await details({ max_new_tokens: 8, stop: [stop] });
    expect(r.details.finish_reason).toBe('stop_sequence');
    expect(r.generated_text.endsWith(stop)).toBe(true);
    expect(r.details.generated_tokens).toBeLessThanOrEqual(3);
  });

  it('details is omitted unless asked (never null)', async () => {
    expect(await generate({ max_new_tokens: 2 })).not.toHaveProperty('details');
    expect(await generate({ max_new_tokens: 2, decoder_input_details: true })).toHaveProperty('details');
  });

  it('decoder_input_details gives the prefill, first logprob null, one entry per prompt token', async () => {
    const reply = await server.post('/generate', { inputs: 'The quick brown fox', parameters: { max_new_tokens: 2, decoder_input_details: true } });
    const prefill = reply.json.details.prefill as { logprob: number | null }[];
    expect(prefill).toHaveLength(Number(reply.headers.get('x-prompt-tokens')));
    expect(prefill[0]?.logprob).toBeNull();
    expect(prefill.slice(1).every((p) => p.logprob !== null && p.logprob <= 0)).toBe(true);
    expect((await details({ max_new_tokens: 2 })).details.prefill).toEqual([]);
    const flash = await reference({ prefillLogprobs: false }).post('/generate', { inputs: 'a b', parameters: { decoder_input_details: true, max_new_tokens: 1 } });
    expect(flash.json.details.prefill).toEqual([]);
  });

  it('return_full_text prepends the whole prompt, even when truncated', async () => {
    const prompt = 'one two three four five six';
    const r = await details({ max_new_tokens: 3, return_full_text: true, truncate: 2, decoder_input_details: true }, prompt);
    expect(r.generated_text.startsWith(prompt)).toBe(true);
    expect(r.details.prefill).toHaveLength(2);
    const text = r.details.tokens.filter((t: Json) => !t.special).map((t: Json) => t.text).join('');
    expect(r.generated_text).toBe(prompt + text);
  });

  it('return_full_text defaults to false on /generate and to true on /, which wraps in an array', async () => {
    const prompt = 'The quick brown fox';
    const plain = await generate({ max_new_tokens: 3 }, prompt);
    const compat = await generate({ max_new_tokens: 3 }, prompt, '/');
    expect(Array.isArray(compat)).toBe(true);
    expect(compat).toHaveLength(1);
    expect(compat[0].generated_text).toBe(prompt + plain.generated_text);
    const notFull = await reference({ defaultReturnFullText: false }).post('/', { inputs: prompt, parameters: { max_new_tokens: 3 } });
    expect(notFull.json[0].generated_text).toBe(plain.generated_text);
  });

  it('truncate keeps the last tokens of the prompt', async () => {
    const reply = await server.post('/generate', { inputs: 'the of and to in is', parameters: { truncate: 3, max_new_tokens: 1, decoder_input_details: true } });
    expect(reply.headers.get('x-prompt-tokens')).toBe('3');
    expect(reply.json.details.prefill.map((p: Json) => p.text)).toEqual([' to', ' in', ' is']);
  });

  it('top_n_tokens gives one sorted list per token', async () => {
    const r = await details({ max_new_tokens: 5, top_n_tokens: 3 });
    expect(r.details.top_tokens).toHaveLength(r.details.tokens.length);
    for (const list of r.details.top_tokens as { logprob: number }[][]) {
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(list.map((t) => t.logprob)).toEqual(list.map((t) => t.logprob).sort((a, b) => b - a));
    }
    expect(await details({ max_new_tokens: 2, top_n_tokens: 0 })).not.toHaveProperty('details.top_tokens');
  });

  it('best_of returns the others in best_of_sequences, each with its own seed; the best mean logprob wins', async () => {
    const r = await details({ max_new_tokens: 6, best_of: 2, do_sample: true });
    const all = [r.details, ...r.details.best_of_sequences];
    expect(r.details.best_of_sequences).toHaveLength(1);
    const mean = (d: Json): number => d.tokens.reduce((s: number, t: Json) => s + t.logprob, 0) / d.tokens.length;
    expect(mean(r.details)).toBeGreaterThanOrEqual(mean(r.details.best_of_sequences[0]));
    expect(all.every((d) => d.seed !== null)).toBe(true);
    expect(new Set(all.map((d) => String(d.seed))).size).toBe(2);
  });

  it('seed: echoed when sampling, random when sampling without one, null when greedy', async () => {
    expect((await details({ max_new_tokens: 2, do_sample: true, seed: 7 })).details.seed).toBe(7);
    expect((await details({ max_new_tokens: 2, top_p: 0.9, seed: 0 })).details.seed).toBe(0);
    expect((await details({ max_new_tokens: 2, seed: 7 })).details.seed).toBeNull();
    const randoms = await Promise.all([1, 2, 3].map(() => details({ max_new_tokens: 2, do_sample: true })));
    expect(randoms.every((r) => r.details.seed !== null)).toBe(true);
    expect(new Set(randoms.map((r) => String(r.details.seed))).size).toBe(3);
  });

  it('writes a u64 seed exactly', async () => {
    const reply = await server.post('/generate', '{"inputs":"a","parameters":{"seed":18446744073709551615,"do_sample":true,"details":true,"max_new_tokens":2}}');
    expect(reply.text).toContain('"seed":18446744073709551615');
    const stream = await server.post('/generate_stream', '{"inputs":"a","parameters":{"seed":18446744073709551615,"do_sample":true,"details":true,"max_new_tokens":2}}');
    expect(stream.text).toContain('"seed":18446744073709551615');
  });

  it('draws a full-range u64 when sampling without a seed', async () => {
    const r = await reference({ randomSeed: () => 2n ** 64n - 2n }).post('/generate', { inputs: 'a', parameters: { do_sample: true, details: true, max_new_tokens: 1 } });
    expect(r.text).toContain('"seed":18446744073709551614');
  });

  it('--sampling-seed: an unseeded sampling request draws from it and its prompt (the same answer in any order; best_of sequences differ)', async () => {
    const fixed = reference({ samplingSeed: 5n });
    const ask = (inputs: string, extra: Record<string, unknown> = {}) =>
      fixed.post('/generate', { inputs, parameters: { do_sample: true, details: true, max_new_tokens: 6, ...extra } }).then((r) => JSON.parse(r.text) as Json);
    const a = await ask('a');
    await ask('b');
    expect(await ask('a')).toEqual(a);
    expect((await ask('b')).details.seed).not.toBe(a.details.seed);
    // Another base, another draw; a request's own seed still wins.
    const other = await reference({ samplingSeed: 6n }).post('/generate', { inputs: 'a', parameters: { do_sample: true, details: true, max_new_tokens: 6 } });
    expect((JSON.parse(other.text) as Json).details.seed).not.toBe(a.details.seed);
    expect((await ask('a', { seed: 9 })).details.seed).toBe(9);
    const best = await ask('a', { best_of: 2 });
    expect(best.details.seed).not.toBe(best.details.best_of_sequences[0].seed);
    expect(await ask('a', { best_of: 2 })).toEqual(best);
  });

  it('the same seed gives the same output; parameters change it', async () => {
    const p = { max_new_tokens: 8, do_sample: true, seed: 42 };
    const a = await details(p);
    expect(await details(p)).toEqual(a);
    expect((await details({ ...p, seed: 43 })).generated_text).not.toBe(a.generated_text);
    const hot = await details({ ...p, temperature: 0.5 });
    expect(hot.details.tokens.map((t: Json) => t.logprob)).not.toEqual(a.details.tokens.map((t: Json) => t.logprob));
  });

  it('top_k = 1 gives logprob 0 on every token', async () => {
    const r = await details({ max_new_tokens: 5, top_k: 1 });
    expect(r.details.tokens.every((t: Json) => t.logprob === 0)).toBe(true);
  });

  it('accepts watermark, repetition and frequency penalties', async () => {
    const r = await details({ max_new_tokens: 4, watermark: true, repetition_penalty: 1.3, frequency_penalty: 0.5 });
    expect(r.details.generated_tokens).toBeGreaterThan(0);
  });

  it('grammar regex: the output matches', async () => {
    const r = await details({ max_new_tokens: 40, grammar: { type: 'regex', value: '\\d{3}-[a-z]{4}' } });
    expect(r.generated_text).toMatch(/^\d{3}-[a-z]{4}$/);
    expect(r.details.finish_reason).toBe('eos_token');
  });

  it.each([
    ['json (object)', { type: 'json', value: { properties: { n: { type: 'integer' } }, required: ['n'] } }],
    ['json (string)', { type: 'json', value: '{"properties":{"n":{"type":"integer"}},"required":["n"]}' }],
    ['json_object', { type: 'json_object', value: { properties: { n: { type: 'integer' } }, required: ['n'] } }],
    ['json_schema', { type: 'json_schema', value: { name: 'x', schema: { properties: { n: { type: 'integer' } }, required: ['n'] } } }],
  ])('grammar %s: the output is an instance', async (_name, grammar) => {
    const r = await details({ max_new_tokens: 60, grammar });
    expect(Number.isInteger(JSON.parse(r.generated_text).n)).toBe(true);
  });

  it('a grammar cut by max_new_tokens finishes with length', async () => {
    const r = await details({ max_new_tokens: 3, grammar: { type: 'regex', value: 'a{40}' } });
    expect(r.details.finish_reason).toBe('length');
  });
});

describe('streams', () => {
  it('stream and non-stream give the same tokens for the same seed', async () => {
    const parameters = { max_new_tokens: 12, do_sample: true, seed: 5, details: true, top_n_tokens: 2 };
    const plain = await details(parameters);
    const stream = await server.post('/generate_stream', { inputs: 'The quick brown fox', parameters });
    const events = stream.events;
    expect(events.map((e) => e.token)).toEqual(plain.details.tokens);
    expect(events.map((e) => e.top_tokens)).toEqual(plain.details.top_tokens);
    const last = events.at(-1);
    expect(last.generated_text).toBe(plain.generated_text);
    expect(last.details).toEqual({ finish_reason: plain.details.finish_reason, generated_tokens: plain.details.generated_tokens, seed: 5, input_length: 5 });
  });

  it('frames each event as compact data:{json}, indexes 1..N, no [DONE]', async () => {
    const stream = await server.post('/generate_stream', { inputs: 'Hello', parameters: { max_new_tokens: 4 } });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-compute-characters')).toBe('5');
    const frames = stream.text.split('\n\n').filter(Boolean);
    expect(frames.every((f) => f.startsWith('data:{"index":'))).toBe(true);
    expect(stream.text).not.toContain('[DONE]');
    expect(stream.events.map((e) => e.index)).toEqual(stream.events.map((_, i) => i + 1));
    expect(stream.events.slice(0, -1).every((e) => e.generated_text === null && e.details === null)).toBe(true);
    expect(stream.events.at(-1).details).toBeNull(); // details not asked
    expect(stream.events.at(-1).generated_text).toBe(stream.events.map((e) => (e.token.special ? '' : e.token.text)).join(''));
  });

  it('sends a keep-alive comment while no event is ready', async () => {
    const slow = await reference({ latencyMs: 120, keepAliveMs: 50 }).post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2 } });
    expect(slow.text.startsWith(':\n\n')).toBe(true);
    expect(slow.events).toHaveLength(2);
  });

  it('/ streams when the body says so; only the final text carries the prompt', async () => {
    const reply = await server.post('/', { inputs: 'Hi', stream: true, parameters: { max_new_tokens: 3 } });
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    expect(reply.events.at(-1).generated_text.startsWith('Hi')).toBe(true);
    expect(reply.events.every((e) => !e.token.text.startsWith('Hi'))).toBe(true);
  });
});

describe('headers and other routes', () => {
  it('sends TGI headers with consistent values', async () => {
    const reply = await server.post('/generate', { inputs: 'naïve 😀', parameters: { max_new_tokens: 4, details: true } });
    const h = (name: string): number => Number(reply.headers.get(name));
    expect(reply.headers.get('x-compute-type')).toBe('gpu+optimized');
    expect(h('x-compute-characters')).toBe(7);
    expect(h('x-generated-tokens')).toBe(reply.json.details.generated_tokens);
    expect(h('x-prompt-tokens')).toBeGreaterThan(0);
    expect(h('x-total-time')).toBe(h('x-validation-time') + h('x-queue-time') + h('x-inference-time'));
    expect(Math.floor(h('x-compute-time') * 1000)).toBe(h('x-total-time'));
    expect(h('x-time-per-token')).toBe(Math.floor(h('x-inference-time') / h('x-generated-tokens')));
  });

  it('serves /info with the limits it enforces', async () => {
    const info = (await reference({ maxBestOf: 3, maxInputTokens: 100, maxTotalTokens: 200 }).get('/info')).json;
    expect(info).toMatchObject({ max_best_of: 3, max_stop_sequences: 4, max_input_tokens: 100, max_total_tokens: 200, max_concurrent_requests: 128 });
    expect(info).not.toHaveProperty('max_top_n_tokens');
  });

  it('health on GET / and /health; 405 and 404 elsewhere', async () => {
    expect((await server.get('/')).status).toBe(200);
    expect((await server.get('/health')).status).toBe(200);
    expect((await server.get('/generate')).status).toBe(405);
    expect((await server.get('/nope')).status).toBe(404);
  });

  it('ignores the Authorization header when started without an API key', async () => {
    expect((await server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 1 } }, { authorization: 'Bearer x' })).status).toBe(200);
  });

  it('answers only on its base URL', () => {
    expect(createHandlers({ baseUrl: BASE }).length).toBeGreaterThan(0);
    expect(() => createHandlers({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
  });
});

describe('a fault that drops stream events', () => {
  // A pull that enqueues nothing is not called again: the handler must go on to the next event,
  // else the stream stalls at the first dropped one.
  const dropOdd = {
    name: 'test-drop-odd-events',
    description: 'drops every odd stream event (test only)',
    transformEvent: (event: unknown, ctx: { index: number }) => (ctx.index % 2 === 1 ? [] : [event]),
  } as unknown as NonNullable<Parameters<typeof createHandlers>[0]>['fault'];
  const server = setupServer(...createHandlers({ baseUrl: 'http://dropping.test', fault: dropOdd }));
  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => server.close());

  it('streams the events it keeps and ends', async () => {
    const stream = await fetch('http://dropping.test/generate_stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 6, stop: [] } }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(stream.status).toBe(200);
    const events = sseData(await stream.text());
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThanOrEqual(3);
  });
});

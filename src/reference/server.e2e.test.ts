import { HfInference } from '@huggingface/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceServerError } from './options.js';
import { startReferenceServer } from './server.js';
import type { ReferenceServer } from './server.js';

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Reads a response body, noting when each chunk arrived. */
async function timedChunks(response: Response, t0: number): Promise<{ at: number; text: string }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const chunks: { at: number; text: string }[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push({ at: performance.now() - t0, text: decoder.decode(value, { stream: true }) });
  }
}

describe('reference server on a real port', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, latencyMs: 60, maxConcurrentRequests: 2 });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('streams without buffering: the first event arrives long before the last token exists', async () => {
    const t0 = performance.now();
    const response = await fetch(`${server.url}/generate_stream`, json({ inputs: 'Hello', parameters: { max_new_tokens: 8 } }));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const chunks = await timedChunks(response, t0);
    const text = chunks.map((c) => c.text).join('');
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(8);
    const first = chunks[0]?.at ?? Infinity;
    const last = chunks.at(-1)?.at ?? 0;
    // 8 tokens at 60 ms: the first is ready after ~60 ms, the last after ~480 ms.
    expect(last).toBeGreaterThanOrEqual(8 * 60 - 20);
    expect(first).toBeLessThan(last - 4 * 60);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
  });

  it('writes a u64 seed exactly on the wire', async () => {
    const response = await fetch(`${server.url}/generate`, json('{"inputs":"a","parameters":{"seed":18446744073709551615,"do_sample":true,"details":true,"max_new_tokens":1}}'));
    const text = await response.text();
    expect(text).toContain('"seed":18446744073709551615');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  });

  it('stops generating when the client goes away: the permit comes back', async () => {
    const abort = new AbortController();
    const hogs = await Promise.all(
      [1, 2].map(() => fetch(`${server.url}/generate_stream`, { ...json({ inputs: 'a', parameters: { max_new_tokens: 1000 } }), signal: abort.signal })),
    );
    await Promise.all(hogs.map((r) => r.body?.getReader().read()));
    const busy = await fetch(`${server.url}/generate`, json({ inputs: 'a', parameters: { max_new_tokens: 1 } }));
    expect(busy.status).toBe(429);
    abort.abort();
    await new Promise((r) => setTimeout(r, 150));
    const free = await fetch(`${server.url}/generate`, json({ inputs: 'a', parameters: { max_new_tokens: 1 } }));
    expect(free.status).toBe(200);
  });

  it('answers 413 to a body over the payload limit, reading no more than it needs', async () => {
    const response = await fetch(`${server.url}/generate`, json({ inputs: 'x'.repeat(2_100_000) }));
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('Failed to buffer the request body: length limit exceeded');
  });

  it('serves the real @huggingface/inference 4.13.16 client (POST /, array, stream)', async () => {
    const hf = new HfInference();
    const out = await hf.endpoint(server.url).textGeneration({ inputs: 'Hello', parameters: { max_new_tokens: 2 } }, { retry_on_error: false });
    expect(out.generated_text.startsWith('Hello')).toBe(true);
    const tokens: string[] = [];
    for await (const event of hf.endpoint(server.url).textGenerationStream({ inputs: 'Hello', parameters: { max_new_tokens: 3 } }, { retry_on_error: false })) {
      tokens.push(event.token.text);
    }
    expect(tokens).toHaveLength(3);
  });
});

describe('listening errors', () => {
  it('surfaces EADDRINUSE as a typed error', async () => {
    const first = await startReferenceServer({ port: 0 });
    try {
      const error = await startReferenceServer({ port: first.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReferenceServerError);
      expect((error as ReferenceServerError).code).toBe('EADDRINUSE');
    } finally {
      await first.close();
    }
  });

  it('rejects bad options before listening', async () => {
    await expect(startReferenceServer({ port: 70000 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(startReferenceServer({ maxTotalTokens: 10, maxInputTokens: 20 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('hf profile over HTTP', () => {
  it('503 while loading, then waits with x-wait-for-model', async () => {
    const server = await startReferenceServer({ profile: 'hf', loadingMs: 300 });
    try {
      const url = `${server.url}/models/meta-llama/Llama-2-7b-hf`;
      const loading = await fetch(url, json({ inputs: 'a' }));
      expect(loading.status).toBe(503);
      expect(await loading.json()).toMatchObject({ error: 'Model meta-llama/Llama-2-7b-hf is currently loading' });
      const waited = await fetch(url, { ...json({ inputs: 'a', parameters: { max_new_tokens: 1 } }), headers: { 'content-type': 'application/json', 'x-wait-for-model': 'true' } });
      expect(waited.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

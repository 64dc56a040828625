import { describe, expect, it } from 'vitest';
import { BASE, reference } from './__fixtures__/client.js';

const body = { inputs: 'a', parameters: { max_new_tokens: 2 } };

describe('API key (TGI --api-key)', () => {
  const server = reference({ apiKey: 'sekret' });
  it.each([
    ['missing', {}],
    ['wrong', { authorization: 'Bearer other' }],
    ['without Bearer', { authorization: 'sekret' }],
  ])('401 with an empty body when the header is %s', async (_name, headers) => {
    for (const reply of [await server.post('/generate', body, headers), await server.get('/info', headers)]) {
      expect(reply.status).toBe(401);
      expect(reply.text).toBe('');
    }
  });

  it('accepts Bearer <key>, compared case-insensitively', async () => {
    expect((await server.post('/generate', body, { authorization: 'Bearer sekret' })).status).toBe(200);
    expect((await server.post('/generate', body, { authorization: 'bearer SEKRET' })).status).toBe(200);
  });

  it('checks before the body is read', async () => {
    const reply = await server.post('/generate', '{not json', {});
    expect(reply.status).toBe(401);
  });
});

describe('concurrency (429 Model is overloaded)', () => {
  it('rejects what exceeds max_concurrent_requests: 429 without stream, an event in a 200 stream', async () => {
    const server = reference({ maxConcurrentRequests: 1, latencyMs: 40 });
    const first = server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 5 } });
    await new Promise((r) => setTimeout(r, 10));
    const second = await server.post('/generate', body);
    expect(second.status).toBe(429);
    expect(second.json).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
    const stream = await server.post('/generate_stream', body);
    expect(stream.status).toBe(200);
    expect(stream.events).toEqual([{ error: 'Model is overloaded', error_type: 'overloaded' }]);
    expect((await first).status).toBe(200);
    expect((await server.post('/generate', body)).status).toBe(200); // the permit came back
  });

  it('gives a stream\'s permit back when its reader cancels', async () => {
    const server = reference({ maxConcurrentRequests: 1, latencyMs: 20 });
    const { getResponse } = await import('msw');
    const response = await getResponse(
      server.handlers,
      new Request(`${BASE}/generate_stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: 'a', parameters: { max_new_tokens: 500 } }) }),
    );
    const reader = (response as Response).body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect((await server.post('/generate', body)).status).toBe(200);
  });

  it('takes one permit per best_of sequence', async () => {
    const server = reference({ maxConcurrentRequests: 1 });
    const reply = await server.post('/generate', { inputs: 'a', parameters: { best_of: 2, do_sample: true, max_new_tokens: 2 } });
    expect(reply.status).toBe(429);
  });
});

import { describe, expect, it } from 'vitest';
import { reference } from './__fixtures__/client.js';

const path = '/models/google/gemma-2-2b-it';
const body = { inputs: 'Can you please let us know more details about your ', parameters: { max_new_tokens: 4 } };

describe('profile hf: the seed document\'s endpoint', () => {
  it('answers POST /models/{id} with the array of TGI\'s compat route, and streams on stream:true', async () => {
    const server = reference({ profile: 'hf' });
    const reply = await server.post(path, body);
    expect(reply.status).toBe(200);
    expect(reply.json).toHaveLength(1);
    expect(reply.json[0].generated_text.startsWith(body.inputs)).toBe(true);
    const stream = await server.post(path, { ...body, stream: true });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.events.length).toBeGreaterThan(0);
    expect((await server.post('/generate', body)).status).toBe(404);
  });

  it('answers 503 {error, estimated_time} while the model loads, then 200', async () => {
    const server = reference({ profile: 'hf', loadingMs: 150 });
    const loading = await server.post(path, body);
    expect(loading.status).toBe(503);
    expect(loading.json.error).toBe('Model google/gemma-2-2b-it is currently loading');
    expect(loading.json.estimated_time).toBeGreaterThan(0);
    expect(loading.json.estimated_time).toBeLessThanOrEqual(0.15);
    await new Promise((r) => setTimeout(r, 170));
    expect((await server.post(path, body)).status).toBe(200);
  });

  it('waits instead with x-wait-for-model: true', async () => {
    const server = reference({ profile: 'hf', loadingMs: 120 });
    const started = performance.now();
    const reply = await server.post(path, body, { 'x-wait-for-model': 'true' });
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('caches by body unless x-use-cache: false, sampling without a seed included', async () => {
    const server = reference({ profile: 'hf' });
    const sampled = { inputs: 'Once', parameters: { max_new_tokens: 6, do_sample: true, details: true } };
    const a = await server.post(path, sampled);
    const b = await server.post(path, sampled);
    expect(b.text).toBe(a.text);
    const c = await server.post(path, sampled, { 'x-use-cache': 'false' });
    expect(c.json[0].details.seed).not.toEqual(a.json[0].details.seed);
    const other = await server.post('/models/gpt2', sampled);
    expect(other.json[0].details.seed).not.toEqual(a.json[0].details.seed);
  });

  it('answers a bad key with a JSON 401', async () => {
    const reply = await reference({ profile: 'hf', apiKey: 'hf_x' }).post(path, body);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ error: 'Invalid credentials in Authorization header' });
  });
});

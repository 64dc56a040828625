import { describe, expect, it } from 'vitest';
import { reference } from '../__fixtures__/client.js';
import { composeFaults, faults, findFault } from './index.js';

describe('fault catalogue', () => {
  it('lists unique kebab-case names, each findable', () => {
    const names = faults.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(findFault(name)?.name).toBe(name);
    }
    expect(findFault('nope')).toBeUndefined();
  });

  it('top-p-one-accepted: 200 where TGI answers 422, other rules untouched', async () => {
    const server = reference({ fault: findFault('top-p-one-accepted') });
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_p: 1.0, max_new_tokens: 2 } })).status).toBe(200);
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_p: 0 } })).status).toBe(422);
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_k: 0 } })).status).toBe(422);
  });

  it('stream-index-from-zero: indexes 0..N-1', async () => {
    const reply = await reference({ fault: findFault('stream-index-from-zero') }).post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 3 } });
    expect(reply.events.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('generated-tokens-off-by-one: generated_tokens says one more than tokens holds, on / too', async () => {
    const server = reference({ fault: findFault('generated-tokens-off-by-one') });
    const reply = await server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 3, details: true } });
    expect(reply.json.details.generated_tokens).toBe(reply.json.details.tokens.length + 1);
    const compat = await server.post('/', { inputs: 'a', parameters: { max_new_tokens: 3, details: true } });
    expect(compat.json[0].details.generated_tokens).toBe(compat.json[0].details.tokens.length + 1);
    expect((await server.post('/generate', { inputs: '' })).json.error_type).toBe('validation');
  });

  it('composes faults, and leaves the faithful server as it was', async () => {
    const both = composeFaults('both', faults);
    const server = reference({ fault: both });
    const stream = await server.post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2, top_p: 1.0 } });
    expect(stream.events.map((e) => e.index)).toEqual([0, 1]);
    const faithful = await reference().post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2 } });
    expect(faithful.events.map((e) => e.index)).toEqual([1, 2]);
  });

  it('offers every hook: body, body text, events, frames, headers, status, request', async () => {
    const server = reference({
      fault: {
        name: 'all-hooks',
        description: 'test',
        transformRequest: (valid) => ({ ...valid, maxNewTokens: 1 }),
        transformResponseBody: (body, ctx) => (ctx.status === 200 && !Array.isArray(body) && typeof body === 'object' && body ? { ...body, extra: true } : body),
        transformBodyText: (text) => ` ${text}`,
        transformEvent: (event) => [event, event],
        transformFrame: (frame) => frame.replace('data:', 'data: '),
        transformHeaders: (headers) => headers.set('x-fault', '1'),
        transformStatus: (status) => (status === 422 ? 400 : status),
      },
    });
    const plain = await server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 5, details: true } });
    expect(plain.text.startsWith(' {')).toBe(true);
    expect(plain.json).toMatchObject({ extra: true, details: { generated_tokens: 1 } });
    expect(plain.headers.get('x-fault')).toBe('1');
    expect((await server.post('/generate', { inputs: '' })).status).toBe(400);
    const stream = await server.post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 5 } });
    expect(stream.text.startsWith('data: {')).toBe(true);
    expect(stream.text.split('\n\n').filter(Boolean)).toHaveLength(2);
  });
});

/**
 * Wire tests of the header, auth and serverless-endpoint faults, over real ports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../server.js';
import { post, serve, withServer } from './__fixtures__/wire.js';
import { COLD_LOADING_MS } from './_cold-model.js';
import { findFault } from './index.js';

const generate = (inputs: string, parameters: Record<string, unknown> = {}) => ({ inputs, parameters: { max_new_tokens: 3, ...parameters } });

describe('header faults, on the wire', () => {
  let faithful: ReferenceServer;
  beforeAll(async () => {
    faithful = await serve(null);
  });
  afterAll(() => faithful.close());

  it('x-generated-tokens-off-by-one: one more than details.generated_tokens', async () => {
    const want = await post(faithful, '/generate', generate('Hello', { details: true }));
    expect(want.headers.get('x-generated-tokens')).toBe(String(want.json.details.generated_tokens));
    await withServer(serve('x-generated-tokens-off-by-one'), async (server) => {
      const got = await post(server, '/generate', generate('Hello', { details: true }));
      expect(got.text).toBe(want.text);
      expect(got.headers.get('x-generated-tokens')).toBe(String(want.json.details.generated_tokens + 1));
    });
  });

  it.each([
    ['x-compute-characters-utf16', 'Hello 🤗', '7', '8'],
    ['x-compute-characters-bytes', 'Pour déguster', '13', '14'],
  ])('%s: %j counts %s code points, the fault says %s', async (fault, inputs, codePoints, broken) => {
    expect((await post(faithful, '/generate', generate(inputs))).headers.get('x-compute-characters')).toBe(codePoints);
    await withServer(serve(fault), async (server) => {
      expect((await post(server, '/generate', generate(inputs))).headers.get('x-compute-characters')).toBe(broken);
      expect((await post(server, '/generate_stream', generate(inputs))).headers.get('x-compute-characters')).toBe(broken);
      expect((await post(server, '/generate', generate('abc'))).headers.get('x-compute-characters')).toBe('3');
    });
  });
});

describe('auth faults, on the wire (the mock started with their api key)', () => {
  const key = findFault('auth-missing-key-accepted')?.mockOptions?.apiKey ?? '';
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('the faithful server with that key refuses both', async () => {
    await withServer(serve(null, { apiKey: key }), async (server) => {
      expect([(await post(server, '/generate', generate('a'))).status, (await post(server, '/generate', generate('a'), bearer('wrong'))).status]).toEqual([401, 401]);
      expect((await post(server, '/generate', generate('a'), bearer(key))).status).toBe(200);
    });
  });

  it('auth-missing-key-accepted: no Authorization answered, a wrong one refused', async () => {
    await withServer(serve('auth-missing-key-accepted'), async (server) => {
      const none = await post(server, '/generate', generate('a'));
      expect(none.status).toBe(200);
      expect(typeof none.json.generated_text).toBe('string');
      const wrong = await post(server, '/generate', generate('a'), bearer('wrong'));
      expect([wrong.status, wrong.text]).toEqual([401, '']);
    });
  });

  it('auth-wrong-key-accepted: any bearer token answered, none refused', async () => {
    await withServer(serve('auth-wrong-key-accepted'), async (server) => {
      expect((await post(server, '/generate', generate('a'), bearer('hf_tgc_wrong_token_XYZ'))).status).toBe(200);
      const none = await post(server, '/generate', generate('a'));
      expect([none.status, none.text]).toEqual([401, '']);
    });
  });
});

describe('serverless endpoint faults, on the wire (profile hf)', () => {
  const path = '/models/tgc/reference-model';

  it('hf-loading-without-estimated-time: every other request gets a 503 without estimated_time', async () => {
    await withServer(serve('hf-loading-without-estimated-time'), async (server) => {
      const replies = [await post(server, path, generate('a')), await post(server, path, generate('a'))];
      const loading = replies.filter((r) => r.status === 503);
      expect(loading).toHaveLength(1);
      expect(loading[0]?.text).toBe('{"error":"Model tgc/reference-model is currently loading","error_type":"loading"}');
      expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    });
  });

  it('hf-wait-for-model-ignored: a request with x-wait-for-model: true still gets the 503', async () => {
    const wait = { headers: { 'x-wait-for-model': 'true' } };
    // The faithful endpoint, loading, waits for the model instead.
    await withServer(serve(null, { profile: 'hf', loadingMs: COLD_LOADING_MS }), async (server) => {
      const waited = await post(server, path, generate('a'), wait);
      expect(waited.status).toBe(200);
    });
    await withServer(serve('hf-wait-for-model-ignored'), async (server) => {
      const replies = [await post(server, path, generate('a'), wait), await post(server, path, generate('a'), wait)];
      const loading = replies.filter((r) => r.status === 503);
      expect(loading).toHaveLength(1);
      expect(loading[0]?.json).toEqual({ error: 'Model tgc/reference-model is currently loading', estimated_time: COLD_LOADING_MS / 1000 });
    });
  });
});

/**
 * Wire tests of the validation faults: each request goes to a faithful and a faulty reference
 * server on real ports, and the test asserts the exact departure in status and raw body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../server.js';
import { post, serve, withServer } from './__fixtures__/wire.js';

const PROMPT = 'The capital of France is';
const body = (parameters: Record<string, unknown>, inputs: string = PROMPT) => ({ inputs, parameters: { max_new_tokens: 3, ...parameters } });

let faithful: ReferenceServer;
beforeAll(async () => {
  faithful = await serve(null);
});
afterAll(() => faithful.close());

/** A request TGI rejects with 422 and TGI's message; the fault answers it with 200. */
const accepted: [fault: string, parameters: Record<string, unknown>, inputs: string, message: string][] = [
  ['top-p-one-accepted', { top_p: 1.0 }, PROMPT, '`top_p` must be > 0.0 and < 1.0'],
  ['temperature-zero-accepted', { temperature: 0 }, PROMPT, '`temperature` must be strictly positive'],
  ['top-k-zero-accepted', { top_k: 0 }, PROMPT, '`top_k` must be strictly positive'],
  ['frequency-penalty-three-accepted', { frequency_penalty: 3 }, PROMPT, '`frequency_penalty` must be >= -2.0 and <= 2.0'],
  ['max-new-tokens-zero-accepted', { max_new_tokens: 0 }, PROMPT, '`max_new_tokens` must be strictly positive'],
  ['stop-over-limit-accepted', { stop: ['a', 'b', 'c', 'd', 'e'] }, PROMPT, '`stop` supports up to 4 stop sequences. Given: 5'],
  ['empty-inputs-accepted', {}, '', '`inputs` cannot be empty'],
];

describe('faults that accept invalid input, on the wire', () => {
  it.each(accepted)('%s: 200 where TGI answers 422', async (fault, parameters, inputs, message) => {
    const want = await post(faithful, '/generate', body(parameters, inputs));
    expect([want.status, want.text]).toEqual([422, JSON.stringify({ error: `Input validation error: ${message}`, error_type: 'validation' })]);
    await withServer(serve(fault), async (server) => {
      const got = await post(server, '/generate', body(parameters, inputs));
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/json');
      expect(Object.keys(got.json)).toEqual(['generated_text']);
    });
  });

  it('max-new-tokens-zero-accepted: generates nothing', async () => {
    await withServer(serve('max-new-tokens-zero-accepted'), async (server) => {
      expect((await post(server, '/generate', body({ max_new_tokens: 0 }))).text).toBe('{"generated_text":""}');
    });
  });

  it('parameters-null-accepted: 200 where serde answers a text/plain 422', async () => {
    const request = `{"inputs":"${PROMPT}","parameters":null}`;
    const want = await post(faithful, '/generate', request);
    expect(want.status).toBe(422);
    expect(want.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(want.text).toMatch(/^Failed to deserialize the JSON body into the target type: parameters: invalid type: null/);
    await withServer(serve('parameters-null-accepted'), async (server) => {
      const got = await post(server, '/generate', request);
      expect(got.status).toBe(200);
      expect(typeof got.json.generated_text).toBe('string');
    });
  });

  it('stream-best-of-accepted: tokens where TGI sends the s1 error event', async () => {
    const request = { inputs: PROMPT, parameters: { best_of: 2, do_sample: true, max_new_tokens: 3 } };
    const want = await post(faithful, '/generate_stream', request);
    expect(want.text).toBe('data:{"error":"Input validation error: `best_of` != 1 is not supported when streaming tokens","error_type":"validation"}\n\n');
    await withServer(serve('stream-best-of-accepted'), async (server) => {
      const got = await post(server, '/generate_stream', request);
      expect(got.status).toBe(200);
      expect(got.events.map((e) => e.index)).toEqual([1, 2, 3]);
      expect(typeof got.events.at(-1)?.generated_text).toBe('string');
    });
  });
});

describe('faults in rejections, on the wire', () => {
  it('seed-zero-rejected: 422 for the valid seed 0', async () => {
    const request = body({ seed: 0, do_sample: true });
    expect((await post(faithful, '/generate', request)).status).toBe(200);
    await withServer(serve('seed-zero-rejected'), async (server) => {
      const got = await post(server, '/generate', request);
      expect([got.status, got.text]).toEqual([422, '{"error":"Input validation error: `seed` must be strictly positive","error_type":"validation"}']);
      expect((await post(server, '/generate', body({ seed: 1, do_sample: true }))).status).toBe(200);
    });
  });

  const temperatureZero = body({ temperature: 0 });
  const tgiBody = '{"error":"Input validation error: `temperature` must be strictly positive","error_type":"validation"}';

  it.each([
    ['validation-error-400', 400],
    ['validation-error-500', 500],
  ] as const)('%s: the same body with status %i instead of 422', async (fault, status) => {
    expect((await post(faithful, '/generate', temperatureZero)).text).toBe(tgiBody);
    await withServer(serve(fault), async (server) => {
      const got = await post(server, '/generate', temperatureZero);
      expect([got.status, got.text]).toEqual([status, tgiBody]);
      // pre-handler rejections and stream errors keep their forms
      expect((await post(server, '/generate', '{"inputs": 1}')).status).toBe(422);
      expect((await post(server, '/generate_stream', temperatureZero)).status).toBe(200);
    });
  });

  it('error-body-without-error-type: {"error"} only', async () => {
    await withServer(serve('error-body-without-error-type'), async (server) => {
      const got = await post(server, '/generate', temperatureZero);
      expect([got.status, got.text]).toEqual([422, '{"error":"Input validation error: `temperature` must be strictly positive"}']);
    });
  });

  it('stream-error-as-http-status: HTTP 422 + JSON where TGI answers 200 + an error event', async () => {
    const want = await post(faithful, '/generate_stream', temperatureZero);
    expect([want.status, want.headers.get('content-type'), want.text]).toEqual([200, 'text/event-stream', `data:${tgiBody}\n\n`]);
    await withServer(serve('stream-error-as-http-status'), async (server) => {
      const got = await post(server, '/generate_stream', temperatureZero);
      expect([got.status, got.headers.get('content-type'), got.text]).toEqual([422, 'application/json', tgiBody]);
      const s1 = await post(server, '/', { ...body({ best_of: 2, do_sample: true }), stream: true });
      expect([s1.status, s1.json]).toEqual([422, { error: 'Input validation error: `best_of` != 1 is not supported when streaming tokens', error_type: 'validation' }]);
      expect((await post(server, '/generate_stream', body({}))).status).toBe(200);
    });
  });
});

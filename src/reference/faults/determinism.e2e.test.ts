/**
 * Wire tests of the determinism faults: the same request sent twice (or with and without
 * streaming) to a faulty server on a real port gives outputs that differ from the first token,
 * where the faithful server gives the same ones.
 */
import { describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../server.js';
import { post, serve, withServer, type WireReply } from './__fixtures__/wire.js';

const SEEDED = '{"inputs":"The capital of France is","parameters":{"do_sample":true,"seed":4242,"details":true,"max_new_tokens":6}}';
const GREEDY = '{"inputs":"The capital of France is","parameters":{"details":true,"max_new_tokens":6}}';

const ids = (r: WireReply): number[] => (r.events.length > 0 ? r.events.map((e) => e.token.id) : r.json.details.tokens.map((t: { id: number }) => t.id));
const twice = async (server: ReferenceServer, body: string) => [await post(server, '/generate', body), await post(server, '/generate', body)] as const;

describe('determinism faults, on the wire', () => {
  it('the faithful server repeats itself', async () => {
    await withServer(serve(null), async (server) => {
      const [a, b] = await twice(server, SEEDED);
      expect(b.text).toBe(a.text);
      const [c, d] = await twice(server, GREEDY);
      expect(d.text).toBe(c.text);
      expect(ids(await post(server, '/generate_stream', SEEDED))).toEqual(ids(a));
    });
  });

  it('seed-ignored: the same seeded request differs from the first token, the seed still echoed', async () => {
    await withServer(serve('seed-ignored'), async (server) => {
      const [a, b] = await twice(server, SEEDED);
      expect(ids(a)[0]).not.toBe(ids(b)[0]);
      expect([a.json.details.seed, b.json.details.seed]).toEqual([4242, 4242]);
    });
  });

  it('greedy-sampled: the same greedy request differs from the first token, seed null', async () => {
    await withServer(serve('greedy-sampled'), async (server) => {
      const [a, b] = await twice(server, GREEDY);
      expect(ids(a)[0]).not.toBe(ids(b)[0]);
      expect([a.json.details.seed, b.json.details.seed]).toEqual([null, null]);
    });
  });

  it('stream-sampling-differs: the stream differs from the non-stream answer from the first token', async () => {
    await withServer(serve('stream-sampling-differs'), async (server) => {
      const [plain, again] = await twice(server, SEEDED);
      expect(again.text).toBe(plain.text);
      const stream = await post(server, '/generate_stream', SEEDED);
      expect(ids(stream)[0]).not.toBe(ids(plain)[0]);
      expect(stream.events.at(-1).details.seed).toBe(4242);
      expect(ids(await post(server, '/generate_stream', SEEDED))).toEqual(ids(stream));
    });
  });
});

import { exactU64 } from '../model/index.js';
import type { ExactJson } from '../../core/json.js';
import { firstTokenId, isFinalEvent, isObject, nextSeed } from './_support.js';
import type { Fault } from './fault.js';

const TRIES = 64;

/**
 * A stream samples with another seed than the same request without streaming (an off-by-one in
 * the stream path's seed handling), chosen so that the first token differs; the request's seed
 * is still echoed. Each route is deterministic on its own.
 * @see tgi-behavior.md §2b N-12; verdict-policy item 9
 */
export const streamSamplingDiffers: Fault = {
  name: 'stream-sampling-differs',
  description: 'a seeded stream samples with another seed than the same non-stream request',
  detectedBy: 'stream-equivalence',
  transformRequest: (valid, ctx) => {
    if (!ctx.stream || !valid.sampling || valid.seed === null) return valid;
    const plain = firstTokenId(valid, valid.seed);
    let seed = nextSeed(valid.seed, 1);
    for (let k = 2; k <= TRIES && firstTokenId(valid, seed) === plain; k++) seed = nextSeed(valid.seed, k);
    return { ...valid, seed };
  },
  transformEvent: (event: ExactJson, ctx) => {
    const seed = ctx.request?.parameters.seed;
    if (!isFinalEvent(event) || !isObject(event['details']) || seed === undefined || seed === null) return [event];
    return [{ ...event, details: { ...event['details'], seed: exactU64(seed) } }];
  },
};

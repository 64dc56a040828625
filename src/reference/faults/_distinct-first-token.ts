/**
 * Seeds that make the model start differently: the determinism faults must differ from the
 * first token, every time, or a run could see two equal answers by chance (a late divergence
 * is only a warning, verdict-policy item 9).
 */
import type { ValidRequest } from '../validation.js';
import { firstTokenId, randomU64 } from './_support.js';

const REMEMBERED = 512;
const TRIES = 64;

/**
 * Draws random seeds, remembering per request (`key`) the first token of the last answer, and
 * returns a seed whose first token differs from it. After TRIES draws that all start alike (a
 * grammar or top_k 1 leaves one choice) it returns the last draw.
 */
export function distinctFirstTokenSeeds(): (valid: ValidRequest, key: string) => bigint {
  const last = new Map<string, number | undefined>();
  return (valid, key) => {
    const before = last.get(key);
    let seed = randomU64();
    let first = firstTokenId(valid, seed);
    for (let i = 1; i < TRIES && last.has(key) && first === before; i++) {
      seed = randomU64();
      first = firstTokenId(valid, seed);
    }
    last.delete(key);
    last.set(key, first);
    if (last.size > REMEMBERED) last.delete(last.keys().next().value as string);
    return seed;
  };
}

/** The request's identity for the determinism faults: what the output depends on. */
export function requestKey(valid: ValidRequest): string {
  return JSON.stringify([valid.inputs, valid.seed?.toString() ?? null, valid.maxNewTokens, valid.warp, valid.stop, valid.stream]);
}

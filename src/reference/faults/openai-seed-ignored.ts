import type { ValidRequest } from '../validation.js';
import { distinctFirstTokenSeeds, requestKey } from './_distinct-first-token.js';
import { OPENAI_RUN, isGenerationRoute } from './_openai.js';
import type { Fault } from './fault.js';

const draw = distinctFirstTokenSeeds();

/**
 * Samples each seeded chat or completions request with a fresh random seed: the same seeded
 * request gives a different answer each time, from the first token on.
 * @see openai-behavior.md §1 (seed); verdict-policy item 9
 */
export const openaiSeedIgnored: Fault = {
  name: 'openai-seed-ignored',
  description: 'the seed is ignored on the OpenAI routes: each seeded sampling request samples with a new random seed',
  detectedBy: 'openai-determinism',
  runOptions: OPENAI_RUN,
  transformRequest: (valid: ValidRequest, ctx) =>
    isGenerationRoute(ctx.route) && valid.sampling && valid.seed !== null ? { ...valid, seed: draw(valid, requestKey(valid)) } : valid,
};

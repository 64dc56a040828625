import { exactU64 } from '../model/index.js';
import type { ValidRequest } from '../validation.js';
import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject, mapDetails, mapResponses } from './_support.js';
import type { JsonObject } from './_support.js';
import { distinctFirstTokenSeeds, requestKey } from './_distinct-first-token.js';
import type { Fault, FaultContext } from './fault.js';

const draw = distinctFirstTokenSeeds();

/** The user's seed, echoed as the faithful server does, where sampling reported one. */
function echo(details: JsonObject, ctx: FaultContext): JsonObject {
  const seed = ctx.request?.parameters.seed;
  if (seed === undefined || seed === null || details['seed'] === null) return details;
  return { ...details, seed: exactU64(seed) };
}

/**
 * Samples with a fresh random seed whatever seed the request sets, and still echoes the
 * request's seed in details.seed: the same seeded request gives a different output each time,
 * from the first token on.
 * @see tgi-behavior.md §2b N-10; verdict-policy item 9
 */
export const seedIgnored: Fault = {
  name: 'seed-ignored',
  description: 'the seed is ignored: each seeded sampling request samples with a new random seed (the seed is still echoed)',
  detectedBy: 'determinism',
  transformRequest: (valid: ValidRequest) =>
    valid.sampling && valid.seed !== null ? { ...valid, seed: draw(valid, requestKey(valid)) } : valid,
  transformResponseBody: (body, ctx) => mapResponses(body, ctx, (r) => mapDetails(r, (d) => echo(d, ctx))),
  transformEvent: (event: ExactJson, ctx) =>
    isFinalEvent(event) && isObject(event['details']) ? [{ ...event, details: echo(event['details'], ctx) }] : [event],
};

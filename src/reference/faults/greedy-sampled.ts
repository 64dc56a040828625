import type { ValidRequest } from '../validation.js';
import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject, mapDetails, mapResponses } from './_support.js';
import { distinctFirstTokenSeeds, requestKey } from './_distinct-first-token.js';
import type { Fault } from './fault.js';

const draw = distinctFirstTokenSeeds();
/** The requests this fault turned from greedy into sampling: their seed is reported null. */
const sampled = new WeakSet<ValidRequest>();

/**
 * Samples (temperature 1, a random seed) where the request is greedy, and reports `seed: null`
 * as a greedy answer does: the same greedy request gives a different output each time.
 * @see tgi-behavior.md §2b N-10; verdict-policy item 9
 */
export const greedySampled: Fault = {
  name: 'greedy-sampled',
  description: 'greedy requests are sampled with a random seed: the same greedy request gives different outputs',
  detectedBy: 'determinism',
  transformRequest: (valid) => {
    if (valid.sampling || valid.grammar !== null) return valid;
    const changed: ValidRequest = { ...valid, sampling: true, warp: { ...valid.warp, doSample: true }, seed: null };
    changed.seed = draw(changed, requestKey(valid));
    sampled.add(changed);
    return changed;
  },
  transformResponseBody: (body, ctx) =>
    ctx.valid && sampled.has(ctx.valid) ? mapResponses(body, ctx, (r) => mapDetails(r, (d) => ({ ...d, seed: null }))) : body,
  transformEvent: (event: ExactJson, ctx) =>
    ctx.valid && sampled.has(ctx.valid) && isFinalEvent(event) && isObject(event['details'])
      ? [{ ...event, details: { ...event['details'], seed: null } }]
      : [event],
};

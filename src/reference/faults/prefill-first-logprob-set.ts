import { isObject, mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Gives the first prefill token a logprob (-1.0) where there is no context to score it from:
 * TGI sends null (37/37 snapshots).
 * @see tgi-behavior.md §2b N-6
 */
export const prefillFirstLogprobSet: Fault = {
  name: 'prefill-first-logprob-set',
  description: 'prefill[0].logprob is a number instead of null',
  detectedBy: 'prefill-consistency',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => {
        const prefill = d['prefill'];
        const first = Array.isArray(prefill) ? prefill[0] : undefined;
        if (!Array.isArray(prefill) || !isObject(first)) return d;
        return { ...d, prefill: [{ ...first, logprob: -1 }, ...prefill.slice(1)] };
      }),
    ),
};

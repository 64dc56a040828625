import { mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Returns the best sequence without the others: details has no best_of_sequences although
 * best_of > 1 (TGI: best_of − 1 entries).
 * @see tgi-behavior.md §2b N-9
 */
export const bestOfSequencesMissing: Fault = {
  name: 'best-of-sequences-missing',
  description: 'with best_of > 1, details has no best_of_sequences',
  detectedBy: 'best-of-sequences',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => {
        const { best_of_sequences: _dropped, ...rest } = d;
        return rest;
      }),
    ),
};

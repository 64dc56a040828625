import { ownFailure } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Rejects `seed: 0`, as a server built from the OpenAPI document's `exclusiveMinimum: 0` would;
 * TGI reads the seed as any u64, 0 included (38 snapshots use `"seed": 0`).
 * @see tgi-behavior.md §2a (seed), §4(d)3
 */
export const seedZeroRejected: Fault = {
  name: 'seed-zero-rejected',
  description: 'rejects the valid seed = 0 with 422 "`seed` must be strictly positive"',
  detectedBy: 'positive-data-acceptance',
  rejectRequest: (request) => (request.parameters.seed === 0n ? ownFailure('`seed` must be strictly positive') : null),
};

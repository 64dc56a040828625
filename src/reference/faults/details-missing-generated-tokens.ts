import { mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Leaves `generated_tokens` out of `details` (required in Details, lib.rs:1458).
 * @see tgi-behavior.md §2a (Details)
 */
export const detailsMissingGeneratedTokens: Fault = {
  name: 'details-missing-generated-tokens',
  description: 'details has no generated_tokens',
  detectedBy: 'response-schema',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => {
        const { generated_tokens: _dropped, ...rest } = d;
        return rest;
      }),
    ),
};

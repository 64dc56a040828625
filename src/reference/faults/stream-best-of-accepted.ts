import type { Fault } from './fault.js';

/**
 * Accepts `best_of > 1` on a stream (and streams one sequence) where TGI sends the error event
 * "`best_of` != 1 is not supported when streaming tokens".
 * @see tgi-behavior.md §2c rule s1 (server.rs:544)
 */
export const streamBestOfAccepted: Fault = {
  name: 'stream-best-of-accepted',
  description: 'streams one sequence for best_of > 1 instead of sending the s1 error event',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => {
    const bestOf = ctx.request?.parameters.best_of;
    return failure.rule === 's1' && typeof bestOf === 'bigint' && bestOf > 1n ? null : failure;
  },
};

import type { Fault } from './fault.js';

/**
 * Generates one token more than max_new_tokens (an off-by-one in the stopping criterion): a
 * request that runs to the limit reports `length` with max_new_tokens + 1 tokens.
 * @see tgi-behavior.md §2b N-2
 */
export const maxNewTokensExceeded: Fault = {
  name: 'max-new-tokens-exceeded',
  description: 'generates max_new_tokens + 1 tokens',
  detectedBy: 'finish-reason-length',
  transformRequest: (valid, ctx) =>
    ctx.request?.parameters.max_new_tokens !== null ? { ...valid, maxNewTokens: valid.maxNewTokens + 1 } : valid,
};

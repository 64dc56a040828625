import type { Fault } from './fault.js';

/**
 * Sends x-generated-tokens one more than details.generated_tokens (TGI: equal, server.rs:409).
 * @see tgi-behavior.md §2b N-13
 */
export const xGeneratedTokensOffByOne: Fault = {
  name: 'x-generated-tokens-off-by-one',
  description: 'x-generated-tokens is one more than details.generated_tokens',
  detectedBy: 'response-headers',
  transformHeaders: (headers) => {
    const value = headers.get('x-generated-tokens');
    if (value !== null) headers.set('x-generated-tokens', String(Number(value) + 1));
  },
};

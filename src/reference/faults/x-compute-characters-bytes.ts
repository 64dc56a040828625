import type { Fault } from './fault.js';

const encoder = new TextEncoder();

/**
 * Counts `inputs` in UTF-8 bytes for x-compute-characters (Rust `len()` instead of
 * `chars().count()`): "déguster" is 9, not 8.
 * @see tgi-behavior.md §2b N-13; verdict-policy item 16
 */
export const xComputeCharactersBytes: Fault = {
  name: 'x-compute-characters-bytes',
  description: 'x-compute-characters counts UTF-8 bytes instead of code points',
  detectedBy: 'response-headers',
  transformHeaders: (headers, ctx) => {
    const inputs = ctx.request?.inputs;
    if (inputs !== undefined && headers.has('x-compute-characters')) {
      headers.set('x-compute-characters', String(encoder.encode(inputs).length));
    }
  },
};

import type { Fault } from './fault.js';

/**
 * Counts `inputs` in UTF-16 code units for x-compute-characters (JavaScript's `length`), where
 * TGI counts Unicode scalar values (Rust `chars().count()`): "🤗" is 2, not 1.
 * @see tgi-behavior.md §2b N-13; verdict-policy item 16
 */
export const xComputeCharactersUtf16: Fault = {
  name: 'x-compute-characters-utf16',
  description: 'x-compute-characters counts UTF-16 code units instead of code points',
  detectedBy: 'response-headers',
  transformHeaders: (headers, ctx) => {
    const inputs = ctx.request?.inputs;
    if (inputs !== undefined && headers.has('x-compute-characters')) headers.set('x-compute-characters', String(inputs.length));
  },
};

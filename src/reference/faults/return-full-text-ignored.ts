import type { Fault } from './fault.js';

/**
 * Ignores `return_full_text: true`: generated_text never starts with the prompt.
 * @see tgi-behavior.md §2b N-11
 */
export const returnFullTextIgnored: Fault = {
  name: 'return-full-text-ignored',
  description: 'return_full_text: true is ignored (no prompt prefix)',
  detectedBy: 'return-full-text',
  transformRequest: (valid, ctx) => (ctx.request?.parameters.return_full_text === true ? { ...valid, returnFullText: false } : valid),
};

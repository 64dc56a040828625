import type { Fault } from './fault.js';

/** What the broken grammar runner lets through once it stops following the grammar. */
export const OVERRUN = '!';
/** Characters of the grammar's match it follows before that. */
export const FOLLOWED = 3;

/**
 * A grammar runner that releases its mask too early: the output follows the grammar for three
 * characters, then leaves it with "!" and ends with the end-of-sequence token. It no longer
 * matches the regex, nor parses as JSON; tokens, text and counts stay consistent, and the short
 * output ends (eos_token) well within max_new_tokens, so the broken match shows.
 * @see tgi-behavior.md §2a (grammar)
 */
export const grammarOutputOverruns: Fault = {
  name: 'grammar-output-overruns',
  description: 'grammar outputs leave the grammar after 3 characters: the match\'s start, then "!", then the end',
  detectedBy: 'grammar-adherence',
  transformRequest: (valid) => {
    const inner = valid.grammar;
    if (inner === null) return valid;
    return { ...valid, grammar: { kind: inner.kind, draw: (rng) => `${inner.draw(rng).slice(0, FOLLOWED)}${OVERRUN}` } };
  },
};

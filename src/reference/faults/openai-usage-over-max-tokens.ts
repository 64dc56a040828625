import { OPENAI_RUN, count, onUsage } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Counts one completion token more than were generated (total kept consistent): a generation
 * that stopped at max_tokens reports completion_tokens above it.
 * @see openai-behavior.md §1 (usage); verdict-policy (completion_tokens ≤ max_tokens, one choice)
 */
export const openaiUsageOverMaxTokens: Fault = {
  name: 'openai-usage-over-max-tokens',
  description: 'usage.completion_tokens is one more than generated (above max_tokens when the limit is hit)',
  detectedBy: 'openai-usage',
  runOptions: OPENAI_RUN,
  ...onUsage((usage) => ({ ...usage, completion_tokens: count(usage, 'completion_tokens') + 1, total_tokens: count(usage, 'total_tokens') + 1 })),
};

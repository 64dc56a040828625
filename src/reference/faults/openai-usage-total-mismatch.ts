import { OPENAI_RUN, count, onUsage } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Reports `usage.total_tokens` one above `prompt_tokens + completion_tokens` (an end-of-sequence
 * token counted in the total only), in responses and in the usage chunk.
 * @see openai-behavior.md §1 (usage); verdict-policy (total ≠ prompt + completion)
 */
export const openaiUsageTotalMismatch: Fault = {
  name: 'openai-usage-total-mismatch',
  description: 'usage.total_tokens is prompt_tokens + completion_tokens + 1',
  detectedBy: 'openai-usage',
  runOptions: OPENAI_RUN,
  ...onUsage((usage) => ({ ...usage, total_tokens: count(usage, 'prompt_tokens') + count(usage, 'completion_tokens') + 1 })),
};

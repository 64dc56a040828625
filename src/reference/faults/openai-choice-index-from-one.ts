import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Numbers choices from 1 (responses and chunks): openai-node's `.stream()` throws on an index
 * ≥ n, openai-python indexes its list by it.
 * @see openai-behavior.md §2, §4.8 (llama.cpp PR #20226; LiteLLM #3276, #5236)
 */
export const openaiChoiceIndexFromOne: Fault = {
  name: 'openai-choice-index-from-one',
  description: 'choice index counts from 1 instead of 0',
  detectedBy: 'openai-choice-index',
  runOptions: OPENAI_RUN,
  ...onChoices((choice) => (typeof choice['index'] === 'number' ? { ...choice, index: choice['index'] + 1 } : choice)),
};

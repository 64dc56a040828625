import type { ExactJson } from '../../core/json.js';
import { isObject } from './_support.js';
import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/** The negative log-likelihood: the sign flipped (0.5 where the logprob was 0). */
function flip(v: ExactJson | undefined): ExactJson {
  if (typeof v !== 'number') return v ?? null;
  return -v > 1e-6 ? -v : 0.5;
}

function flipLogprobs(logprobs: ExactJson): ExactJson {
  if (!isObject(logprobs)) return logprobs;
  if (Array.isArray(logprobs['content'])) {
    return { ...logprobs, content: logprobs['content'].map((e) => (isObject(e) ? { ...e, logprob: flip(e['logprob']) } : e)) };
  }
  if (Array.isArray(logprobs['token_logprobs'])) {
    return { ...logprobs, token_logprobs: logprobs['token_logprobs'].map((v) => (v === null ? v : flip(v))) };
  }
  return logprobs;
}

/**
 * Sends the sampled tokens' logprobs as positive numbers (the negative log-likelihood), on chat
 * and completions.
 * @see openai-behavior.md §5 (llama.cpp tests: logprob ≤ 0); verdict-policy (a positive logprob beyond 1e-6)
 */
export const openaiLogprobPositive: Fault = {
  name: 'openai-logprob-positive',
  description: 'logprobs are positive (sign flipped)',
  detectedBy: 'openai-logprobs',
  runOptions: OPENAI_RUN,
  ...onChoices((choice) => ('logprobs' in choice && choice['logprobs'] !== null ? { ...choice, logprobs: flipLogprobs(choice['logprobs'] ?? null) } : choice)),
};

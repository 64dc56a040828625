import type { ExactJson } from '../../core/json.js';
import { isObject } from './_support.js';
import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/** Chat's `{content: [{token, logprob, bytes, top_logprobs}]}` rewritten in the completions shape. */
function completionsShape(logprobs: ExactJson | undefined): ExactJson | undefined {
  if (!isObject(logprobs) || !Array.isArray(logprobs['content'])) return logprobs;
  const entries = logprobs['content'].filter(isObject);
  const tokens = entries.map((e) => (typeof e['token'] === 'string' ? e['token'] : ''));
  const offsets: number[] = [];
  let at = 0;
  for (const t of tokens) {
    offsets.push(at);
    at += t.length;
  }
  return {
    tokens,
    token_logprobs: entries.map((e) => e['logprob'] ?? null),
    top_logprobs: entries.map((e) =>
      Array.isArray(e['top_logprobs'])
        ? Object.fromEntries(e['top_logprobs'].filter(isObject).map((t) => [String(t['token']), t['logprob'] ?? null]))
        : null,
    ),
    text_offset: offsets,
  };
}

/**
 * Sends chat logprobs in the completions shape (`tokens`, `token_logprobs`, `top_logprobs`,
 * `text_offset`), as vLLM once did.
 * @see openai-behavior.md §1 (logprobs shapes), §4.10 (vLLM #3179)
 */
export const openaiLogprobsCompletionsShape: Fault = {
  name: 'openai-logprobs-completions-shape',
  description: 'chat logprobs come in the completions shape (tokens / token_logprobs)',
  detectedBy: 'openai-logprobs',
  runOptions: OPENAI_RUN,
  ...onChoices((choice, where) => (where.chat && isObject(choice['logprobs']) ? { ...choice, logprobs: completionsShape(choice['logprobs']) ?? null } : choice)),
};

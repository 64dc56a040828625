import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition, CheckKind } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { answerOf, at, isRecord, type JsonRecord } from './_internals/choices.js';

const ID = 'openai-length';

const KINDS = {
  'length-below-limit': {
    severity: 'violation',
    title: 'finish_reason "length" but fewer completion tokens than the limit',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/** Above this the limit is not judged: larger generations may be produced in chunks (verdict-policy item 12). */
const MAX_JUDGED_LIMIT = 1024;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The token limit: `max_completion_tokens`, else `max_tokens` (the older name); undefined when unset. */
function limitOf(request: JsonRecord): number | undefined {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (typeof limit === 'bigint') return Number(limit);
  return isNumber(limit) ? limit : undefined;
}

/** Why the request is outside the rule's scope (one choice, one prompt, no best_of), or undefined. */
function outOfScope(request: JsonRecord): string | undefined {
  const n = request.n;
  if (isNumber(n) && n > 1) return `the request asks for n = ${n} choices`;
  const bestOf = request.best_of;
  if (isNumber(bestOf) && bestOf > 1) return `the request sets best_of = ${bestOf}`;
  const prompt = request.prompt;
  if (Array.isArray(prompt) && prompt.length > 1 && prompt.every((p) => typeof p === 'string' || Array.isArray(p))) {
    return `the request has ${prompt.length} prompts`;
  }
  return undefined;
}

/**
 * `finish_reason: "length"` means the limit was reached: `usage.completion_tokens` equals
 * `max_completion_tokens` (or `max_tokens`). Scoped as for the native API (verdict-policy,
 * OpenAI-compatible routes: "`length` ⇒ the limit was reached" only with one choice, one prompt
 * and no `best_of`; item 12: limits ≤ 1024). More tokens than the limit is openai-usage's rule.
 * Where a server counts reasoning tokens in `total_tokens` only (xAI), `total − prompt` is the
 * count of generated tokens.
 */
export const openaiLength: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'finish_reason "length" means the token limit was reached',
  rule:
    'With one choice, one prompt, no best_of and a limit ≤ 1024, finish_reason "length" implies usage.completion_tokens equals max_completion_tokens (or max_tokens); fewer is a violation.',
  source: 'openai-behavior.md §1 (usage, finish_reason); verdict-policy.md, "The OpenAI-compatible routes" (scope of the meaning checks) and item 12',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (!isRecord(view.request)) return { skip: 'the request is unknown or invalid: its token limit is unknown' };
    const request = view.request as JsonRecord;
    const limit = limitOf(request);
    if (limit === undefined) return { skip: 'the request sets no max_tokens / max_completion_tokens' };
    if (limit > MAX_JUDGED_LIMIT) return { skip: `the limit ${limit} is above ${MAX_JUDGED_LIMIT} (verdict-policy item 12)` };
    const scope = outOfScope(request);
    if (scope !== undefined) return { skip: `${scope}: the rule holds for one choice of one prompt only` };
    const answer = answerOf(view);
    if ('skip' in answer) return answer;
    if (answer.choices.length !== 1) return { skip: `the answer has ${answer.choices.length} choices: the rule holds for one choice only` };
    const choice = answer.choices[0];
    if (choice === undefined || choice.finishReason !== 'length') return [];
    if (answer.usage === undefined) return { skip: 'the answer carries no usage' };
    const usage = answer.usage.value;
    const completion = usage.completion_tokens;
    if (!isNumber(completion)) return { skip: 'usage.completion_tokens is not a number' };
    const { prompt_tokens: prompt, total_tokens: total } = usage;
    const generated = isNumber(prompt) && isNumber(total) && total - prompt > completion ? total - prompt : completion;
    if (generated >= limit) return [];
    return [
      report('length-below-limit', {
        message: `${choice.label}: finish_reason "length" with a limit of ${limit} tokens, but usage.completion_tokens is ${completion}${generated !== completion ? ` (${generated} with the tokens counted in total_tokens only)` : ''}: the generation stopped before the limit`,
        ...at({ ...answer.usage.place, pointer: `${answer.usage.place.pointer}/completion_tokens` }),
      }),
    ];
  },
};

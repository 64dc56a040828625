/**
 * The requests the OpenAI-compatible scenario checks plan (openai-determinism,
 * openai-stream-equivalence) and the comparison of what came back: choice 0's text. Plans are
 * pure functions of the run's seed.
 */
import type { OpenAIExchangeView, OpenAIRouteName } from '../../../core/exchange.js';
import type { ExactJson } from '../../../core/json.js';
import type { PlannedRequest, ScenarioContext } from '../../check.js';
import { answerOf, show, type JsonRecord } from './choices.js';

/** Short outputs: the first tokens tell an ignored seed, and real servers are slow. */
export const SCENARIO_MAX_TOKENS = 16;

const CHAT_PROMPTS = [
  'Write one sentence about the sea.',
  'Name three primary colors.',
  'Describe a cat in one sentence.',
  'Tell me a fact about the moon.',
  'Give a short tip for learning to cook.',
] as const;

const COMPLETION_PROMPTS = [
  'The capital of France is',
  'Once upon a time, in a small village,',
  'The three primary colors are',
  'Water boils at',
  'def fibonacci(n):',
] as const;

/** A 32-bit hash of the run's seed and a salt (the murmur3 finaliser). */
export function mix(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export type Body = { [key: string]: ExactJson };

function withModel(context: ScenarioContext, body: Body): Body {
  return context.model === undefined ? body : { model: context.model, ...body };
}

/** A chat request with a seed drawn from the run's seed; temperature 0 makes it greedy. */
export function chatBody(context: ScenarioContext, salt: number, temperature: number): Body {
  const content = CHAT_PROMPTS[mix(context.seed, salt) % CHAT_PROMPTS.length] ?? CHAT_PROMPTS[0];
  return withModel(context, {
    messages: [{ role: 'user', content }],
    seed: mix(context.seed, salt + 1),
    temperature,
    max_tokens: SCENARIO_MAX_TOKENS,
  });
}

/** A completions request with a seed drawn from the run's seed. */
export function completionBody(context: ScenarioContext, salt: number, temperature: number): Body {
  const prompt = COMPLETION_PROMPTS[mix(context.seed, salt) % COMPLETION_PROMPTS.length] ?? COMPLETION_PROMPTS[0];
  return withModel(context, { prompt, seed: mix(context.seed, salt + 1), temperature, max_tokens: SCENARIO_MAX_TOKENS });
}

export function request(route: OpenAIRouteName, body: Body): PlannedRequest {
  return { route, body };
}

/** The same body as a stream with the usage chunk asked for. */
export function asStream(body: Body): Body {
  return { ...body, stream: true, stream_options: { include_usage: true } };
}

/** What one exchange generated for choice 0. */
export interface ScenarioOutput {
  streamed: boolean;
  content: string;
  /** `usage.prompt_tokens` and `completion_tokens`, when the answer carries them. */
  usage?: { prompt: unknown; completion: unknown };
  fingerprint?: string;
  /** Where choice 0's content is, for findings. */
  pointer: string;
}

/** Choice 0's output of a completed, accepted exchange; the reason there is none to compare. */
export function scenarioOutputOf(view: OpenAIExchangeView | undefined): ScenarioOutput | string {
  if (view === undefined) return 'the exchange is missing';
  const answer = answerOf(view);
  if ('skip' in answer) return answer.skip;
  const choice = answer.choices.find((c) => c.index === 0) ?? answer.choices[0];
  if (choice === undefined) return 'the answer has no choice';
  if (view.streamed && (choice.finishReason === null || choice.finishReason === undefined)) return 'the stream\'s choice 0 never finished';
  if (choice.content === undefined) return 'choice 0 has no text content';
  const out: ScenarioOutput = {
    streamed: view.streamed,
    content: choice.content,
    pointer: view.kind === 'completions' ? '/choices/0/text' : '/choices/0/message/content',
  };
  const usage: JsonRecord | undefined = answer.usage?.value;
  if (usage !== undefined) out.usage = { prompt: usage.prompt_tokens, completion: usage.completion_tokens };
  if (answer.fingerprint !== undefined) out.fingerprint = answer.fingerprint;
  return out;
}

/** Why two outputs need not agree (they came from different backends), or undefined. */
export function differentBackends(a: ScenarioOutput, b: ScenarioOutput): string | undefined {
  if (a.fingerprint === undefined || b.fingerprint === undefined || a.fingerprint === b.fingerprint) return undefined;
  return `the answers come from different backends (system_fingerprint ${show(a.fingerprint)} vs ${show(b.fingerprint)}): the same seed need not give the same output`;
}

export type TextDivergence =
  | { at: 'none' }
  | { at: 'first'; position: number; detail: string }
  | { at: 'later'; position: number; detail: string };

/** Characters in common from which a divergence counts as late, whatever the lengths. */
const LATE_CHARACTERS = 8;

/**
 * Where two texts of the same request part. Text carries no token boundaries, so a divergence
 * counts as late (the first token is shared) when the common prefix holds a word followed by
 * whitespace, or is at least 8 characters, or a quarter of the shorter text; otherwise the texts
 * differ from the first token.
 */
export function textDivergence(a: string, b: string): TextDivergence {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a[p] === b[p]) p++;
  if (p === a.length && p === b.length) return { at: 'none' };
  const common = a.slice(0, p);
  const detail = `they agree on ${p} character(s) (${JSON.stringify(common.slice(-30))}) and then read ${JSON.stringify(a.slice(p, p + 30))} vs ${JSON.stringify(b.slice(p, p + 30))} (${a.length} and ${b.length} characters)`;
  const late = common.trim() !== '' && (p >= LATE_CHARACTERS || 4 * p >= n || /\S\s/.test(common));
  return late ? { at: 'later', position: p, detail } : { at: 'first', position: p, detail };
}

/**
 * Parameter values shared by the chat and completions arbitraries: the spec's bounds
 * (./spec-reader.ts) intersected with what every real server takes.
 *
 * - Floats are multiples of 1/8 (temperature), 1/16 (top_p) and 1/4 (penalties): exact in f32,
 *   so the value a server reads as `f32` is the value sent (verdict-policy item 1).
 * - `top_p` stays inside the open interval (0, 1): TGI's validation rejects 1.0 ("`top_p` must be
 *   > 0.0 and < 1.0"); 1.0 is a boundary case whose outcome is `either`.
 * - `presence_penalty` stays above the spec's minimum: TGI sends `presence_penalty + 2` as its
 *   `repetition_penalty`, which must be strictly positive (router/src/lib.rs @ db931fcf), so -2 is
 *   a boundary case, not a random value.
 * - Seeds are u64 in the spec but int64 on OpenAI and vLLM: random seeds stay below 2^63, above
 *   2^53 as bigints (tgc's ExactJson writes them exactly).
 */
import fc from 'fast-check';
import type { ExactJson } from '../../../core/json.js';
import { resolveOpenAIFeatures, type OpenAIFeatures } from '../features.js';
import { openaiSpecFacts as facts } from './spec-reader.js';

/** The cap on max_tokens when the caller gives none: a handful of tokens keeps runs fast. */
export const DEFAULT_MAX_TOKENS = 16;
/** TGI's max_top_n_tokens default: top_logprobs above it are rejected there. */
export const DEFAULT_MAX_TOP_LOGPROBS = 5;
/** Prompts in a completions batch: TGI's max_client_batch_size is 4 by default; 2 is plenty. */
export const DEFAULT_MAX_PROMPTS = 2;
/** The most choices random requests ask for. */
export const MAX_N = 3;
/** The largest seed every real server takes: OpenAI and vLLM read an int64, TGI a u64. */
export const MAX_PORTABLE_SEED = 2n ** 63n - 1n;

export interface OpenAIRequestConstraints {
  /** Sent as `model` in every request; absent when not given. */
  model?: string;
  /** Cap on max_tokens / max_completion_tokens (always set, 1..maxTokens). @defaultValue 16 */
  maxTokens?: number;
  /** Features to switch off (or on). @defaultValue {@link DEFAULT_OPENAI_FEATURES} */
  features?: Partial<OpenAIFeatures>;
  /**
   * `true`: `stream: true` (with `stream_options` when that feature is on); `false`: no stream
   * (`stream` absent or false); undefined: either.
   */
  stream?: boolean;
  /** The server's max_stop_sequences (TGI /info); stop arrays stay within it and the spec's 4. @defaultValue 4 */
  maxStopSequences?: number;
  /** The most top_logprobs the server takes (TGI: max_top_n_tokens). @defaultValue 5 */
  maxTopLogprobs?: number;
  /** Completions: the most prompts in an array (TGI: max_client_batch_size). @defaultValue 2 */
  maxPrompts?: number;
}

export interface ResolvedConstraints {
  model: string | undefined;
  maxTokens: number;
  features: OpenAIFeatures;
  stream: boolean | undefined;
  maxStop: number;
  maxTopLogprobs: number;
  maxPrompts: number;
}

function positiveInt(v: number | undefined, fallback: number, what: string, who: string, min = 1): number {
  const n = v ?? fallback;
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`[tgc] ${who}: ${what} must be an integer >= ${min}, got ${String(v)}`);
  return n;
}

export function resolveConstraints(c: OpenAIRequestConstraints, who: string): ResolvedConstraints {
  if (c.model !== undefined && typeof c.model !== 'string') throw new Error(`[tgc] ${who}: model must be a string`);
  if (c.stream !== undefined && typeof c.stream !== 'boolean') throw new Error(`[tgc] ${who}: stream must be a boolean`);
  return {
    model: c.model,
    maxTokens: positiveInt(c.maxTokens, DEFAULT_MAX_TOKENS, 'maxTokens', who),
    features: resolveOpenAIFeatures(c.features, who),
    stream: c.stream,
    maxStop: Math.min(facts.maxStop, positiveInt(c.maxStopSequences, facts.maxStop, 'maxStopSequences', who, 0)),
    maxTopLogprobs: Math.min(facts.topLogprobs.max, positiveInt(c.maxTopLogprobs, DEFAULT_MAX_TOP_LOGPROBS, 'maxTopLogprobs', who, 0)),
    maxPrompts: positiveInt(c.maxPrompts, DEFAULT_MAX_PROMPTS, 'maxPrompts', who),
  };
}

/** Multiples of `step` in [min, max] (open ends excluded); exact in f32 for power-of-two steps. */
function grid(min: number, max: number, step: number, open: { min?: boolean; max?: boolean } = {}): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max; k++) {
    const v = k * step;
    if ((open.min === true && v <= min) || (open.max === true && v >= max)) continue;
    out.push(v === 0 ? 0 : v); // no -0
  }
  if (out.length === 0) throw new Error(`[tgc] openai arbitraries: no value in [${min}, ${max}] by ${step}`);
  return out;
}

export const TEMPERATURES = grid(facts.temperature.min, facts.temperature.max, 1 / 8);
export const TOP_PS = grid(facts.topP.min, facts.topP.max, 1 / 16, { min: true, max: true });
export const FREQUENCY_PENALTIES = grid(facts.frequencyPenalty.min, facts.frequencyPenalty.max, 1 / 4);
export const PRESENCE_PENALTIES = grid(facts.presencePenalty.min, facts.presencePenalty.max, 1 / 4, { min: true });

export const temperature = (): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: fc.constantFrom(...TEMPERATURES), weight: 4 }, { arbitrary: fc.constantFrom(0, 1, facts.temperature.max), weight: 1 });
export const topP = (): fc.Arbitrary<number> => fc.constantFrom(...TOP_PS);
export const frequencyPenalty = (): fc.Arbitrary<number> => fc.constantFrom(...FREQUENCY_PENALTIES);
export const presencePenalty = (): fc.Arbitrary<number> => fc.constantFrom(...PRESENCE_PENALTIES);

/** A seed: small, 32-bit, or beyond 2^53 (a bigint) up to 2^63 - 1. */
export function seed(): fc.Arbitrary<number | bigint> {
  const max = MAX_PORTABLE_SEED < BigInt(Math.floor(facts.seed.max)) ? MAX_PORTABLE_SEED : BigInt(Math.floor(facts.seed.max));
  const min = Math.max(0, facts.seed.min);
  return fc.oneof(
    { arbitrary: fc.integer({ min, max: 1000 }), weight: 2 },
    { arbitrary: fc.integer({ min, max: 2 ** 32 - 1 }), weight: 2 },
    { arbitrary: fc.bigInt({ min: 2n ** 53n, max }), weight: 2 },
  );
}

const STOP_STRINGS = ['\n', '.', ' the', 'Paris', '!', 'END', ' and', 'é', '🤗', '\n\n'] as const;

/** A stop configuration: an array of 1..maxStop strings, or (with `stopString`) a bare string. */
export function stop(r: ResolvedConstraints): fc.Arbitrary<string | string[]> | undefined {
  const options: fc.WeightedArbitrary<string | string[]>[] = [];
  if (r.maxStop >= 1) options.push({ arbitrary: fc.uniqueArray(fc.constantFrom(...STOP_STRINGS), { minLength: 1, maxLength: r.maxStop }), weight: 3 });
  if (r.features.stopString) options.push({ arbitrary: fc.constantFrom(...STOP_STRINGS), weight: 1 });
  return options.length === 0 ? undefined : fc.oneof(...options);
}

const WORDS = [
  'the', 'capital', 'of', 'France', 'is', 'what', 'a', 'short', 'poem', 'about', 'tea', 'write', 'one', 'word',
  'name', 'three', 'colours', 'tell', 'me', 'story', 'why', 'sky', 'blue', 'count', 'to', 'five', 'déjà', 'vu',
  'naïve', 'Zürich', 'café', '🤗', 'hello', 'world', 'weather', 'in', 'Paris', 'today',
] as const;

/** A short sentence (1..maxWords words, some beyond ASCII). Never empty. */
export function sentence(maxWords = 8): fc.Arbitrary<string> {
  return fc
    .record({ words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: maxWords }), end: fc.constantFrom('', '.', '?', '!') })
    .map(({ words, end }) => {
      const text = words.join(' ');
      return text.charAt(0).toUpperCase() + text.slice(1) + end;
    });
}

/** `stream` and `stream_options` as the constraints ask; keys to add to the body. */
export function streamKeys(r: ResolvedConstraints): fc.Arbitrary<{ [key: string]: ExactJson }> {
  const streamed: fc.Arbitrary<{ [key: string]: ExactJson }> = r.features.streamOptions
    ? fc
        .option(fc.boolean(), { nil: undefined, freq: 3 })
        .map((include) => (include === undefined ? { stream: true } : { stream: true, stream_options: { include_usage: include } }))
    : fc.constant({ stream: true });
  const plain = fc.constantFrom<{ [key: string]: ExactJson }>({}, { stream: false });
  if (r.stream === true) return streamed;
  if (r.stream === false) return plain;
  return fc.oneof(plain, streamed);
}

/** Drops `undefined` slots, keeping the order of keys. */
export function compact(slots: { [key: string]: ExactJson | undefined }): { [key: string]: ExactJson } {
  const out: { [key: string]: ExactJson } = {};
  for (const [k, v] of Object.entries(slots)) if (v !== undefined) out[k] = v;
  return out;
}

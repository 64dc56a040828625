/**
 * Runs the model for a validated request: seeds as TGI assigns them, one token per step with
 * the configured per-token latency, stopping as soon as the client is gone.
 */
import { exactU64, generateSteps, generatedText, hashIds, SplitMix64 } from './model/index.js';
import type { FinishReason } from '../core/api.js';
import type { GenerationStep, ModelToken } from './model/index.js';
import type { ValidRequest } from './validation.js';

export interface InferenceOptions {
  latencyMs: number;
  randomSeed: () => bigint;
  /** Where set, unseeded sampling draws its seed from this, the prompt and the sequence's place (see {@link samplingSeed}). */
  samplingSeed?: bigint | undefined;
  /** Aborts generation between two tokens. */
  signal?: AbortSignal;
}

/** One generated sequence, as Details / BestOfSequence report it. */
export interface Sequence {
  tokens: ModelToken[];
  topTokens: ModelToken[][];
  finishReason: FinishReason;
  generatedText: string;
  /** The seed written in the response: null when greedy (F:2348 `seed if do_sample else None`). */
  seed: number | bigint | null;
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The sampling seed: the request's, or a random u64 (validation.rs: `thread_rng().gen()`). With
 * `samplingSeed` set (`tgc mock --sampling-seed N`) the draw is a function of N, the prompt's
 * token ids and `place` (the best_of sequence or the choice): the same request gets the same
 * answer in any order, so runs that split one plan (shards, suites) see what one run sees.
 */
export function samplingSeed(valid: ValidRequest, opts: InferenceOptions, place = 0): bigint | null {
  if (!valid.sampling) return null;
  if (valid.seed !== null) return valid.seed;
  if (opts.samplingSeed === undefined) return opts.randomSeed();
  return new SplitMix64(opts.samplingSeed ^ (BigInt(hashIds(valid.inputIds)) << 16n) ^ BigInt(place)).nextU64();
}

/** Yields the steps of one sequence, waiting `latencyMs` before each token. */
export async function* timedSteps(valid: ValidRequest, seed: bigint | null, opts: InferenceOptions): AsyncGenerator<GenerationStep, void, void> {
  const steps = generateSteps({
    inputIds: valid.inputIds,
    maxNewTokens: valid.maxNewTokens,
    stop: valid.stop,
    warp: valid.warp,
    seed,
    topNTokens: valid.topNTokens,
    grammar: valid.grammar,
    ...(valid.unwarpedLogprobs ? { unwarpedLogprobs: true } : {}),
  });
  for (;;) {
    if (opts.latencyMs > 0) await delay(opts.latencyMs, opts.signal);
    else if (opts.signal?.aborted) throw opts.signal.reason as Error;
    const next = steps.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Generates a whole sequence. */
export async function runSequence(valid: ValidRequest, seed: bigint | null, opts: InferenceOptions): Promise<Sequence> {
  const tokens: ModelToken[] = [];
  const topTokens: ModelToken[][] = [];
  let finishReason: FinishReason = 'length';
  for await (const step of timedSteps(valid, seed, opts)) {
    tokens.push(step.token);
    if (step.topTokens) topTokens.push(step.topTokens);
    if (step.finishReason) finishReason = step.finishReason;
  }
  return { tokens, topTokens, finishReason, generatedText: generatedText(tokens), seed: seed === null ? null : exactU64(seed) };
}

/** The mean token logprob, by which best_of picks its answer (infer/mod.rs:337-350). */
export function meanLogprob(seq: Sequence): number {
  if (seq.tokens.length === 0) return -Infinity;
  return seq.tokens.reduce((sum, t) => sum + (t.logprob ?? -Infinity), 0) / seq.tokens.length;
}

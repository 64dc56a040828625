/**
 * The generation loop: one token per step, stopping criteria in TGI's order (length first, then
 * the end-of-sequence token, then stop sequences: tokens.py StoppingCriteria), grammars followed
 * by masking every token that would leave the drawn target string.
 */
import type { FinishReason } from '../../core/api.js';
import { f32Shortest } from './f32.js';
import type { Grammar } from './grammar/index.js';
import { rawLogits } from './logits.js';
import { SplitMix64, hashIds } from './prng.js';
import { chooseToken, isSampling, logSoftmax, processLogits, topTokenIds } from './sampling.js';
import type { WarpParams } from './sampling.js';
import { TokenStreamDecoder, byteTokensAt, prefixPieces, tokenText } from './tokenizer.js';
import { EOS_ID, VOCAB, VOCAB_SIZE, isByteToken, isSpecial } from './vocabulary.js';

export interface ModelToken {
  id: number;
  text: string;
  /** f32 log-probability; null where it is -inf (serde writes it as null). */
  logprob: number | null;
  special: boolean;
}

export interface ModelPrefillToken {
  id: number;
  text: string;
  logprob: number | null;
}

export interface GenerationParams {
  /** The prompt's ids after truncation. */
  inputIds: readonly number[];
  /** At least 1. */
  maxNewTokens: number;
  stop: readonly string[];
  warp: WarpParams;
  /** The sampling seed: required when sampling (see isSampling), ignored otherwise. */
  seed: bigint | null;
  /** 0 = no top tokens. */
  topNTokens: number;
  grammar: Grammar | null;
  /**
   * Log-probabilities (of the token and of the top tokens) from the model's own distribution,
   * before the warpers and the grammar: the OpenAI-compatible routes return exactly
   * `top_logprobs` alternatives, which a top_p or a grammar would leave fewer of. TGI's native
   * routes report the warped ones (the default).
   */
  unwarpedLogprobs?: boolean;
}

export interface GenerationStep {
  /** 1-based position of the token. */
  index: number;
  token: ModelToken;
  /** Present when top_n_tokens > 0. */
  topTokens?: ModelToken[];
  /** Set on the last step only. */
  finishReason: FinishReason | null;
}

export interface Generation {
  tokens: ModelToken[];
  topTokens?: ModelToken[][];
  finishReason: FinishReason;
  /** The text of the non-special tokens, without the prompt. */
  generatedText: string;
}

const GRAMMAR_SALT = 0x6772616d6d6172n;

function logprobOf(value: number | undefined): number | null {
  return value === undefined || value === -Infinity || Number.isNaN(value) ? null : f32Shortest(value);
}

function modelToken(id: number, text: string, logprob: number | undefined): ModelToken {
  return { id, text, logprob: logprobOf(logprob), special: isSpecial(id) };
}

/** Where decoding stands in the grammar's target string. */
class GrammarCursor {
  private cursor = 0;
  private queue: number[] = [];
  private width = 0;

  private readonly target: string;

  constructor(target: string) {
    this.target = target;
  }

  allowed(): number[] {
    if (this.queue.length > 0) return [this.queue[0] as number];
    if (this.cursor >= this.target.length) return [EOS_ID];
    const pieces = prefixPieces(this.target, this.cursor).filter((id) => !isSpecial(id));
    if (pieces.length > 0) return pieces;
    return [byteTokensAt(this.target, this.cursor)[0][0] as number];
  }

  advance(id: number): void {
    if (this.queue.length > 0) {
      this.queue.shift();
      if (this.queue.length === 0) this.cursor += this.width;
    } else if (isByteToken(id)) {
      const [bytes, width] = byteTokensAt(this.target, this.cursor);
      this.queue = bytes.slice(1);
      this.width = width;
      if (this.queue.length === 0) this.cursor += width;
    } else if (id !== EOS_ID) {
      this.cursor += VOCAB[id]?.piece.length ?? 0;
    }
  }
}

/**
 * Generates lazily, one step per `next()`: a stream can send each token as it is produced and
 * stop as soon as its client goes away.
 */
export function* generateSteps(params: GenerationParams): Generator<GenerationStep, void, void> {
  const sampling = isSampling(params.warp);
  if (sampling && params.seed === null) throw new RangeError('sampling needs a seed');
  const rng = sampling ? new SplitMix64(params.seed ?? 0n) : null;
  const grammarSeed = (sampling ? (params.seed ?? 0n) : BigInt(hashIds(params.inputIds))) ^ GRAMMAR_SALT;
  const cursor = params.grammar ? new GrammarCursor(params.grammar.draw(new SplitMix64(grammarSeed))) : null;
  const context = [...params.inputIds];
  const counts = new Map<number, number>();
  for (const id of context) counts.set(id, (counts.get(id) ?? 0) + 1);
  const scores = new Float64Array(VOCAB_SIZE);
  const logprobs = new Float64Array(VOCAB_SIZE);
  const raw = params.unwarpedLogprobs ? new Float64Array(VOCAB_SIZE) : null;
  const decoder = new TokenStreamDecoder();
  let output = '';
  for (let index = 1; index <= params.maxNewTokens; index++) {
    rawLogits(context, scores);
    if (raw) logSoftmax(scores, raw);
    processLogits(scores, { counts, last: context[context.length - 1] }, params.warp, cursor?.allowed() ?? null, logprobs);
    const id = chooseToken(logprobs, rng);
    cursor?.advance(id);
    const text = decoder.push(id);
    const reported = raw ?? logprobs;
    const token = modelToken(id, text, reported[id]);
    context.push(id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
    output += text;
    let finishReason: FinishReason | null = null;
    if (index >= params.maxNewTokens) finishReason = 'length';
    else if (id === EOS_ID) finishReason = 'eos_token';
    else if (params.stop.some((s) => output.endsWith(s))) finishReason = 'stop_sequence';
    const step: GenerationStep = { index, token, finishReason };
    if (params.topNTokens > 0) {
      step.topTokens = topTokenIds(reported, params.topNTokens).map((t) => modelToken(t, tokenText(t), reported[t]));
    }
    yield step;
    if (finishReason !== null) return;
  }
}

/** Runs a whole generation. */
export function generate(params: GenerationParams): Generation {
  const tokens: ModelToken[] = [];
  const topTokens: ModelToken[][] = [];
  let finishReason: FinishReason = 'length';
  for (const step of generateSteps(params)) {
    tokens.push(step.token);
    if (step.topTokens) topTokens.push(step.topTokens);
    if (step.finishReason) finishReason = step.finishReason;
  }
  const generation: Generation = { tokens, finishReason, generatedText: generatedText(tokens) };
  if (params.topNTokens > 0) generation.topTokens = topTokens;
  return generation;
}

/** generated_text as TGI decodes it: skip_special_tokens (tgi-behavior N-4). */
export function generatedText(tokens: readonly ModelToken[]): string {
  return tokens.filter((t) => !t.special).map((t) => t.text).join('');
}

/**
 * Prompt logprobs (decoder_input_details): the raw model's log-softmax of each prompt token
 * given the ones before it; the first has none (null), as in TGI (tgi-behavior N-6).
 */
export function prefillTokens(inputIds: readonly number[]): ModelPrefillToken[] {
  const scores = new Float64Array(VOCAB_SIZE);
  const logprobs = new Float64Array(VOCAB_SIZE);
  return inputIds.map((id, i) => {
    if (i === 0) return { id, text: tokenText(id), logprob: null };
    rawLogits(inputIds.slice(0, i), scores);
    logSoftmax(scores, logprobs);
    return { id, text: tokenText(id), logprob: logprobOf(logprobs[id]) };
  });
}

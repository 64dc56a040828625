/**
 * Logits processing in TGI's order (server/text_generation_server/utils/tokens.py
 * NextTokenChooser): watermark, repetition penalty, frequency penalty, grammar mask, then the
 * warpers temperature, top_k, top_p, typical_p (transformers' definitions), then log_softmax;
 * the next token is sampled from that distribution, or its argmax when not sampling.
 */
import { hashStep, unit } from './prng.js';
import type { SplitMix64 } from './prng.js';

/** The decoding parameters, already rounded to f32 as the server reads them. */
export interface WarpParams {
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  /** 1 = off. */
  typicalP: number;
  /** 1 = off. */
  repetitionPenalty: number;
  /** 0 = off. */
  frequencyPenalty: number;
  watermark: boolean;
  doSample: boolean;
}

export const GREEDY: WarpParams = {
  temperature: 1,
  topK: 0,
  topP: 1,
  typicalP: 1,
  repetitionPenalty: 1,
  frequencyPenalty: 0,
  watermark: false,
  doSample: false,
};

/** TGI's `has_warpers`: the warpers run only when one of them is set. */
export function hasWarpers(p: WarpParams): boolean {
  return p.temperature !== 1 || p.topK !== 0 || p.topP < 1 || p.typicalP < 1;
}

/** TGI samples when `do_sample` or any warper is set (tokens.py; tgi-behavior N-10). */
export function isSampling(p: WarpParams): boolean {
  return p.doSample || hasWarpers(p);
}

const WATERMARK_GAMMA = 0.5;
const WATERMARK_DELTA = 2;
const WATERMARK_KEY = 15485863;

export function logSoftmax(scores: Float64Array, out: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  if (max === -Infinity) {
    out.fill(-Infinity);
    return;
  }
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const lse = Math.log(sum); // >= 0, so every logprob is <= 0
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] ?? -Infinity) - max - lse;
}

function softmaxOf(values: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? -Infinity);
  const exps = Array.from(values, (v) => (max === -Infinity ? 0 : Math.exp(v - max)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => (sum > 0 ? e / sum : 0));
}

/** The k-th largest value (k >= 1); a small insertion buffer for the usual small k. */
function kthLargest(values: Float64Array, k: number): number {
  if (k > 32) return values.slice().sort()[Math.max(0, values.length - k)] ?? -Infinity;
  const best: number[] = []; // descending, at most k
  for (const v of values) {
    if (best.length === k && v <= (best[k - 1] as number)) continue;
    let j = Math.min(best.length, k - 1);
    best[j] = v;
    while (j > 0 && (best[j - 1] as number) < v) {
      best[j] = best[j - 1] as number;
      best[--j] = v;
    }
  }
  return best[Math.min(k, best.length) - 1] ?? -Infinity;
}

function applyTopK(scores: Float64Array, k: number): void {
  if (k >= scores.length) return;
  const threshold = kthLargest(scores, k);
  for (let i = 0; i < scores.length; i++) if ((scores[i] ?? -Infinity) < threshold) scores[i] = -Infinity;
}

/** Indices of the finite entries of `scores`, ordered by `key` ascending (ties by index). */
function finiteOrder(scores: Float64Array, key: ArrayLike<number>): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((scores[i] ?? -Infinity) > -Infinity) order.push(i);
  return order.sort((a, b) => (key[a] ?? 0) - (key[b] ?? 0) || a - b);
}

// -inf entries have probability 0: leaving them out of the sorts below changes no cumulative sum.

function applyTopP(scores: Float64Array, topP: number): void {
  const sorted = scores.filter((v) => v > -Infinity).sort(); // ascending
  const probs = softmaxOf(sorted);
  const cut = 1 - topP;
  let cumulative = 0;
  let cutoff = -Infinity;
  // Remove the low tail whose mass stays <= 1 - top_p, always keeping the most likely token.
  for (let r = 0; r < sorted.length - 1; r++) {
    cumulative += probs[r] ?? 0;
    if (cumulative > cut) break;
    cutoff = sorted[r] ?? -Infinity;
  }
  if (cutoff === -Infinity) return;
  for (let i = 0; i < scores.length; i++) if ((scores[i] ?? -Infinity) <= cutoff) scores[i] = -Infinity;
}

function applyTypicalP(scores: Float64Array, mass: number): void {
  const normalized = new Float64Array(scores.length);
  logSoftmax(scores, normalized);
  let entropy = 0;
  for (const lp of normalized) if (lp > -Infinity) entropy -= lp * Math.exp(lp);
  const shifted = new Float64Array(normalized.length);
  for (let i = 0; i < normalized.length; i++) shifted[i] = Math.abs(-(normalized[i] ?? -Infinity) - entropy);
  const order = finiteOrder(scores, shifted);
  const probs = softmaxOf(order.map((i) => scores[i] ?? -Infinity));
  let cumulative = 0;
  let lastInd = 0;
  for (const p of probs) {
    cumulative += p;
    if (cumulative < mass) lastInd++;
  }
  lastInd = Math.min(lastInd, order.length - 1);
  const limit = shifted[order[lastInd] ?? 0] ?? Infinity;
  for (let r = 1; r < order.length; r++) {
    const i = order[r] ?? 0;
    if ((shifted[i] ?? Infinity) > limit) scores[i] = -Infinity;
  }
}

/** The state a processor needs from the sequence so far. */
export interface SequenceState {
  /** How often each token occurs in the context (prompt after truncation, plus generated). */
  counts: ReadonlyMap<number, number>;
  /** The last token of the context. */
  last: number | undefined;
}

/**
 * Processes raw logits in place (penalties, grammar mask, warpers) and writes the log-softmax
 * of the result into `logprobs`.
 */
export function processLogits(
  scores: Float64Array,
  state: SequenceState,
  p: WarpParams,
  allowed: readonly number[] | null,
  logprobs: Float64Array,
): void {
  if (p.watermark && state.last !== undefined) {
    const h = Math.imul(state.last, WATERMARK_KEY) >>> 0;
    for (let i = 0; i < scores.length; i++) if (unit(hashStep(h, i)) < WATERMARK_GAMMA) scores[i] = (scores[i] ?? 0) + WATERMARK_DELTA;
  }
  if (p.repetitionPenalty !== 1) {
    for (const id of state.counts.keys()) {
      const s = scores[id] ?? -Infinity;
      scores[id] = s < 0 ? s * p.repetitionPenalty : s / p.repetitionPenalty;
    }
  }
  if (p.frequencyPenalty !== 0) {
    for (const [id, count] of state.counts) scores[id] = (scores[id] ?? -Infinity) - p.frequencyPenalty * count;
  }
  if (allowed) {
    const keep = new Float64Array(scores.length).fill(-Infinity);
    for (const id of allowed) keep[id] = scores[id] ?? -Infinity;
    scores.set(keep);
  }
  if (hasWarpers(p)) {
    if (p.temperature !== 1) for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] ?? 0) / p.temperature;
    if (p.topK > 0) applyTopK(scores, p.topK);
    if (p.topP < 1) applyTopP(scores, p.topP);
    if (p.typicalP < 1) applyTypicalP(scores, p.typicalP);
  }
  logSoftmax(scores, logprobs);
}

/** The argmax (lowest id on ties), or a draw from exp(logprobs) when sampling. */
export function chooseToken(logprobs: Float64Array, rng: SplitMix64 | null): number {
  if (rng === null) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < logprobs.length; i++) {
      const v = logprobs[i] ?? -Infinity;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }
  const u = rng.nextFloat();
  let cumulative = 0;
  let lastFinite = 0;
  for (let i = 0; i < logprobs.length; i++) {
    const v = logprobs[i] ?? -Infinity;
    if (v === -Infinity) continue;
    lastFinite = i;
    cumulative += Math.exp(v);
    if (cumulative > u) return i;
  }
  return lastFinite;
}

/**
 * The `n` most likely ids, sorted by logprob descending; ties with the n-th are kept (TGI
 * returns "remaining tokens" too) and tokens filtered to -inf never appear (tgi-behavior N-8).
 */
export function topTokenIds(logprobs: Float64Array, n: number): number[] {
  if (n <= 0) return [];
  // Ties are decided on the f32 values the server writes.
  const rounded = new Float64Array(logprobs.length);
  for (let i = 0; i < logprobs.length; i++) rounded[i] = Math.fround(logprobs[i] ?? -Infinity);
  const threshold = kthLargest(rounded, Math.min(n, rounded.length));
  const ids: number[] = [];
  for (let i = 0; i < rounded.length; i++) {
    const v = rounded[i] ?? -Infinity;
    if (v > -Infinity && v >= threshold) ids.push(i);
  }
  return ids.sort((a, b) => (rounded[b] ?? 0) - (rounded[a] ?? 0) || a - b);
}

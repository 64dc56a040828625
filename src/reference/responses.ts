/**
 * Bodies, events and headers as TGI writes them (router/src/lib.rs field order; serde omits
 * `details`, `best_of_sequences` and `top_tokens` when absent; server.rs:379-412 and 525-530 for
 * the headers).
 */
import type { ExactJson } from '../core/json.js';
import { stringifyJson } from '../core/json.js';
import type { Sequence } from './inference.js';
import type { GenerationStep, ModelPrefillToken, ModelToken } from './model/index.js';
import type { InferFailure, ValidRequest } from './validation.js';

type JsonObject = { [key: string]: ExactJson };

export function tokenJson(t: ModelToken): JsonObject {
  return { id: t.id, text: t.text, logprob: t.logprob, special: t.special };
}

function prefillJson(prefill: readonly ModelPrefillToken[]): ExactJson[] {
  return prefill.map((p) => ({ id: p.id, text: p.text, logprob: p.logprob }));
}

function withPrompt(valid: ValidRequest, text: string): string {
  return valid.returnFullText ? valid.inputs + text : text;
}

/** The non-stream body (`GenerateResponse`), best_of's others included when there are any. */
export function generateResponseJson(
  valid: ValidRequest,
  best: Sequence,
  others: readonly Sequence[],
  prefill: readonly ModelPrefillToken[],
): JsonObject {
  const body: JsonObject = { generated_text: withPrompt(valid, best.generatedText) };
  if (!valid.details) return body;
  const details: JsonObject = {
    finish_reason: best.finishReason,
    generated_tokens: best.tokens.length,
    seed: best.seed,
    prefill: prefillJson(prefill),
    tokens: best.tokens.map(tokenJson),
  };
  if (valid.bestOf > 1) {
    details.best_of_sequences = others.map((seq) => {
      const s: JsonObject = {
        generated_text: withPrompt(valid, seq.generatedText),
        finish_reason: seq.finishReason,
        generated_tokens: seq.tokens.length,
        seed: seq.seed,
        prefill: prefillJson(prefill),
        tokens: seq.tokens.map(tokenJson),
      };
      if (valid.topNTokens > 0) s.top_tokens = seq.topTokens.map((list) => list.map(tokenJson));
      return s;
    });
  }
  if (valid.topNTokens > 0) details.top_tokens = best.topTokens.map((list) => list.map(tokenJson));
  body.details = details;
  return body;
}

/** One stream event (`StreamResponse`); the last carries generated_text and, if asked, details. */
export function streamEventJson(
  valid: ValidRequest,
  step: GenerationStep,
  text: string,
  seed: number | bigint | null,
): JsonObject {
  const event: JsonObject = { index: step.index, token: tokenJson(step.token) };
  if (step.topTokens && step.topTokens.length > 0) event.top_tokens = step.topTokens.map(tokenJson);
  const final = step.finishReason !== null;
  event.generated_text = final ? withPrompt(valid, text) : null;
  event.details =
    final && valid.details
      ? { finish_reason: step.finishReason, generated_tokens: step.index, seed, input_length: valid.inputLength }
      : null;
  return event;
}

export function errorJson(failure: InferFailure): JsonObject {
  return { error: failure.body.error, error_type: failure.body.error_type };
}

/** axum's `Event::json_data`: `data:` then compact JSON, then a blank line. */
export function sseFrame(data: ExactJson): string {
  return `data:${stringifyJson(data)}\n\n`;
}

/** A duration in seconds as Rust's `Duration::as_secs_f64().to_string()`: ns precision, no exponent. */
function secondsText(ms: number): string {
  const seconds = Math.round(ms * 1e6) / 1e9;
  const s = String(seconds);
  return s.includes('e') ? seconds.toFixed(9).replace(/0+$/, '') : s;
}

/** Times of one request, in milliseconds since the request arrived. */
export interface Timings {
  /** When validation finished (TGI's `queued`). */
  validated: number;
  /** When generation started (TGI's `start`). */
  started: number;
  /** When it ended. */
  ended: number;
}

/**
 * TGI's non-stream headers with consistent values: total = validation + queue + inference in
 * whole ms; x-time-per-token = inference / generated tokens; x-compute-time the total in seconds.
 */
export function generateHeaders(
  valid: ValidRequest,
  generatedTokens: number,
  t: Timings,
  computeType: string,
): Record<string, string> {
  const validation = Math.floor(t.validated);
  const queue = Math.floor(t.started - t.validated);
  const total = Math.max(Math.floor(t.ended), validation + queue);
  const inference = total - validation - queue;
  return {
    'x-compute-type': computeType,
    'x-compute-time': secondsText(Math.max(t.ended, total)),
    'x-compute-characters': String(valid.computeCharacters),
    'x-total-time': String(total),
    'x-validation-time': String(validation),
    'x-queue-time': String(queue),
    'x-inference-time': String(inference),
    'x-time-per-token': String(generatedTokens > 0 ? Math.floor(inference / generatedTokens) : 0),
    'x-prompt-tokens': String(valid.inputLength),
    'x-generated-tokens': String(generatedTokens),
  };
}

/** TGI's stream headers (server.rs:525-530) plus axum's Sse ones. */
export function streamHeaders(computeCharacters: number, computeType: string): Record<string, string> {
  return {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-compute-type': computeType,
    'x-compute-characters': String(computeCharacters),
    'x-accel-buffering': 'no',
  };
}

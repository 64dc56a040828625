/**
 * Small helpers the faults share: walking response bodies and stream events, building a
 * failure, waiting, and peeking at the first token the model would produce.
 */
import type { ExactJson } from '../../core/json.js';
import { generateSteps } from '../model/index.js';
import type { InferFailure, ValidRequest } from '../validation.js';
import type { FaultContext } from './fault.js';

export type JsonObject = { [key: string]: ExactJson };

export function isObject(v: ExactJson | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies `fn` to each GenerateResponse of a 200 body: the object of /generate, or each element
 * of the array `/` answers with. Other bodies (errors, /info, 503) are left alone.
 */
export function mapResponses(body: ExactJson, ctx: FaultContext, fn: (response: JsonObject) => JsonObject): ExactJson {
  if (ctx.status !== 200 || ctx.route === 'GET /info') return body;
  if (Array.isArray(body)) return body.map((r) => (isObject(r) ? fn(r) : r));
  return isObject(body) ? fn(body) : body;
}

/** Applies `fn` to the response's `details`, when it has them. */
export function mapDetails(response: JsonObject, fn: (details: JsonObject, response: JsonObject) => JsonObject): JsonObject {
  const details = response['details'];
  return isObject(details) ? { ...response, details: fn(details, response) } : response;
}

/** A token event of a stream (not the error event). */
export function isTokenEvent(event: ExactJson): event is JsonObject {
  return isObject(event) && isObject(event['token']);
}

/** The final event of a stream: the one with a generated_text. */
export function isFinalEvent(event: ExactJson): event is JsonObject {
  return isTokenEvent(event) && typeof event['generated_text'] === 'string';
}

/** A rejection by a rule of the broken server's own (`rule: 'fault'`). */
export function ownFailure(message: string, status = 422, errorType = 'validation'): InferFailure {
  return { rule: 'fault', status, body: { error: `Input validation error: ${message}`, error_type: errorType } };
}

/** Resolves when `signal` fires (at once if it already has): a stall that ends with the client. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The id of the first token the model produces for `valid` with the sampling seed `seed`. */
export function firstTokenId(valid: ValidRequest, seed: bigint | null): number | undefined {
  const first = generateSteps({
    inputIds: valid.inputIds,
    maxNewTokens: Math.max(1, valid.maxNewTokens),
    stop: valid.stop,
    warp: valid.warp,
    seed,
    topNTokens: 0,
    grammar: valid.grammar,
  }).next();
  return first.done ? undefined : first.value.token.id;
}

const U64 = (1n << 64n) - 1n;

/** A random u64, from crypto. */
export function randomU64(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return ((BigInt(words[0] ?? 0) << 32n) | BigInt(words[1] ?? 0)) & U64;
}

/** `seed + k` wrapped to u64. */
export function nextSeed(seed: bigint, k: number): bigint {
  return (seed + BigInt(k)) & U64;
}

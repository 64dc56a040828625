/**
 * Completions requests (`POST /v1/completions`) that every real server of the field must serve,
 * from spec/openai.yaml's `CompletionRequest` (bounds read by ./_internals/spec-reader.ts).
 *
 * `prompt` is a string or (with `promptArrays`) an array of 1..maxPrompts strings: token-id
 * prompts are valid officially but TGI's `prompt` is strings only (router/src/lib.rs @ db931fcf).
 * `max_tokens` is always set, 1..maxTokens. Left out: `suffix` (TGI answers 422 "Suffix is not
 * supported"), `echo` and `best_of` (legacy; servers that ignore them are not wrong), nulls.
 * `logprobs` is an integer 0..5 here (the spec's bounds). `stream_options` only on a stream; `n`
 * > 1 never with temperature 0.
 */
import fc from 'fast-check';
import type { CompletionRequest } from '../../core/openai.js';
import type { JsonObject } from './json-schema.js';
import { openaiSpecFacts as facts } from './_internals/spec-reader.js';
import {
  compact,
  frequencyPenalty,
  MAX_N,
  presencePenalty,
  resolveConstraints,
  seed,
  sentence,
  stop,
  streamKeys,
  temperature,
  topP,
  type OpenAIRequestConstraints,
} from './_internals/values.js';

/** A completions request body: the wire type, and JSON (`ExactJson`) as the engine sends it. */
export type CompletionRequestBody = CompletionRequest & JsonObject;

/**
 * @example
 * fc.sample(validCompletionRequest({ maxTokens: 8 }), 1)
 * // [{ prompt: ['The capital of France is', 'Tea'], max_tokens: 3, temperature: 0.625 }]
 */
export function validCompletionRequest(constraints: OpenAIRequestConstraints = {}): fc.Arbitrary<CompletionRequestBody> {
  const r = resolveConstraints(constraints, 'validCompletionRequest');
  const f = r.features;
  const absent = fc.constant(undefined);
  const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
  const stopArb = stop(r);
  const prompt: fc.Arbitrary<string | string[]> = f.promptArrays
    ? fc.oneof(
        { arbitrary: sentence(), weight: 3 },
        { arbitrary: fc.array(sentence(), { minLength: 1, maxLength: r.maxPrompts }), weight: 1 },
      )
    : sentence();
  return fc
    .record({
      prompt,
      max_tokens: fc.integer({ min: 1, max: r.maxTokens }),
      temperature: opt(temperature()),
      top_p: opt(topP()),
      frequency_penalty: opt(frequencyPenalty()),
      presence_penalty: opt(presencePenalty()),
      seed: opt(seed()),
      stop: stopArb === undefined ? absent : opt(stopArb),
      n: f.n ? opt(fc.integer({ min: Math.max(1, facts.n.min), max: Math.min(MAX_N, facts.n.max) })) : absent,
      logprobs: f.logprobs ? opt(fc.integer({ min: facts.completionLogprobs.min, max: facts.completionLogprobs.max })) : absent,
      streamKeys: streamKeys(r),
    })
    .map((d) => {
      const body = compact({
        ...(r.model !== undefined ? { model: r.model } : {}),
        prompt: d.prompt,
        max_tokens: d.max_tokens,
        temperature: d.n !== undefined && d.n > 1 && d.temperature === 0 ? undefined : d.temperature,
        top_p: d.top_p,
        frequency_penalty: d.frequency_penalty,
        presence_penalty: d.presence_penalty,
        seed: d.seed,
        stop: d.stop,
        n: d.n,
        logprobs: d.logprobs,
        ...d.streamKeys,
      });
      return body as CompletionRequestBody;
    });
}

/**
 * Bodies and chunks of the OpenAI-compatible routes, as the official contract has them
 * (openai-behavior.md §1; spec/openai.yaml): the chat completion and its chunks, the text
 * completion and its chunks, usage, both logprobs shapes, the model list, and the error bodies
 * (TGI's `{error, error_type}` by default, OpenAI's `{error: {message, type, param, code}}` with
 * profile `openai`).
 */
import type { ExactJson } from '../../core/json.js';
import { stringifyJson } from '../../core/json.js';
import type { GenerationStep, ModelToken } from '../model/index.js';
import { BYTE_BASE, isByteToken } from '../model/vocabulary.js';
import type { InferFailure } from '../validation.js';

export type JsonObject = { [key: string]: ExactJson };

const encoder = new TextEncoder();

/** What every body and chunk of one answer shares. */
export interface AnswerHead {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
}

export interface UsageCounts {
  prompt: number;
  completion: number;
}

export function usageJson(u: UsageCounts): JsonObject {
  return { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion };
}

/**
 * The UTF-8 bytes of a token, or null where the token is not whole UTF-8: a byte-fallback token
 * of a multi-byte character (its text is "" until the character completes, then the whole
 * character, which is more than the token's own byte), or a text with a replacement character.
 */
export function tokenBytes(id: number, text: string): number[] | null {
  if (isByteToken(id) && id - BYTE_BASE >= 0x80) return null;
  if (text.includes('\uFFFD')) return null;
  return Array.from(encoder.encode(text));
}

/** A completions top_logprobs key: the token's text, or `bytes:\xNN` for a byte piece that is not whole UTF-8. */
function completionTokenKey(t: ModelToken): string {
  if (isByteToken(t.id) && t.id - BYTE_BASE >= 0x80) return `bytes:\\x${(t.id - BYTE_BASE).toString(16).padStart(2, '0')}`;
  return t.text;
}

function logprobValue(t: ModelToken): number {
  // -inf is not JSON; OpenAI writes -9999.0 where a token had no probability.
  return t.logprob ?? -9999;
}

/** One chat logprobs entry: the sampled token and its `k` most likely alternatives. */
export function chatLogprobEntry(step: GenerationStep, k: number): JsonObject {
  const top = (step.topTokens ?? []).slice(0, k).map((t) => ({ token: t.text, logprob: logprobValue(t), bytes: tokenBytes(t.id, t.text) }));
  return { token: step.token.text, logprob: logprobValue(step.token), bytes: tokenBytes(step.token.id, step.token.text), top_logprobs: top };
}

/** Completions logprobs for some positions; `offset` is the text offset of the first one. */
export function completionLogprobs(steps: readonly GenerationStep[], k: number, offset: number): JsonObject {
  const tokens: string[] = [];
  const values: number[] = [];
  const tops: ExactJson[] = [];
  const offsets: number[] = [];
  let at = offset;
  for (const step of steps) {
    tokens.push(step.token.text);
    values.push(logprobValue(step.token));
    const top: JsonObject = {};
    // A dict by token text: tokens that share a text count once, so the model is asked for spare
    // candidates (validate.ts) and the first k distinct keys are kept. A byte piece that is not
    // whole UTF-8 is keyed `bytes:\xNN` (OpenAI's spelling), so byte pieces stay distinct.
    let kept = 0;
    for (const t of step.topTokens ?? []) {
      if (kept >= k) break;
      const key = completionTokenKey(t);
      if (Object.prototype.hasOwnProperty.call(top, key)) continue;
      top[key] = logprobValue(t);
      kept++;
    }
    tops.push(top);
    offsets.push(at);
    at += step.token.special ? 0 : step.token.text.length;
  }
  return { tokens, token_logprobs: values, top_logprobs: tops, text_offset: offsets };
}

export interface ToolCallOut {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatChoiceOut {
  index: number;
  content: string | null;
  toolCall: ToolCallOut | null;
  logprobs: JsonObject[] | null;
  finishReason: string;
}

export function chatCompletionJson(head: AnswerHead, choices: readonly ChatChoiceOut[], usage: UsageCounts): JsonObject {
  return {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    system_fingerprint: head.systemFingerprint,
    choices: choices.map((c) => {
      const message: JsonObject = { role: 'assistant', content: c.content, refusal: null };
      if (c.toolCall) {
        message.tool_calls = [{ id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.arguments } }];
      }
      return { index: c.index, message, logprobs: c.logprobs === null ? null : { content: c.logprobs, refusal: null }, finish_reason: c.finishReason };
    }),
    usage: usageJson(usage),
  };
}

export interface CompletionChoiceOut {
  index: number;
  text: string;
  logprobs: JsonObject | null;
  finishReason: string;
}

export function completionJson(head: AnswerHead, choices: readonly CompletionChoiceOut[], usage: UsageCounts): JsonObject {
  return {
    id: head.id,
    object: 'text_completion',
    created: head.created,
    model: head.model,
    system_fingerprint: head.systemFingerprint,
    choices: choices.map((c) => ({ index: c.index, text: c.text, logprobs: c.logprobs, finish_reason: c.finishReason })),
    usage: usageJson(usage),
  };
}

/** A chunk carrying one choice (or none: the usage chunk); `usage` absent unless include_usage. */
export function chunkJson(
  head: AnswerHead,
  object: 'chat.completion.chunk' | 'text_completion',
  choices: ExactJson[],
  usage: { include: boolean; value: UsageCounts | null },
): JsonObject {
  const chunk: JsonObject = {
    id: head.id,
    object,
    created: head.created,
    model: head.model,
    system_fingerprint: head.systemFingerprint,
    choices,
  };
  if (usage.include) chunk.usage = usage.value === null ? null : usageJson(usage.value);
  return chunk;
}

/** OpenAI's SSE framing: `data: <json>` and a blank line. */
export function sseFrame(data: ExactJson): string {
  return `data: ${stringifyJson(data)}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';

/** The model list of GET /v1/models. */
export function modelListJson(modelId: string, created: number): JsonObject {
  return { object: 'list', data: [{ id: modelId, object: 'model', created, owned_by: 'tgc' }] };
}

/** OpenAI's `type` for a status. */
function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An error body: TGI's `{error, error_type}`, or with profile `openai` OpenAI's object. */
export function errorJson(failure: InferFailure, openaiShape: boolean, param: string | null): JsonObject {
  if (!openaiShape) return { error: failure.body.error, error_type: failure.body.error_type };
  return { error: { message: failure.body.error, type: openaiErrorType(failure.status), param, code: failure.rule } };
}

/** A pre-handler rejection's body with profile `openai`: the message in OpenAI's object. */
export function openaiMessageError(message: string, status: number, code: string | null): JsonObject {
  return { error: { message, type: openaiErrorType(status), param: null, code } };
}

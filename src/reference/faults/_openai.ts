/**
 * Helpers of the faults on the OpenAI-compatible routes (`openai-*.ts`): which hooks are on those
 * routes, and walks over what the conformant server sends there (a chat or completions body, a
 * stream chunk, the include_usage chunk, the `[DONE]` frame). Every helper leaves the native
 * routes' bodies, events and frames as they are: a fault built from them acts on the OpenAI
 * routes only.
 */
import type { ErrorBody } from '../../core/api.js';
import type { ExactJson } from '../../core/json.js';
import { isObject, type JsonObject } from './_support.js';
import type { Fault, FaultContext } from './fault.js';

export const CHAT_ROUTE = 'POST /v1/chat/completions';
export const COMPLETIONS_ROUTE = 'POST /v1/completions';
export const MODELS_ROUTE = 'GET /v1/models';

/** `POST /v1/chat/completions`, `POST /v1/completions` or `GET /v1/models`. */
export function isOpenAIRoute(route: string): boolean {
  return route.startsWith('POST /v1/') || route === MODELS_ROUTE;
}

/** The two routes that generate: chat and completions. */
export function isGenerationRoute(route: string): boolean {
  return route === CHAT_ROUTE || route === COMPLETIONS_ROUTE;
}

/** What `tgc run` needs to see a fault of these routes. */
export const OPENAI_RUN = { api: 'openai' } as const;

/** A stream chunk (chat or completions), not an error event. */
export function isChunk(event: ExactJson): event is JsonObject {
  return isObject(event) && Array.isArray(event['choices']) && !('error' in event);
}

/** The include_usage chunk: `choices: []` and a non-null usage. */
export function isUsageChunk(event: ExactJson): boolean {
  return isChunk(event) && (event['choices'] as ExactJson[]).length === 0 && isObject(event['usage']);
}

/** A 2xx chat or completions body with its choices (not an error, not the model list). */
export function isAnswerBody(body: ExactJson, ctx: FaultContext): body is JsonObject {
  return isGenerationRoute(ctx.route) && ctx.status >= 200 && ctx.status < 300 && isObject(body) && Array.isArray(body['choices']);
}

/** The final `data: [DONE]` frame (with or without the space). */
export function isDoneFrame(frame: string): boolean {
  return /^data: ?\[DONE\]\r?\n/.test(frame);
}

/** `fn` over each choice of a body or a chunk. */
export function mapChoices(body: JsonObject, fn: (choice: JsonObject) => JsonObject): JsonObject {
  const choices = body['choices'];
  return Array.isArray(choices) ? { ...body, choices: choices.map((c) => (isObject(c) ? fn(c) : c)) } : body;
}

/** Where a choice hook runs: a non-stream body, or a stream chunk (with its event index). */
export interface ChoiceWhere {
  ctx: FaultContext;
  stream: boolean;
  chat: boolean;
}

/**
 * The body and event hooks that apply `fn` to every whole body or chunk (chat and completions,
 * 2xx bodies and chunks only; the usage chunk included).
 */
export function onAnswers(
  fn: (answer: JsonObject, where: ChoiceWhere & { index?: number }) => JsonObject | JsonObject[],
): Pick<Fault, 'transformResponseBody' | 'transformEvent'> {
  const list = (r: JsonObject | JsonObject[]): JsonObject[] => (Array.isArray(r) ? r : [r]);
  return {
    transformResponseBody: (body, ctx) => {
      if (!isAnswerBody(body, ctx)) return body;
      const out = list(fn(body, { ctx, stream: false, chat: ctx.route === CHAT_ROUTE }));
      return out[0] ?? body;
    },
    transformEvent: (event, ctx) =>
      isGenerationRoute(ctx.route) && isChunk(event) ? list(fn(event, { ctx, stream: true, chat: ctx.route === CHAT_ROUTE, index: ctx.index })) : [event],
  };
}

/** The body and event hooks that apply `fn` to every choice of a 2xx body or a chunk. */
export function onChoices(fn: (choice: JsonObject, where: ChoiceWhere) => JsonObject): Pick<Fault, 'transformResponseBody' | 'transformEvent'> {
  return onAnswers((answer, where) => mapChoices(answer, (c) => fn(c, where)));
}

/** The hooks that replace each non-null `finish_reason` (bodies and chunks) by `rename(reason)`. */
export function renameFinishReason(rename: (reason: string, where: ChoiceWhere) => ExactJson): Pick<Fault, 'transformResponseBody' | 'transformEvent'> {
  return onChoices((choice, where) => {
    const reason = choice['finish_reason'];
    return typeof reason === 'string' ? { ...choice, finish_reason: rename(reason, where) } : choice;
  });
}

/** `fn` over the message (non-stream) or the delta (stream) of each chat choice. */
export function onMessages(fn: (message: JsonObject, where: ChoiceWhere, choice: JsonObject) => JsonObject): Pick<Fault, 'transformResponseBody' | 'transformEvent'> {
  return onChoices((choice, where) => {
    if (!where.chat) return choice;
    const key = where.stream ? 'delta' : 'message';
    const message = choice[key];
    return isObject(message) ? { ...choice, [key]: fn(message, where, choice) } : choice;
  });
}

/** `fn` over each entry of a message's or delta's `tool_calls`. */
export function mapToolCalls(message: JsonObject, fn: (call: JsonObject) => JsonObject): JsonObject {
  const calls = message['tool_calls'];
  return Array.isArray(calls) ? { ...message, tool_calls: calls.map((c) => (isObject(c) ? fn(c) : c)) } : message;
}

/** `fn` over a call's `function` object. */
export function mapFunction(call: JsonObject, fn: (fn: JsonObject) => JsonObject): JsonObject {
  const f = call['function'];
  return isObject(f) ? { ...call, function: fn(f) } : call;
}

/** `fn` over a usage object, wherever a body or chunk carries a non-null one. */
export function onUsage(fn: (usage: JsonObject, where: ChoiceWhere) => JsonObject): Pick<Fault, 'transformResponseBody' | 'transformEvent'> {
  return onAnswers((answer, where) => {
    const usage = answer['usage'];
    return isObject(usage) ? { ...answer, usage: fn(usage, where) } : answer;
  });
}

/** A number field of a JSON object, or 0. */
export function count(o: JsonObject, key: string): number {
  const v = o[key];
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** The message text of an error body in any of the accepted shapes (TGI's, OpenAI's, bare). */
export function errorMessage(body: ExactJson | ErrorBody): string | undefined {
  if (!isObject(body as ExactJson)) return undefined;
  const error = (body as JsonObject)['error'];
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error['message'] === 'string') return error['message'];
  const message = (body as JsonObject)['message'];
  return typeof message === 'string' ? message : undefined;
}

/** An error body of these routes (status ≥ 400), as the hook sees it. */
export function isErrorBody(body: ExactJson, ctx: FaultContext): boolean {
  return isOpenAIRoute(ctx.route) && ctx.status >= 400 && errorMessage(body) !== undefined;
}

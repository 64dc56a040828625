/**
 * What each choice of an OpenAI-compatible answer says, read the same way from a non-stream
 * response and from a stream, assembled per choice `index` from its chunks (openai-behavior.md §1:
 * `delta.content` fragments concatenate; completions chunks carry `text`). Values the schema
 * leaves open (`finish_reason`, `index`, tool-call fragments) may be any JSON value here: nothing
 * in this file assumes their type, and nothing throws.
 */
import type { OpenAIExchangeView } from '../../../core/exchange.js';
import { stringifyJson } from '../../../core/json.js';
import type { ChatCompletionRequest, CompletionRequest } from '../../../core/openai.js';
import { pointer } from '../../_internals/pointer.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where something sits: a pointer into the body, or into a stream event's data with its position. */
export interface Place {
  pointer: string;
  event?: number;
}

/** One `logprobs` value as sent (not null): the response choice's, or one chunk's. */
export interface LogprobsPart {
  value: unknown;
  /** Points at the `logprobs` key. */
  place: Place;
}

/** One chat delta of a stream choice. */
export interface DeltaPart {
  delta: JsonRecord;
  /** Points at the `delta` key. */
  place: Place;
}

export interface ChoiceOutput {
  /** The choice's `index` as sent (any JSON value). */
  index: unknown;
  /** `choice 0`, for messages. */
  label: string;
  streamed: boolean;
  /** Chat: `message.content` or the concatenated `delta.content`; completions: `text`. Undefined when never a string. */
  content: string | undefined;
  /** Where the content is: the non-stream `content`/`text`, or the choice's last chunk that carried some. */
  contentPlace: Place;
  /**
   * The choice's finish_reason: the non-stream value, or a stream's last non-null one (the last
   * non-empty one where `""` marks intermediate chunks, as TGI's completions stream does); null when none came.
   */
  finishReason: unknown;
  finishPlace: Place;
  /** Every non-null `logprobs` of the choice, in order. */
  logprobs: LogprobsPart[];
  /** Chat, non-stream: the message. */
  message?: JsonRecord;
  messagePlace?: Place;
  /** Chat, stream: every delta, in order. */
  deltas: DeltaPart[];
  /** The choice carried reasoning text (`reasoning_content`, `reasoning`) beside its content. */
  reasoning: boolean;
}

export interface AnswerOutput {
  streamed: boolean;
  choices: ChoiceOutput[];
  /** The response's usage, or a stream's last non-null usage. */
  usage?: { value: JsonRecord; place: Place };
  /** The response's (or the stream's first) `system_fingerprint`, when a string. */
  fingerprint?: string;
}

/** A short text for any JSON value, for messages and keys. */
export function show(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'number') return JSON.stringify(value); // the common case (a choice index), without the bigint walk
  try {
    return stringifyJson(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function keyOf(value: unknown): string {
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'string') return `s:${value}`;
  return `j:${show(value)}`;
}

const isReasoning = (value: unknown): boolean => typeof value === 'string' && value !== '';

function hasReasoning(record: JsonRecord): boolean {
  return isReasoning(record.reasoning_content) || isReasoning(record.reasoning);
}

/** The event position of chunk `i`. */
export function eventOf(view: OpenAIExchangeView, i: number): number {
  const e = view.chunkEvents?.[i];
  return typeof e === 'number' ? e : i;
}

/** Why an exchange carries no answer to judge, or undefined when it does. */
export function noAnswerReason(view: OpenAIExchangeView): string | undefined {
  if (view.kind === 'models') return 'a /v1/models exchange: no generated choices';
  if (view.transportFailure !== undefined) return `the exchange did not complete (${view.transportFailure.kind})`;
  if (view.status < 200 || view.status >= 300) return `the server answered HTTP ${view.status}`;
  if (view.streamed) {
    if (view.streamError !== undefined) return 'the stream ended with an error event: its output is incomplete';
    if (view.chunks === undefined) return 'the stream has no schema-valid chunks';
    return undefined;
  }
  if (!isRecord(view.response) || !Array.isArray(view.response.choices)) return 'no schema-valid response body';
  return undefined;
}

/** The pointers of a choice (of a response or a chunk) at one position, written once per position (not per chunk). */
interface ChoicePointers {
  message: string;
  messageContent: string;
  delta: string;
  content: string;
  text: string;
  finish: string;
  logprobs: string;
}

const choicePointers: ChoicePointers[] = [];

function pointersAt(pos: number): ChoicePointers {
  let p = choicePointers[pos];
  if (p === undefined) {
    const at = pointer('/choices', pos);
    p = {
      message: pointer(at, 'message'),
      messageContent: pointer(at, 'message', 'content'),
      delta: pointer(at, 'delta'),
      content: pointer(at, 'delta', 'content'),
      text: pointer(at, 'text'),
      finish: pointer(at, 'finish_reason'),
      logprobs: pointer(at, 'logprobs'),
    };
    if (pos < 64) choicePointers[pos] = p;
  }
  return p;
}

function fromResponse(view: OpenAIExchangeView, response: JsonRecord): AnswerOutput {
  const chat = view.kind === 'chat';
  const choices: ChoiceOutput[] = [];
  const list = Array.isArray(response.choices) ? (response.choices as unknown[]) : [];
  list.forEach((raw, pos) => {
    if (!isRecord(raw)) return;
    const ptr = pointersAt(pos);
    const message = chat && isRecord(raw.message) ? raw.message : undefined;
    const text = chat ? message?.content : raw.text;
    const out: ChoiceOutput = {
      index: raw.index,
      label: `choice ${show(raw.index)}`,
      streamed: false,
      content: typeof text === 'string' ? text : undefined,
      contentPlace: { pointer: chat ? ptr.messageContent : ptr.text },
      finishReason: raw.finish_reason ?? null,
      finishPlace: { pointer: ptr.finish },
      logprobs: raw.logprobs === null || raw.logprobs === undefined ? [] : [{ value: raw.logprobs, place: { pointer: ptr.logprobs } }],
      deltas: [],
      reasoning: message !== undefined && hasReasoning(message),
    };
    if (message !== undefined) {
      out.message = message;
      out.messagePlace = { pointer: ptr.message };
    }
    choices.push(out);
  });
  const answer: AnswerOutput = { streamed: false, choices };
  if (isRecord(response.usage)) answer.usage = { value: response.usage, place: { pointer: '/usage' } };
  if (typeof response.system_fingerprint === 'string') answer.fingerprint = response.system_fingerprint;
  return answer;
}

interface Assembling {
  out: ChoiceOutput;
  parts: string[];
  /** The chunk (its choice position and event) of the last non-empty text, -1 when none yet. */
  contentAt: number;
  contentEvent: number;
  /** The last non-null finish_reason, and the last non-empty one. */
  lastFinish?: { value: unknown; place: Place };
  lastNonEmptyFinish?: { value: unknown; place: Place };
}

function fromChunks(view: OpenAIExchangeView, chunks: readonly unknown[]): AnswerOutput {
  const chat = view.kind === 'chat';
  const byIndex = new Map<string, Assembling>();
  const answer: AnswerOutput = { streamed: true, choices: [] };
  // Plain loops, and each place made once where it is kept: this reads every chunk of every stream.
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (!isRecord(chunk)) continue;
    const event = eventOf(view, i);
    if (isRecord(chunk.usage)) answer.usage = { value: chunk.usage, place: { pointer: '/usage', event } };
    if (answer.fingerprint === undefined && typeof chunk.system_fingerprint === 'string') answer.fingerprint = chunk.system_fingerprint;
    const list = Array.isArray(chunk.choices) ? (chunk.choices as unknown[]) : [];
    for (let pos = 0; pos < list.length; pos++) {
      const raw = list[pos];
      if (!isRecord(raw)) continue;
      const ptr = pointersAt(pos);
      const key = keyOf(raw.index);
      let a = byIndex.get(key);
      if (a === undefined) {
        a = {
          out: {
            index: raw.index,
            label: `choice ${show(raw.index)}`,
            streamed: true,
            content: undefined,
            contentPlace: { pointer: chat ? ptr.content : ptr.text, event },
            finishReason: null,
            finishPlace: { pointer: ptr.finish, event },
            logprobs: [],
            deltas: [],
            reasoning: false,
          },
          parts: [],
          contentAt: -1,
          contentEvent: 0,
        };
        byIndex.set(key, a);
      }
      const out = a.out;
      const delta = chat && isRecord(raw.delta) ? raw.delta : undefined;
      if (delta !== undefined) {
        out.deltas.push({ delta, place: { pointer: ptr.delta, event } });
        if (hasReasoning(delta)) out.reasoning = true;
      }
      const text = chat ? delta?.content : raw.text;
      if (typeof text === 'string') {
        a.parts.push(text); // joined once, after the last chunk
        if (text !== '') {
          a.contentAt = pos;
          a.contentEvent = event;
        }
      }
      if (raw.logprobs !== null && raw.logprobs !== undefined) out.logprobs.push({ value: raw.logprobs, place: { pointer: ptr.logprobs, event } });
      const finish = raw.finish_reason;
      if (finish !== null && finish !== undefined) {
        const seen = { value: finish, place: { pointer: ptr.finish, event } };
        a.lastFinish = seen;
        if (finish !== '') a.lastNonEmptyFinish = seen;
      }
    }
  }
  for (const a of byIndex.values()) {
    if (a.parts.length > 0) a.out.content = a.parts.join('');
    if (a.contentAt >= 0) {
      const ptr = pointersAt(a.contentAt);
      a.out.contentPlace = { pointer: chat ? ptr.content : ptr.text, event: a.contentEvent };
    }
    const finish = a.lastNonEmptyFinish ?? a.lastFinish;
    if (finish !== undefined) {
      a.out.finishReason = finish.value;
      a.out.finishPlace = finish.place;
    }
    answer.choices.push(a.out);
  }
  return answer;
}

/**
 * Five checks read the answer of every exchange: it is assembled once per view (never edited).
 * They ask in a row, so one entry (the view asked last) answers them, cheaper than a WeakMap. The
 * entry also holds the parts it was read from: a view whose parts are the same objects gets the
 * same answer (compared field by field: no array made per question).
 */
let last:
  | {
      view: OpenAIExchangeView;
      kind: unknown;
      status: unknown;
      streamed: unknown;
      transportFailure: unknown;
      streamError: unknown;
      chunks: unknown;
      chunkEvents: unknown;
      response: unknown;
      answer: AnswerOutput | { skip: string };
    }
  | undefined;

/** The choices of a decoded 2xx answer, or why there are none to judge. */
export function answerOf(view: OpenAIExchangeView): AnswerOutput | { skip: string } {
  const c = last;
  if (
    c !== undefined &&
    c.view === view &&
    c.kind === view.kind &&
    c.status === view.status &&
    c.streamed === view.streamed &&
    c.transportFailure === view.transportFailure &&
    c.streamError === view.streamError &&
    c.chunks === view.chunks &&
    c.chunkEvents === view.chunkEvents &&
    c.response === view.response
  ) {
    return c.answer;
  }
  const answer = readAnswer(view);
  last = {
    view,
    kind: view.kind,
    status: view.status,
    streamed: view.streamed,
    transportFailure: view.transportFailure,
    streamError: view.streamError,
    chunks: view.chunks,
    chunkEvents: view.chunkEvents,
    response: view.response,
    answer,
  };
  return answer;
}

function readAnswer(view: OpenAIExchangeView): AnswerOutput | { skip: string } {
  const reason = noAnswerReason(view);
  if (reason !== undefined) return { skip: reason };
  if (view.streamed) return fromChunks(view, view.chunks ?? []);
  return fromResponse(view, view.response as unknown as JsonRecord);
}

/** The chat request, when the exchange is on the chat route and its request validated. */
export function chatRequestOf(view: OpenAIExchangeView): ChatCompletionRequest | undefined {
  return view.kind === 'chat' && isRecord(view.request) ? (view.request as ChatCompletionRequest) : undefined;
}

/** The completions request, when the exchange is on /v1/completions and its request validated. */
export function completionRequestOf(view: OpenAIExchangeView): CompletionRequest | undefined {
  return view.kind === 'completions' && isRecord(view.request) ? (view.request as CompletionRequest) : undefined;
}

/** A finding's place without an undefined `event` key. */
export function at(place: Place): { pointer: string; event?: number } {
  return place.event === undefined ? { pointer: place.pointer } : { pointer: place.pointer, event: place.event };
}

/**
 * Test-only: faithful exchanges on the OpenAI-compatible routes, shaped as the conformant
 * reference server sends them (src/reference/openai/responses.ts: non-empty ids, `role` with the
 * first content of each choice, finish_reason stop/length/tool_calls on each choice's last
 * chunk, `usage: null` on chunks and one final `{choices: [], usage}` chunk with include_usage,
 * `data: [DONE]`, logprobs `{content, refusal: null}` with bytes, stop text stripped, tool calls
 * with string arguments, TGI's `{error, error_type}` error bodies, validation errors as a 4xx
 * before any stream), and a driver that runs a fault's hooks over them the way the server does
 * (src/reference/openai/handlers.ts): overrideValidation on a validation failure;
 * transformResponseBody then transformBodyText on every JSON body (errors included);
 * transformEvent per stream event (with its index); transformFrame per frame including the final
 * `data: [DONE]\n\n` ('' drops it); transformHeaders and transformStatus on every answer; with
 * `ctx.openai` (the deserialized request) and `ctx.stream` set once the body was read. The
 * result is recorded as the transport records it (by content type) and judged with the real
 * OpenAI decoder and checks (`judge`).
 */
import { apiByName } from '../../../apis/index.js';
import type { OpenAIRouteName, RecordedExchange } from '../../../core/exchange.js';
import type { Finding } from '../../../core/finding.js';
import { parseJson, stringifyJson, type ExactJson } from '../../../core/json.js';
import { applyChecks } from '../../../engine/inspect-exchange.js';
import type { Fault, FaultContext } from '../../faults/fault.js';
import { deserializeOpenAIBody, type OpenAIRequestIn } from '../../openai/request.js';
import type { InferFailure, ValidRequest } from '../../validation.js';

type Obj = { [key: string]: ExactJson };

const CREATED = 1_750_000_000;
const MODEL = 'tgc/reference-model';
const FINGERPRINT = '3.3.7-tgc-reference';
const CHAT: OpenAIRouteName = 'POST /v1/chat/completions';
const COMPLETIONS: OpenAIRouteName = 'POST /v1/completions';
const MODELS: OpenAIRouteName = 'GET /v1/models';

/** One faithful exchange, before any hook. */
export interface FaithfulExchange {
  route: OpenAIRouteName;
  request: ExactJson | undefined;
  /** A non-stream 2xx body. */
  body?: ExactJson;
  /** A stream's data events (chunks, the usage chunk), before `[DONE]`. */
  events?: ExactJson[];
  /** The validation failure the faithful server answers with (a 4xx before any stream). */
  failure?: InferFailure;
  /** What the server answers when a fault accepts the failing request (overrideValidation → null). */
  ifAccepted?: { body?: ExactJson; events?: ExactJson[] };
}

// ── bodies and chunks (src/reference/openai/responses.ts) ───────────────────────────────────

function usage(prompt: number, completion: number): Obj {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function head(id: string, object: string): Obj {
  return { id, object, created: CREATED, model: MODEL, system_fingerprint: FINGERPRINT };
}

function chatBody(id: string, choices: Obj[], u: Obj): Obj {
  return { ...head(id, 'chat.completion'), choices, usage: u };
}

function chatChoice(index: number, message: Obj, finish: string, logprobs: Obj[] | null = null): Obj {
  return { index, message: { role: 'assistant', content: null, refusal: null, ...message }, logprobs: logprobs === null ? null : { content: logprobs, refusal: null }, finish_reason: finish };
}

/** A chunk of one choice (or none: the usage chunk); `usage` only with include_usage. */
function chunk(id: string, object: string, choices: Obj[], includeUsage: boolean, u: Obj | null = null): Obj {
  return { ...head(id, object), choices, ...(includeUsage ? { usage: u } : {}) };
}

interface StreamOptions {
  includeUsage?: Obj;
  logprobs?: (i: number) => Obj[];
  index?: number;
}

/** The chat chunks of one choice: role with the first piece, finish_reason with the last. */
function chatChoiceChunks(id: string, pieces: string[], finish: string, o: StreamOptions = {}): Obj[] {
  const last = pieces.length - 1;
  return pieces.map((p, i) =>
    chunk(
      id,
      'chat.completion.chunk',
      [{ index: o.index ?? 0, delta: i === 0 ? { role: 'assistant', content: p } : { content: p }, logprobs: o.logprobs ? { content: o.logprobs(i), refusal: null } : null, finish_reason: i === last ? finish : null }],
      o.includeUsage !== undefined,
    ),
  );
}

function chatStream(id: string, pieces: string[], finish: string, o: StreamOptions = {}): Obj[] {
  const chunks = chatChoiceChunks(id, pieces, finish, o);
  return o.includeUsage === undefined ? chunks : [...chunks, chunk(id, 'chat.completion.chunk', [], true, o.includeUsage)];
}

function completionBody(id: string, choices: Obj[], u: Obj): Obj {
  return { ...head(id, 'text_completion'), choices, usage: u };
}

function bytes(token: string): number[] {
  return [...new TextEncoder().encode(token)];
}

/** A chat logprobs entry with its bytes and `k` alternatives (the sampled token first). */
function entry(token: string, logprob: number, k: number): Obj {
  const alternatives = [
    { token, logprob, bytes: bytes(token) },
    { token: ' hi', logprob: logprob - 1.5, bytes: bytes(' hi') },
    { token: '?', logprob: logprob - 3, bytes: bytes('?') },
  ];
  return { token, logprob, bytes: bytes(token), top_logprobs: alternatives.slice(0, k) };
}

const HELLO = ['Hello', ' there', '!'];
const HELLO_LOGPROBS = [-0.25, -0.5, -0.125];
const helloEntry = (i: number): Obj => entry(HELLO[i] ?? '', HELLO_LOGPROBS[i] ?? -1, 2);

const WEATHER_TOOL: Obj = {
  type: 'function',
  function: { name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const user = (content: string): Obj => ({ role: 'user', content });

/** TGI's rule 8 (max_tokens 0), as the server answers it: 422 `{error, error_type}`. */
const MAX_TOKENS_ZERO: InferFailure = {
  rule: '8',
  status: 422,
  body: { error: 'Input validation error: `max_new_tokens` must be strictly positive', error_type: 'validation' },
};

/** The server's own rule `openai:messages-empty` (src/reference/openai/validate.ts). */
const MESSAGES_EMPTY: InferFailure = {
  rule: 'openai:messages-empty',
  status: 422,
  body: { error: 'Input validation error: `messages` must contain at least one message', error_type: 'validation' },
};

// ── the exchanges ───────────────────────────────────────────────────────────────────────────

export const FAITHFUL: Readonly<Record<string, FaithfulExchange>> = {
  chat: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16 },
    body: chatBody('chatcmpl-0a1b2c3d4e5f', [chatChoice(0, { content: 'Hello there!' }, 'stop')], usage(9, 4)),
  },
  chatStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, stream: true, stream_options: { include_usage: true } },
    events: chatStream('chatcmpl-1a1b2c3d4e5f', HELLO, 'stop', { includeUsage: usage(9, 3) }),
  },
  chatStreamN2: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, n: 2, stream: true },
    events: (() => {
      const [a0, a1] = chatChoiceChunks('chatcmpl-2a1b2c3d4e5f', ['Hello', '!'], 'stop', { index: 0 });
      const [b0, b1] = chatChoiceChunks('chatcmpl-2a1b2c3d4e5f', ['Hi', '.'], 'stop', { index: 1 });
      return [a0, b0, a1, b1].filter((c): c is Obj => c !== undefined);
    })(),
  },
  chatLength: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Tell a story')], max_tokens: 3 },
    body: chatBody('chatcmpl-3a1b2c3d4e5f', [chatChoice(0, { content: 'Once upon a' }, 'length')], usage(10, 3)),
  },
  chatLengthStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Tell a story')], max_tokens: 3, stream: true, stream_options: { include_usage: true } },
    events: chatStream('chatcmpl-3b1b2c3d4e5f', ['Once', ' upon', ' a'], 'length', { includeUsage: usage(10, 3) }),
  },
  chatStop: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, stop: ['!'] },
    body: chatBody('chatcmpl-4a1b2c3d4e5f', [chatChoice(0, { content: 'Hello there' }, 'stop')], usage(9, 3)),
  },
  chatStopStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, stop: ['!'], stream: true },
    events: chatStream('chatcmpl-5a1b2c3d4e5f', ['Hello', ' there', ''], 'stop'),
  },
  chatLogprobs: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, logprobs: true, top_logprobs: 2 },
    body: chatBody('chatcmpl-6a1b2c3d4e5f', [chatChoice(0, { content: 'Hello there!' }, 'stop', HELLO.map((_t, i) => helloEntry(i)))], usage(9, 3)),
  },
  chatLogprobsStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 16, logprobs: true, top_logprobs: 2, stream: true },
    events: chatStream('chatcmpl-7a1b2c3d4e5f', HELLO, 'stop', { logprobs: (i) => [helloEntry(i)] }),
  },
  chatTools: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Weather in Paris?')], max_tokens: 32, tools: [WEATHER_TOOL], tool_choice: 'auto' },
    body: chatBody(
      'chatcmpl-8a1b2c3d4e5f',
      [chatChoice(0, { tool_calls: [{ id: 'call_8a1b2c3d', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }] }, 'tool_calls')],
      usage(30, 9),
    ),
  },
  chatToolsStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Weather in Paris?')], max_tokens: 32, tools: [WEATHER_TOOL], tool_choice: 'auto', stream: true },
    events: [
      chunk('chatcmpl-9a1b2c3d4e5f', 'chat.completion.chunk', [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_9a1b2c3d', type: 'function', function: { name: 'get_weather', arguments: '{"city": ' } }] }, logprobs: null, finish_reason: null }], false),
      chunk('chatcmpl-9a1b2c3d4e5f', 'chat.completion.chunk', [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"' } }] }, logprobs: null, finish_reason: null }], false),
      chunk('chatcmpl-9a1b2c3d4e5f', 'chat.completion.chunk', [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '}' } }] }, logprobs: null, finish_reason: 'tool_calls' }], false),
    ],
  },
  chatToolChoiceNone: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Weather in Paris?')], max_tokens: 32, tools: [WEATHER_TOOL], tool_choice: 'none' },
    body: chatBody('chatcmpl-aa1b2c3d4e5f', [chatChoice(0, { content: 'It is sunny.' }, 'stop')], usage(30, 4)),
  },
  chatToolChoiceNoneStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Weather in Paris?')], max_tokens: 32, tools: [WEATHER_TOOL], tool_choice: 'none', stream: true },
    events: chatStream('chatcmpl-ba1b2c3d4e5f', ['It is', ' sunny.'], 'stop'),
  },
  chatJson: {
    route: CHAT,
    request: { model: MODEL, messages: [user('A greeting as JSON')], max_tokens: 32, response_format: { type: 'json_object' } },
    body: chatBody('chatcmpl-ca1b2c3d4e5f', [chatChoice(0, { content: '{"answer": "hello"}' }, 'stop')], usage(12, 7)),
  },
  chatJsonStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('A greeting as JSON')], max_tokens: 32, response_format: { type: 'json_object' }, stream: true },
    events: chatStream('chatcmpl-da1b2c3d4e5f', ['{"', 'answer', '": "', 'hello', '"}'], 'stop'),
  },
  completion: {
    route: COMPLETIONS,
    request: { model: MODEL, prompt: 'Paris is', max_tokens: 8 },
    body: completionBody('cmpl-0a1b2c3d4e5f', [{ index: 0, text: ' the capital.', logprobs: null, finish_reason: 'stop' }], usage(3, 3)),
  },
  completionStream: {
    route: COMPLETIONS,
    request: { model: MODEL, prompt: 'Paris is', max_tokens: 8, stream: true, stream_options: { include_usage: true } },
    events: [
      chunk('cmpl-1a1b2c3d4e5f', 'text_completion', [{ index: 0, text: ' the', logprobs: null, finish_reason: null }], true),
      chunk('cmpl-1a1b2c3d4e5f', 'text_completion', [{ index: 0, text: ' capital', logprobs: null, finish_reason: null }], true),
      chunk('cmpl-1a1b2c3d4e5f', 'text_completion', [{ index: 0, text: '.', logprobs: null, finish_reason: 'stop' }], true),
      chunk('cmpl-1a1b2c3d4e5f', 'text_completion', [], true, usage(3, 3)),
    ],
  },
  completionLogprobs: {
    route: COMPLETIONS,
    request: { model: MODEL, prompt: 'Paris is', max_tokens: 8, logprobs: 1 },
    body: completionBody(
      'cmpl-2a1b2c3d4e5f',
      [
        {
          index: 0,
          text: ' the capital.',
          logprobs: { tokens: [' the', ' capital', '.'], token_logprobs: [-0.5, -0.25, -0.125], top_logprobs: [{ ' the': -0.5 }, { ' capital': -0.25 }, { '.': -0.125 }], text_offset: [8, 12, 20] },
          finish_reason: 'stop',
        },
      ],
      usage(3, 3),
    ),
  },
  models: {
    route: MODELS,
    request: undefined,
    body: { object: 'list', data: [{ id: MODEL, object: 'model', created: CREATED, owned_by: 'tgc' }] },
  },
  chatInvalid: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 0 },
    failure: MAX_TOKENS_ZERO,
    ifAccepted: { body: chatBody('chatcmpl-ea1b2c3d4e5f', [chatChoice(0, { content: '' }, 'length')], usage(9, 0)) },
  },
  chatInvalidStream: {
    route: CHAT,
    request: { model: MODEL, messages: [user('Say hello')], max_tokens: 0, stream: true },
    failure: MAX_TOKENS_ZERO,
    ifAccepted: { events: chatStream('chatcmpl-fa1b2c3d4e5f', [''], 'length') },
  },
  chatEmptyMessages: {
    route: CHAT,
    request: { model: MODEL, messages: [], max_tokens: 8 },
    failure: MESSAGES_EMPTY,
    ifAccepted: { body: chatBody('chatcmpl-0b1b2c3d4e5f', [chatChoice(0, { content: 'Hello' }, 'stop')], usage(1, 1)) },
  },
};

// ── the driver ──────────────────────────────────────────────────────────────────────────────

/** The SSE frame the server writes for one data event. */
export function frame(data: string): string {
  return `data: ${data}\n\n`;
}

export const DONE_FRAME = frame('[DONE]');

/** The request as the server deserializes it (`ctx.openai`), with the server's own reader. */
function deserialized(ex: FaithfulExchange): OpenAIRequestIn | undefined {
  if (ex.route === MODELS || ex.request === undefined) return undefined;
  const r = deserializeOpenAIBody(new TextEncoder().encode(stringifyJson(ex.request)), 'application/json', 2_000_000, ex.route === CHAT ? 'chat' : 'completions');
  if (!r.ok) throw new Error(`fixture request does not deserialize: ${r.message}`);
  return r.request;
}

/**
 * Runs `fault`'s hooks over a faithful exchange as the server does, and records the result as
 * the transport would: `stream` for a text/event-stream body, `response` for JSON.
 */
export function runHooks(fault: Fault | undefined, ex: FaithfulExchange): RecordedExchange {
  const requestHeaders = new Headers({ 'content-type': 'application/json' });
  const openai = deserialized(ex);
  const stream = openai?.stream ?? false;
  const ctx: FaultContext = { route: ex.route, stream, status: 200, requestHeaders, ...(openai ? { openai } : {}) };
  let failure: InferFailure | null = ex.failure ?? null;
  if (failure !== null && fault?.overrideValidation) failure = fault.overrideValidation(failure, ctx);
  const recorded: RecordedExchange = { route: ex.route, request: ex.request, api: 'openai', status: 200 };

  const answer = ex.failure === undefined ? ex : failure === null ? (ex.ifAccepted ?? {}) : undefined;
  if (answer !== undefined && stream) {
    let text = '';
    const emit = (f: string): void => {
      text += fault?.transformFrame?.(f, ctx) ?? f;
    };
    (answer.events ?? []).forEach((event, index) => {
      for (const out of fault?.transformEvent?.(event, { ...ctx, index }) ?? [event]) emit(frame(stringifyJson(out)));
    });
    emit(DONE_FRAME);
    const headers = new Headers({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    fault?.transformHeaders?.(headers, ctx);
    return { ...recorded, status: fault?.transformStatus?.(200, ctx) ?? 200, stream: text, headers: Object.fromEntries(headers) };
  }

  // A JSON answer: the body, or the failure's TGI error body with its status.
  const status = failure === null ? 200 : failure.status;
  const jctx: FaultContext = { ...ctx, status };
  const body: ExactJson = failure === null ? (answer?.body ?? null) : { error: failure.body.error, error_type: failure.body.error_type };
  let text = stringifyJson(fault?.transformResponseBody?.(body, jctx) ?? body);
  text = fault?.transformBodyText?.(text, jctx) ?? text;
  const headers = new Headers({ 'content-type': 'application/json' });
  fault?.transformHeaders?.(headers, jctx);
  const out = { ...recorded, status: fault?.transformStatus?.(status, jctx) ?? status, headers: Object.fromEntries(headers) };
  if ((headers.get('content-type') ?? '').startsWith('text/event-stream')) return { ...out, stream: text };
  const parsed = parseJson(text);
  return parsed.ok ? { ...out, response: parsed.value } : { ...out, responseText: text };
}

/** Decodes a recorded exchange with the real OpenAI decoder and applies every OpenAI check. */
export async function judge(raw: RecordedExchange): Promise<Finding[]> {
  const api = apiByName('openai');
  if (api === undefined) throw new Error('the openai API is not registered');
  const decode = await api.decoder();
  const view = decode(raw, {});
  return applyChecks(view, api.checks).findings;
}

/** `check:kind (severity)` of each finding, for messages. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.check}:${f.kind} (${f.severity})`);
}

// ── the native routes, which no OpenAI fault or quirk may touch ─────────────────────────────

const NATIVE_TOKEN = { id: 1530, text: ' Paris', logprob: -0.25, special: false };

/**
 * What each hook of `fault` changes on the native routes (`POST /generate`, `/generate_stream`,
 * `/`): a 200 body, an error body, token / final / error events, frames (a `data: [DONE]` one
 * too), headers, statuses, a validation failure and a validated request. Empty when nothing.
 */
export function nativeChanges(fault: Fault, valid?: ValidRequest): string[] {
  const changes: string[] = [];
  const same = (what: string, before: unknown, after: unknown): void => {
    if (stringifyJson(before) !== stringifyJson(after)) {
      changes.push(`${what}: ${stringifyJson(before) ?? String(before)} → ${stringifyJson(after) ?? String(after)}`);
    }
  };
  const failure: InferFailure = { rule: '12', status: 422, body: { error: 'Input validation error: `inputs` cannot be empty', error_type: 'validation' } };
  for (const [route, stream] of [['POST /generate', false], ['POST /generate_stream', true], ['POST /', false]] as const) {
    const requestHeaders = new Headers({ 'content-type': 'application/json' });
    const ctx: FaultContext = { route, stream, status: 200, requestHeaders, ...(valid ? { valid } : {}) };
    const body: ExactJson = { generated_text: ' Paris', details: { finish_reason: 'eos_token', generated_tokens: 1, seed: null, tokens: [NATIVE_TOKEN] } };
    same(`${route} body`, body, fault.transformResponseBody?.(body, ctx) ?? body);
    const error: ExactJson = failure.body as unknown as ExactJson;
    same(`${route} error body`, error, fault.transformResponseBody?.(error, { ...ctx, status: 422 }) ?? error);
    for (const status of [200, 422]) {
      const text = stringifyJson(status === 200 ? body : error);
      same(`${route} body text ${status}`, text, fault.transformBodyText?.(text, { ...ctx, status }) ?? text);
      const h = new Headers({ 'content-type': 'application/json' });
      fault.transformHeaders?.(h, { ...ctx, status });
      same(`${route} headers ${status}`, { 'content-type': 'application/json' }, Object.fromEntries(h));
    }
    const override = fault.overrideValidation?.(failure, { ...ctx, status: 422 });
    if (fault.overrideValidation && override !== failure) changes.push(`${route} overrideValidation: ${stringifyJson(override) ?? 'null'}`);
    const events: ExactJson[] = [
      { index: 1, token: NATIVE_TOKEN, top_tokens: null, generated_text: null, details: null },
      { index: 2, token: { ...NATIVE_TOKEN, id: 2, text: '</s>', special: true }, generated_text: ' Paris', details: { finish_reason: 'eos_token', generated_tokens: 2, seed: null } },
      { error: 'Input validation error: `temperature` must be strictly positive', error_type: 'validation' },
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    ];
    events.forEach((event, index) => same(`${route} event ${index}`, [event], fault.transformEvent?.(event, { ...ctx, index }) ?? [event]));
    for (const f of [`data:${stringifyJson(events[0]) ?? ''}\n\n`, DONE_FRAME, frame('{"choices":[]}')]) same(`${route} frame`, f, fault.transformFrame?.(f, ctx) ?? f);
    const headers = new Headers({ 'content-type': 'application/json', 'x-generated-tokens': '1' });
    fault.transformHeaders?.(headers, ctx);
    same(`${route} headers`, { 'content-type': 'application/json', 'x-generated-tokens': '1' }, Object.fromEntries(headers));
    for (const status of [200, 422]) same(`${route} status ${status}`, status, fault.transformStatus?.(status, { ...ctx, status }) ?? status);
    if (valid) {
      const out = fault.transformRequest?.(valid, ctx) ?? valid;
      if (out !== valid) same(`${route} request`, valid, out);
    }
  }
  return changes;
}

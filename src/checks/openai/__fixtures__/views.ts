/**
 * Test-only builders of OpenAIExchangeView, modelled on real recordings
 * (../shared/fixtures/openai-exchanges.jsonl: api.openai.com, TGI 3.x, Together), and a summary
 * of a check's outcome for table tests. Pure (compiled with the checks under `"types": []`).
 */
import type { CaseExpectation, OpenAIExchangeView, OpenAIRouteName } from '../../../core/exchange.js';
import type { Finding } from '../../../core/finding.js';
import type { ExactJson } from '../../../core/json.js';
import type { ChatCompletionRequest, CompletionRequest, OpenAIErrorInfo, OpenAIRouteKind, Usage } from '../../../core/openai.js';
import type { CheckDefinition } from '../../check.js';

export type Json = Record<string, unknown>;

const ROUTE: Record<OpenAIRouteKind, OpenAIRouteName> = {
  chat: 'POST /v1/chat/completions',
  completions: 'POST /v1/completions',
  models: 'GET /v1/models',
};

/** JSON text of a test value (bigint written as its digits, as on the wire). */
export function wire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).replace(/"(\d{16,})n?"/g, '$1');
}

/** A deep copy of plain JSON-like test data (bigint kept). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clone(v)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v as unknown)])) as T;
  }
  return value;
}

// ── requests ────────────────────────────────────────────────────────────────────────────────

export function chatRequest(extra: Json = {}): ChatCompletionRequest {
  return { model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Complete the equation one + one =' }], ...extra };
}

export function completionRequest(extra: Json = {}): CompletionRequest {
  return { model: 'gpt-3.5-turbo-instruct', prompt: 'Paris is', max_tokens: 10, ...extra };
}

/** What every view builder takes besides its body. */
export interface ViewOptions {
  status?: number;
  /** The request; `invalid: true` leaves `view.request` unset (it did not validate). */
  request?: Json;
  invalid?: boolean;
  requestInvalidReasons?: Finding[];
  expectation?: CaseExpectation;
  decodeFindings?: Finding[];
}

function base(kind: OpenAIRouteKind, streamed: boolean, options: ViewOptions, defaultRequest: Json | undefined): OpenAIExchangeView {
  const request = options.request ?? defaultRequest;
  const view: OpenAIExchangeView = {
    api: 'openai',
    kind,
    route: ROUTE[kind],
    requestBody: request === undefined ? undefined : (clone(request) as ExactJson),
    streamed,
    status: options.status ?? 200,
    requestInvalidReasons: options.requestInvalidReasons ?? [],
  };
  if (request !== undefined && options.invalid !== true) view.request = clone(request) as unknown as ChatCompletionRequest;
  if (options.expectation !== undefined) view.expectation = options.expectation;
  if (options.decodeFindings !== undefined) view.decodeFindings = options.decodeFindings;
  return view;
}

/** A reason every server rejects the request, as the contract files it. */
export function invalidReason(rule = 'messages-empty'): Finding {
  return { check: 'openai-request-rejection', severity: 'violation', kind: `reject:${rule}`, title: `the request breaks ${rule}`, message: `the request breaks ${rule}` };
}

// ── non-stream responses ────────────────────────────────────────────────────────────────────

export const OPENAI_USAGE: Usage = {
  prompt_tokens: 19,
  completion_tokens: 4,
  total_tokens: 23,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

/** api.openai.com's chat completion (recorded 2025-02), editable. */
export function chatBody(): Json {
  return {
    id: 'chatcmpl-B5Ybe7M1V7N9aqQtrjTGfSWGebrrb',
    object: 'chat.completion',
    created: 1740664366,
    model: 'gpt-3.5-turbo-0125',
    choices: [{ index: 0, message: { role: 'assistant', content: 'to two.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: clone(OPENAI_USAGE),
    service_tier: 'default',
    system_fingerprint: null,
  };
}

export function chatResponse(options: ViewOptions & { edit?: (body: Json) => void } = {}): OpenAIExchangeView {
  const view = base('chat', false, options, chatRequest());
  const body = chatBody();
  options.edit?.(body);
  view.bodyKind = 'json';
  if ((options.status ?? 200) < 300) view.response = body as never;
  return view;
}

/** An OpenAI completion (Together's shape, with OpenAI's `object`), editable. */
export function completionBody(): Json {
  return {
    id: 'cmpl-8ff411e559717015',
    object: 'text_completion',
    created: 1736421961,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: ' a city of love, and it’s also', index: 0, logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 3, completion_tokens: 10, total_tokens: 13 },
  };
}

export function completionResponse(options: ViewOptions & { edit?: (body: Json) => void } = {}): OpenAIExchangeView {
  const view = base('completions', false, options, completionRequest());
  const body = completionBody();
  options.edit?.(body);
  view.bodyKind = 'json';
  view.response = body as never;
  return view;
}

export function modelsResponse(options: ViewOptions & { edit?: (body: Json) => void } = {}): OpenAIExchangeView {
  const view = base('models', false, options, undefined);
  const body: Json = {
    object: 'list',
    data: [
      { id: 'gpt-3.5-turbo', object: 'model', created: 1677610602, owned_by: 'openai' },
      { id: 'mistralai/Mistral-7B-Instruct-v0.2', object: 'model', created: 1736953800, owned_by: 'mistralai' },
    ],
  };
  options.edit?.(body);
  view.bodyKind = 'json';
  view.response = body as never;
  return view;
}

/** An error answer: OpenAI's object by default (api.openai.com's 400 for a missing model). */
export function errorResponse(
  options: ViewOptions & { kind?: OpenAIRouteKind; streamed?: boolean; info?: OpenAIErrorInfo } = {},
): OpenAIExchangeView {
  const kind = options.kind ?? 'chat';
  const view = base(kind, options.streamed ?? false, { status: 400, ...options }, kind === 'chat' ? chatRequest() : kind === 'completions' ? completionRequest() : undefined);
  view.bodyKind = options.info?.shape === 'text' ? 'text' : 'json';
  view.error = options.info ?? { shape: 'openai', message: 'you must provide a model parameter', type: 'invalid_request_error', code: null };
  return view;
}

// ── streams ─────────────────────────────────────────────────────────────────────────────────

export interface StreamOptions extends ViewOptions {
  /** Edits the chunks before they are serialized. */
  edit?: (chunks: Json[]) => void;
  /** Adds `data: [DONE]` at the end (default true). */
  done?: boolean;
  /** An error event after the chunks (before [DONE], which is then left out unless `done: true`). */
  error?: { info?: OpenAIErrorInfo; status?: number };
  /** Raw data events appended after everything else (after [DONE]). */
  trailing?: string[];
  /** Raw data events placed before [DONE] (not chunks: `view.chunks` keeps only the JSON chunks). */
  extraData?: string[];
}

/** Serializes chunks into a stream view: eventData, chunkEvents, doneEvent, streamError. */
export function streamView(kind: OpenAIRouteKind, chunks: Json[], options: StreamOptions, defaultRequest: Json): OpenAIExchangeView {
  const view = base(kind, true, options, defaultRequest);
  options.edit?.(chunks);
  view.bodyKind = 'sse';
  const eventData = chunks.map((c) => wire(c));
  view.chunks = chunks as never;
  view.chunkEvents = chunks.map((_c, i) => i);
  for (const data of options.extraData ?? []) eventData.push(data);
  if (options.error !== undefined) {
    const info = options.error.info ?? { shape: 'openai', message: 'Request failed during generation' };
    const status = options.error.status;
    eventData.push(wire({ error: { message: info.message, ...(status === undefined ? {} : { http_status_code: status }) } }));
    view.streamError = { event: eventData.length - 1, info, ...(status === undefined ? {} : { status }) };
  }
  const done = options.done ?? options.error === undefined;
  if (done) {
    eventData.push('[DONE]');
    view.doneEvent = eventData.length - 1;
  }
  for (const data of options.trailing ?? []) eventData.push(data);
  view.eventData = eventData;
  return view;
}

export interface ChatStreamOptions extends StreamOptions {
  /** Deltas of each choice (default: api.openai.com's `role + ""`, `"two"`, `{}`). */
  deltas?: Json[];
  /** Number of choices, interleaved (default 1). */
  n?: number;
  /** The finish_reason on each choice's last chunk (default "stop"). */
  finish?: unknown;
  /** `choices: []` usage chunk at the end (include_usage). */
  usageChunk?: boolean;
  /** The `usage` key on the chunks with choices: absent (default), null, or a usage on every chunk. */
  usageOnChunks?: 'absent' | 'null' | 'every';
}

const STREAM_USAGE: Usage = { prompt_tokens: 13, completion_tokens: 1, total_tokens: 14 };

/** Header fields of a chat chunk as api.openai.com sends them (2025-01 recording). */
function chatChunkHead(): Json {
  return {
    id: 'chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK',
    object: 'chat.completion.chunk',
    created: 1736957018,
    model: 'gpt-3.5-turbo-0125',
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** A chat stream modelled on api.openai.com's: one chunk per delta per choice, the finish on each choice's last. */
export function chatStream(options: ChatStreamOptions = {}): OpenAIExchangeView {
  const deltas = options.deltas ?? [{ role: 'assistant', content: '', refusal: null }, { content: 'two' }, {}];
  const n = options.n ?? 1;
  const chunks: Json[] = [];
  deltas.forEach((delta, d) => {
    for (let index = 0; index < n; index++) {
      const chunk: Json = { ...chatChunkHead(), choices: [{ index, delta: clone(delta), logprobs: null, finish_reason: d === deltas.length - 1 ? ('finish' in options ? options.finish : 'stop') : null }] };
      if (options.usageOnChunks === 'null') chunk['usage'] = null;
      if (options.usageOnChunks === 'every') chunk['usage'] = clone(STREAM_USAGE);
      chunks.push(chunk);
    }
  });
  if (options.usageChunk === true) chunks.push({ ...chatChunkHead(), choices: [], usage: clone(STREAM_USAGE) });
  const request = chatRequest({ stream: true, ...(options.usageChunk === true ? { stream_options: { include_usage: true } } : {}), ...(n > 1 ? { n } : {}) });
  return streamView('chat', chunks, options, request);
}

/** TGI 3.x's chat stream: `id: ""`, role on every delta, `usage: null`, `system_fingerprint` set. */
export function tgiChatStream(options: StreamOptions = {}): OpenAIExchangeView {
  const words = [' The', ' answer', ' is', ' 2', '.', ''];
  const chunks: Json[] = words.map((content, i) => ({
    object: 'chat.completion.chunk',
    id: '',
    created: 1736953800 + (i > 3 ? 1 : 0),
    model: 'mistralai/Mistral-7B-Instruct-v0.2',
    system_fingerprint: '3.0.1-sha-bb9095a',
    choices: [{ index: 0, delta: { role: 'assistant', content }, logprobs: null, finish_reason: i === words.length - 1 ? 'stop' : null }],
    usage: null,
  }));
  const request = { messages: [{ role: 'user', content: 'Complete the equation 1+1= ,just the answer' }], max_tokens: 500, temperature: 0.1, seed: 0, stream: true };
  return streamView('chat', chunks, options, request);
}

/** Together's chat stream with extra keys (`text`, `seed`, `token_id`, `tool_calls: null`) and usage on the last chunk; finish "stop" unless given. */
export function togetherChatStream(options: StreamOptions & { finish?: unknown } = {}): OpenAIExchangeView {
  const head = { id: '8ff411e54b9299ab', object: 'chat.completion.chunk', created: 1736421960 };
  const chunks: Json[] = [
    { ...head, choices: [{ index: 0, text: '2', logprobs: null, finish_reason: null, seed: null, delta: { token_id: 17, role: 'assistant', content: '2', tool_calls: null } }], model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', usage: null },
    {
      ...head,
      choices: [{ index: 0, text: '', logprobs: null, finish_reason: 'finish' in options ? options.finish : 'stop', seed: 9313781139405380000n, delta: { token_id: 128009, role: 'assistant', content: '', tool_calls: null } }],
      model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      usage: { prompt_tokens: 48, completion_tokens: 2, total_tokens: 50 },
    },
  ];
  const request = { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', messages: [{ role: 'user', content: 'Complete the equation 1 + 1 = , just the answer' }], stream: true };
  return streamView('chat', chunks, options, request);
}

export interface CompletionStreamOptions extends StreamOptions {
  /** Text fragments of each prompt's choice (default: three). */
  texts?: string[];
  /** Number of prompts (choices), interleaved. */
  prompts?: number;
  finish?: unknown;
  /** finish_reason on intermediate chunks (default null; TGI sends ""). */
  intermediate?: unknown;
  usageChunk?: boolean;
}

/** A /v1/completions stream as OpenAI sends it; `prompts > 1` interleaves choices by prompt index. */
export function completionStream(options: CompletionStreamOptions = {}): OpenAIExchangeView {
  const texts = options.texts ?? [' a', ' city', ' of love'];
  const prompts = options.prompts ?? 1;
  const chunks: Json[] = [];
  texts.forEach((text, t) => {
    for (let index = 0; index < prompts; index++) {
      const last = t === texts.length - 1;
      chunks.push({
        id: 'cmpl-9LMk9097xG2NSLCLTmIoq',
        object: 'text_completion',
        created: 1714879341,
        model: 'gpt-3.5-turbo-instruct',
        choices: [{ text, index, logprobs: null, finish_reason: last ? ('finish' in options ? options.finish : 'length') : (options.intermediate ?? null) }],
      });
    }
  });
  if (options.usageChunk === true) {
    chunks.push({ id: 'cmpl-9LMk9097xG2NSLCLTmIoq', object: 'text_completion', created: 1714879341, model: 'gpt-3.5-turbo-instruct', choices: [], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } });
  }
  const prompt = prompts > 1 ? Array.from({ length: prompts }, (_p, i) => `Prompt ${i}`) : 'Paris is';
  const request = completionRequest({ prompt, stream: true, ...(options.usageChunk === true ? { stream_options: { include_usage: true } } : {}) });
  return streamView('completions', chunks, options, request);
}

// ── outcomes ────────────────────────────────────────────────────────────────────────────────

export type Want = 'skip' | readonly string[];

/**
 * Runs a check and summarises the outcome as `skip` or `severity:kind` strings. Findings that
 * break the finding contract add a `shape: …` entry (undeclared kinds are allowed only for
 * findings the decoder filed, which the check returns as they are).
 */
export function outcome(check: CheckDefinition<OpenAIExchangeView>, view: OpenAIExchangeView): Want {
  const result = check.run(view);
  if ('skip' in result) return typeof result.skip === 'string' && result.skip !== '' ? 'skip' : ['shape: empty skip reason'];
  const decoded = new Set(view.decodeFindings ?? []);
  const out: string[] = [];
  for (const f of result) {
    out.push(`${f.severity}:${f.kind}`);
    if (f.check !== check.id) out.push(`shape: check ${f.check}`);
    if (decoded.has(f)) continue;
    const declared = check.kinds?.[f.kind];
    if (declared === undefined) out.push(`shape: undeclared kind ${f.kind}`);
    else if (declared.severity !== f.severity || declared.title !== f.title) out.push(`shape: ${f.kind} differs from its declaration`);
    if (f.message === '' || f.title === '') out.push('shape: empty message or title');
    if (f.pointer !== undefined && !f.pointer.startsWith('/')) out.push(`shape: pointer ${f.pointer}`);
    const events = view.eventData?.length ?? 0;
    if (view.streamed && events > 0 && f.event !== undefined && (f.event < 0 || f.event >= events)) out.push(`shape: event ${f.event}`);
    if (!view.streamed && f.event !== undefined) out.push('shape: event on a non-stream finding');
    if (/\d{5,}/.test(f.kind)) out.push(`shape: generated value in kind ${f.kind}`);
  }
  return out;
}

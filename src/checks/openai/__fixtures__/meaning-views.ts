/**
 * Test-only builders of OpenAI-compatible exchange views for the meaning checks, modelled on the
 * api.openai.com, TGI 3.x and Together recordings in ../shared/fixtures/openai-exchanges.jsonl,
 * and a summary of a check's outcome for table tests. Pure (compiled with the checks under
 * `"types": []`): the tests read the recordings file and hand its text here.
 */
import type { OpenAIExchangeView, OpenAIRouteName } from '../../../core/exchange.js';
import { parseJson, stringifyJson, type ExactJson } from '../../../core/json.js';
import type { ChatCompletionRequest, CompletionRequest, OpenAIRouteKind } from '../../../core/openai.js';
import type { CheckDefinition, ScenarioCheck, ScenarioContext, ScenarioGroup } from '../../check.js';

export type Json = Record<string, unknown>;

// ── requests ────────────────────────────────────────────────────────────────────────────────

export function chatRequest(extra: Json = {}): ChatCompletionRequest {
  return { model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Complete the equation one + one =' }], ...extra } as ChatCompletionRequest;
}

export function completionRequest(extra: Json = {}): CompletionRequest {
  return { model: 'gpt-3.5-turbo-instruct', prompt: 'Paris is', ...extra } as CompletionRequest;
}

// ── non-stream ──────────────────────────────────────────────────────────────────────────────

export const USAGE = { prompt_tokens: 19, completion_tokens: 4, total_tokens: 23 };

export interface ChoiceSpec {
  content?: string | null;
  /** Default "stop". */
  finish?: unknown;
  logprobs?: unknown;
  toolCalls?: unknown;
  index?: unknown;
  /** Extra keys on the message (`refusal`, `reasoning_content`…) or, for completions, the choice. */
  extra?: Json;
}

export interface ViewSpec {
  /** The request; null: unknown (it did not validate). Defaults to a plain one. */
  request?: Json | null;
  choices?: ChoiceSpec[];
  /** null: no usage key. */
  usage?: Json | null;
  status?: number;
  edit?: (body: Json) => void;
}

function baseView(kind: OpenAIRouteKind, request: Json | null, streamed: boolean, status: number): OpenAIExchangeView {
  const route: OpenAIRouteName = kind === 'chat' ? 'POST /v1/chat/completions' : kind === 'completions' ? 'POST /v1/completions' : 'GET /v1/models';
  const view: OpenAIExchangeView = {
    api: 'openai',
    kind,
    route,
    requestBody: (request ?? { garbage: true }) as ExactJson,
    streamed,
    status,
    requestInvalidReasons: [],
  };
  if (request !== null) view.request = request as unknown as ChatCompletionRequest;
  return view;
}

/** A chat completion as api.openai.com sends it (refusal, service_tier, system_fingerprint null). */
export function chatView(spec: ViewSpec = {}): OpenAIExchangeView {
  const request = spec.request === undefined ? (chatRequest() as Json) : spec.request;
  const status = spec.status ?? 200;
  const view = baseView('chat', request, false, status);
  const choices = (spec.choices ?? [{ content: 'to two.' }]).map((c, i) => {
    const message: Json = { role: 'assistant', content: c.content === undefined ? 'to two.' : c.content, refusal: null, ...c.extra };
    if (c.toolCalls !== undefined) message.tool_calls = c.toolCalls;
    return { index: c.index ?? i, message, logprobs: c.logprobs ?? null, finish_reason: c.finish === undefined ? 'stop' : c.finish };
  });
  const body: Json = {
    id: 'chatcmpl-B5Ybe7M1V7N9aqQtrjTGfSWGebrrb',
    object: 'chat.completion',
    created: 1740664366,
    model: 'gpt-3.5-turbo-0125',
    choices,
    service_tier: 'default',
    system_fingerprint: null,
  };
  if (spec.usage !== null) body.usage = spec.usage ?? USAGE;
  spec.edit?.(body);
  if (status >= 200 && status < 300) view.response = body as never;
  view.bodyKind = 'json';
  return view;
}

/** A completion as OpenAI's legacy route sends it. */
export function completionView(spec: ViewSpec = {}): OpenAIExchangeView {
  const request = spec.request === undefined ? (completionRequest() as Json) : spec.request;
  const view = baseView('completions', request, false, spec.status ?? 200);
  const choices = (spec.choices ?? [{ content: ' a city of love' }]).map((c, i) => ({
    text: c.content === undefined ? ' a city of love' : c.content,
    index: c.index ?? i,
    logprobs: c.logprobs ?? null,
    finish_reason: c.finish === undefined ? 'stop' : c.finish,
    ...c.extra,
  }));
  const body: Json = { id: 'cmpl-9LMk9097xG2NSLCLTmIoq', object: 'text_completion', created: 1714879341, model: 'gpt-3.5-turbo-instruct', choices };
  if (spec.usage !== null) body.usage = spec.usage ?? { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
  spec.edit?.(body);
  view.response = body as never;
  view.bodyKind = 'json';
  return view;
}

// ── streams ─────────────────────────────────────────────────────────────────────────────────

export interface ChunkChoice {
  index?: unknown;
  delta?: Json;
  /** Completions chunks. */
  text?: string;
  /** Default null. */
  finish?: unknown;
  logprobs?: unknown;
  extra?: Json;
}

/** One chat chunk as api.openai.com sends it; `usage` adds the key. */
export function chunk(choices: ChunkChoice[], extra: Json = {}): Json {
  return {
    id: 'chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK',
    object: 'chat.completion.chunk',
    created: 1736957018,
    model: 'gpt-3.5-turbo-0125',
    service_tier: 'default',
    system_fingerprint: null,
    choices: choices.map((c) => ({
      index: c.index ?? 0,
      delta: c.delta ?? {},
      logprobs: c.logprobs ?? null,
      finish_reason: c.finish ?? null,
      ...c.extra,
    })),
    ...extra,
  };
}

/** One completions chunk. */
export function completionChunk(choices: ChunkChoice[], extra: Json = {}): Json {
  return {
    id: 'cmpl-9LMk9097xG2NSLCLTmIoq',
    object: 'text_completion',
    created: 1714879341,
    model: 'gpt-3.5-turbo-instruct',
    choices: choices.map((c) => ({ text: c.text ?? '', index: c.index ?? 0, logprobs: c.logprobs ?? null, finish_reason: c.finish ?? null, ...c.extra })),
    ...extra,
  };
}

export interface StreamSpec {
  request?: Json | null;
  chunks: Json[];
  /** Default true: a `data: [DONE]` after the chunks. */
  done?: boolean;
  /** An error event after the chunks. */
  error?: boolean;
  status?: number;
}

function streamView(kind: OpenAIRouteKind, spec: StreamSpec, defaultRequest: Json): OpenAIExchangeView {
  const request = spec.request === undefined ? defaultRequest : spec.request;
  const view = baseView(kind, request, true, spec.status ?? 200);
  view.bodyKind = 'sse';
  view.chunks = spec.chunks as never;
  view.chunkEvents = spec.chunks.map((_c, i) => i);
  view.eventData = spec.chunks.map((c) => stringifyJson(c));
  if (spec.error === true) {
    view.streamError = { event: view.eventData.length, info: { shape: 'openai', message: 'boom' }, status: 500 };
    view.eventData.push('{"error":{"message":"boom","http_status_code":500}}');
  } else if (spec.done !== false) {
    view.doneEvent = view.eventData.length;
    view.eventData.push('[DONE]');
  }
  return view;
}

export function chatStreamView(spec: StreamSpec): OpenAIExchangeView {
  return streamView('chat', spec, { ...(chatRequest() as Json), stream: true });
}

export function completionStreamView(spec: StreamSpec): OpenAIExchangeView {
  return streamView('completions', spec, { ...(completionRequest() as Json), stream: true });
}

export interface ContentStreamOptions {
  finish?: unknown;
  /** Adds a final `choices: []` chunk with this usage. */
  usage?: Json;
  /** Per content part: its chunk choice's logprobs. */
  logprobs?: (i: number) => unknown;
  index?: unknown;
}

/** OpenAI's chat stream: a role chunk with content "", one chunk per part, an empty delta with finish_reason. */
export function openaiChunks(parts: readonly string[], options: ContentStreamOptions = {}): Json[] {
  const index = options.index ?? 0;
  const chunks = [chunk([{ index, delta: { role: 'assistant', content: '', refusal: null } }])];
  parts.forEach((content, i) => chunks.push(chunk([{ index, delta: { content }, logprobs: options.logprobs?.(i) ?? null }])));
  chunks.push(chunk([{ index, delta: {}, finish: options.finish ?? 'stop' }]));
  if (options.usage !== undefined) chunks.push(chunk([], { usage: options.usage }));
  return chunks;
}

/** TGI 3.x's chat stream: every delta repeats the role, `usage: null`, a last delta with content "". */
export function tgiChunks(parts: readonly string[], options: ContentStreamOptions = {}): Json[] {
  const tgi = (choice: ChunkChoice, usage: Json | null = null): Json => ({
    ...chunk([choice], { usage }),
    id: '',
    model: 'mistralai/Mistral-7B-Instruct-v0.2',
    system_fingerprint: '3.0.1-sha-bb9095a',
  });
  const chunks = parts.map((content, i) => tgi({ delta: { role: 'assistant', content }, logprobs: options.logprobs?.(i) ?? null }));
  chunks.push(tgi({ delta: { role: 'assistant', content: '' }, finish: options.finish ?? 'stop' }));
  if (options.usage !== undefined) chunks.push({ ...tgi({}, options.usage), choices: [] });
  return chunks;
}

/** Together's chat stream: choice extra `text` and `seed`, delta `token_id`, usage on the last chunk. */
export function togetherChunks(parts: readonly string[], finish: unknown = 'stop'): Json[] {
  return parts.map((content, i) => {
    const last = i === parts.length - 1;
    return chunk(
      [
        {
          delta: { token_id: 17 + i, role: 'assistant', content, tool_calls: null },
          finish: last ? finish : null,
          extra: { text: content, seed: last ? 1393972248824334000 : null },
        },
      ],
      { id: '9026bb179b36d161', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', usage: last ? { prompt_tokens: 48, completion_tokens: parts.length, total_tokens: 48 + parts.length } : null },
    );
  });
}

// ── logprobs ────────────────────────────────────────────────────────────────────────────────

const encoder = (s: string): number[] => {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
};

/** An OpenAI chat logprobs entry: bytes, `top` alternatives (the token itself first). */
export function entry(token: string, logprob = -0.25, top = 0, extra: Json = {}): Json {
  const alternatives = Array.from({ length: top }, (_x, j) => ({ token: j === 0 ? token : `${token}${j}`, logprob: logprob - j, bytes: encoder(j === 0 ? token : `${token}${j}`) }));
  return { token, logprob, bytes: encoder(token), top_logprobs: alternatives, ...extra };
}

/** TGI's entry: no bytes. */
export function tgiEntry(token: string, logprob = -0.25): Json {
  return { token, logprob, top_logprobs: [] };
}

export const chatLogprobs = (entries: Json[]): Json => ({ content: entries, refusal: null });

/** Completions-style logprobs for tokens. */
export function completionLogprobs(tokens: string[], values?: (number | null)[], top?: (Json | null)[]): Json {
  let offset = 0;
  return {
    tokens,
    token_logprobs: values ?? tokens.map(() => -0.5),
    top_logprobs: top ?? tokens.map((t) => ({ [t]: -0.5 })),
    text_offset: tokens.map((t) => {
      const at = offset;
      offset += t.length;
      return at;
    }),
  };
}

// ── tool calls ──────────────────────────────────────────────────────────────────────────────

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather at a place',
    parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['location'], additionalProperties: false },
  },
};

export const TIME_TOOL = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };

export function strictTool(tool: Json): Json {
  return { ...tool, function: { ...(tool.function as Json), strict: true } };
}

export function toolCall(name: string, args: unknown, id = 'call_abc123'): Json {
  return { id, type: 'function', function: { name, arguments: args } };
}

// ── outcomes ────────────────────────────────────────────────────────────────────────────────

export type Want = 'skip' | readonly string[];

function findingShape(view: OpenAIExchangeView | undefined, check: { id: string; kinds?: CheckDefinition['kinds'] }, findings: readonly { check: string; severity: string; kind: string; title: string; message: string; pointer?: string; event?: number }[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.severity}:${f.kind}`);
    if (f.check !== check.id) out.push(`shape: check ${f.check}`);
    const declared = check.kinds?.[f.kind];
    if (check.kinds !== undefined) {
      if (declared === undefined) out.push(`shape: undeclared kind ${f.kind}`);
      else if (declared.severity !== f.severity || declared.title !== f.title) out.push(`shape: ${f.kind} differs from its declaration`);
    }
    if (f.message === '' || f.title === '') out.push('shape: empty message or title');
    if (f.pointer !== undefined && !f.pointer.startsWith('/')) out.push(`shape: pointer ${f.pointer}`);
    if (view !== undefined) {
      const events = view.eventData?.length ?? 0;
      if (view.streamed && f.event === undefined) out.push('shape: stream finding without event');
      if (view.streamed && f.event !== undefined && (f.event < 0 || f.event >= events)) out.push(`shape: event ${f.event}`);
      if (!view.streamed && f.event !== undefined) out.push('shape: event on a non-stream finding');
    }
    if (/\d{3,}/.test(f.kind)) out.push(`shape: generated value in kind ${f.kind}`);
  }
  return out;
}

/** Runs a check and summarises the outcome as `skip` or `severity:kind` strings (`shape: …` for a broken finding). */
export function outcomeOf(check: CheckDefinition<OpenAIExchangeView>, view: OpenAIExchangeView): Want {
  const result = check.run(view);
  if ('skip' in result) return typeof result.skip === 'string' && result.skip !== '' ? 'skip' : ['shape: empty skip reason'];
  return findingShape(view, check, result);
}

/** The same for a scenario check over one group. */
export function scenarioOutcomeOf(check: ScenarioCheck<OpenAIExchangeView>, group: ScenarioGroup, views: readonly OpenAIExchangeView[]): Want {
  const result = check.assess(group, views);
  if ('skip' in result) return typeof result.skip === 'string' && result.skip !== '' ? 'skip' : ['shape: empty skip reason'];
  return findingShape(undefined, check, result);
}

export const CONTEXT: ScenarioContext = {
  api: 'openai',
  model: 'gpt-4o-mini',
  seed: 1234,
  maxExamples: 10,
  limits: { maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048 },
  grammarSupported: true,
};

// ── recordings ──────────────────────────────────────────────────────────────────────────────

export interface RecordedView {
  name: string;
  knownDeviation?: string;
  view: OpenAIExchangeView;
}

const ROUTE_KINDS: Record<string, OpenAIRouteKind> = {
  'POST /v1/chat/completions': 'chat',
  'POST /v1/completions': 'completions',
  'GET /v1/models': 'models',
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The recordings as views, with a naive decoder: no schema validation (harsher on the checks than
 * the real decoder), SSE split on blank lines, error events told by an `error` key.
 */
export function recordedViews(text: string): RecordedView[] {
  const out: RecordedView[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    if (!parsed.ok || !isObject(parsed.value)) throw new Error(`line ${i + 1} is not a JSON object`);
    const r = parsed.value;
    const kind = ROUTE_KINDS[String(r.route)] ?? 'chat';
    const request = isObject(r.request) ? r.request : null;
    const status = typeof r.status === 'number' ? r.status : 0;
    const streamed = typeof r.stream === 'string';
    const view = baseView(kind, request, streamed, status);
    if (streamed) {
      view.bodyKind = 'sse';
      const data: string[] = [];
      for (const block of String(r.stream).replace(/\r\n?/g, '\n').split(/\n\n+/)) {
        const lines = block.split('\n').filter((l) => l.startsWith('data:'));
        if (lines.length > 0) data.push(lines.map((l) => l.slice(l.startsWith('data: ') ? 6 : 5)).join('\n'));
      }
      view.eventData = data;
      const chunks: unknown[] = [];
      const events: number[] = [];
      data.forEach((d, e) => {
        if (d === '[DONE]') {
          view.doneEvent ??= e;
          return;
        }
        const p = parseJson(d);
        if (!p.ok) return;
        if (isObject(p.value) && 'error' in p.value) {
          view.streamError ??= { event: e, info: { shape: 'other' } };
          return;
        }
        chunks.push(p.value);
        events.push(e);
      });
      view.chunks = chunks as never;
      view.chunkEvents = events;
    } else if (r.response !== undefined) {
      view.bodyKind = 'json';
      if (status >= 200 && status < 300) view.response = r.response as never;
      else view.error = { shape: 'other' };
    } else {
      view.bodyKind = 'text';
      view.error = { shape: 'text' };
    }
    const rec: RecordedView = { name: `${i + 1}: ${String(r.provider)} ${String(r.route)} ${status}${streamed ? ' stream' : ''}`, view };
    if (typeof r.known_deviation === 'string') rec.knownDeviation = r.known_deviation;
    out.push(rec);
  });
  return out;
}

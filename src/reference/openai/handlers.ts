/**
 * The OpenAI-compatible routes of the reference server, served beside TGI's native ones (as TGI
 * does, router/src/server.rs): `GET /v1/models`, `POST /v1/chat/completions`,
 * `POST /v1/completions`, on the same simulated model, permits and options.
 *
 * Fault hook points (src/reference/faults/fault.ts), in the order a request meets them. `ctx.route`
 * is `POST /v1/chat/completions`, `POST /v1/completions` or `GET /v1/models`; `ctx.stream` is the
 * request's `stream` once the body was read (false before); `ctx.status` the status the faithful
 * server answers with; `ctx.openai` the deserialized request once there is one.
 *  1. transformRequestHeaders(headers, ctx)  the request's headers, before anything reads them.
 *  2. authorize(allowed, ctx)                only with an api key: `Authorization: Bearer <key>`
 *                                            (case-insensitive, as TGI); 401 otherwise.
 *  3. transformRequestText(text, ctx)        the raw body text, before it is parsed.
 *  4. overrideValidation(failure, ctx)       each failing validation rule (OpenAI rules `openai:*`
 *                                            of openai/validate.ts, then TGI's 3–19 with their
 *                                            ids): return null to accept the request anyway.
 *                                            Body rejections (415/413/400/text-plain 422) are not
 *                                            overridable, as on the native routes.
 *  5. transformRequest(valid, ctx)           the native ValidRequest of each choice (ctx.choice),
 *                                            seed included, before generation.
 *  6. transformResponseBody(body, ctx)       the whole JSON body of every non-stream answer: the
 *     transformBodyText(text, ctx)           completion, the model list, every error (then its text).
 *  7. transformEventSource(events, ctx)      wraps the async iterable of a stream's event JSONs
 *                                            (chunks, the usage chunk; ctx.signal fires when the
 *                                            client goes).
 *  8. transformEvent(event, ctx)             each event JSON (ctx.index: its position in the
 *                                            source), returning zero or more events.
 *  9. transformFrame(frame, ctx)             each raw SSE frame (`data: {…}\n\n`), the keep-alive
 *                                            comments and the final `data: [DONE]\n\n`; '' drops it.
 * 10. transformHeaders(headers, ctx)         the response headers (every answer).
 * 11. transformStatus(status, ctx)           the status (every answer).
 * Not called on these routes: loadingMs (hf profile), rejectRequest and streamFailureAsStatus
 * (typed for the native request; a validation failure here is always a status before the
 * stream, so a fault that moves it into a 200 stream uses transformStatus, transformHeaders and
 * transformBodyText).
 *
 * Errors: TGI's `{error, error_type}` with TGI's statuses (422 validation, 429 overloaded) and
 * text/plain pre-handler rejections; with profile `openai`, OpenAI's `{error: {message, type,
 * param, code}}` (code: the rule id) with 400 for validation and for bodies that do not parse.
 * A validation error of a `stream: true` request is a 4xx status before the stream (the
 * conformant behaviour, verdict-policy), never an event inside a 200.
 */
import { http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';
import type { ExactJson } from '../../core/json.js';
import { parseJson, stringifyJson } from '../../core/json.js';
import type { Finding } from '../../core/finding.js';
import { loadOpenAIContract } from '../../contract/openai/contract.js';
import { authFinding, CLIENT_FINDINGS_HEADER, findingLogLine, findingsHeaderValue } from '../check-client.js';
import type { Fault, FaultContext } from '../faults/fault.js';
import { samplingSeed, timedSteps } from '../inference.js';
import type { InferenceOptions } from '../inference.js';
import { generate } from '../model/index.js';
import type { GenerationStep } from '../model/index.js';
import type { ResolvedReferenceOptions } from '../options.js';
import { ruleFailure, VALIDATION_RULES } from '../validation.js';
import type { InferFailure, ValidRequest } from '../validation.js';
import { deserializeOpenAIBody } from './request.js';
import type { OpenAIBodyResult, OpenAIRequestIn, OpenAIRouteKind } from './request.js';
import {
  chatCompletionJson,
  chatLogprobEntry,
  chunkJson,
  completionJson,
  completionLogprobs,
  DONE_FRAME,
  errorJson,
  modelListJson,
  openaiMessageError,
  sseFrame,
} from './responses.js';
import type { AnswerHead, ChatChoiceOut, CompletionChoiceOut, JsonObject, ToolCallOut } from './responses.js';
import { failureParam, NO_TOOL, OPENAI_RULES, planOpenAIRequest } from './validate.js';
import type { ChoicePlan, OpenAIPlan } from './validate.js';

/** One hook point, for the faults engineer: which Fault hook, and when it runs on these routes. */
export interface OpenAIHookPoint {
  hook: keyof Fault;
  when: string;
}

export const OPENAI_HOOK_POINTS: readonly OpenAIHookPoint[] = [
  { hook: 'transformRequestHeaders', when: 'the request headers, first (ctx.stream false: the body is not read yet)' },
  { hook: 'authorize', when: 'with an api key: the Bearer comparison\'s verdict (401 otherwise; profile openai: a JSON 401)' },
  { hook: 'transformRequestText', when: 'the raw request body text, before it is parsed (POST routes)' },
  { hook: 'overrideValidation', when: 'each failing validation rule, `openai:*` ids then TGI\'s; null accepts the request anyway' },
  { hook: 'transformRequest', when: 'the native ValidRequest of each choice (ctx.choice, ctx.valid), before generation' },
  { hook: 'transformResponseBody', when: 'the JSON body of every non-stream answer: completion, model list, error' },
  { hook: 'transformBodyText', when: 'the serialised text of every JSON body' },
  { hook: 'transformEventSource', when: 'wraps the async iterable of a stream\'s event JSONs (ctx.signal)' },
  { hook: 'transformEvent', when: 'each stream event JSON (chunks, the usage chunk); returns zero or more events (ctx.index)' },
  { hook: 'transformFrame', when: 'each raw SSE frame text, keep-alives and the final `data: [DONE]\\n\\n` included; \'\' drops it' },
  { hook: 'transformHeaders', when: 'the response headers of every answer' },
  { hook: 'transformStatus', when: 'the status of every answer' },
];

/** What the OpenAI routes need of the server's shared state (handlers.ts `ServerState`). */
export interface OpenAIServerState {
  readonly o: ResolvedReferenceOptions;
  acquire(n: number): boolean;
  release(n: number): void;
}

export type OpenAIRouteName = 'POST /v1/chat/completions' | 'POST /v1/completions' | 'GET /v1/models';

const ROUTES: Record<OpenAIRouteKind, OpenAIRouteName> = {
  chat: 'POST /v1/chat/completions',
  completions: 'POST /v1/completions',
};

/** TGI's `"{version}-{docker_label or native}"`. */
const SYSTEM_FINGERPRINT = '3.3.7-native';
const KEEP_ALIVE = ':\n\n';
const encoder = new TextEncoder();

/** The handlers of the three routes (before the native catch-all). */
export function openaiHandlers(state: OpenAIServerState): HttpHandler[] {
  const base = state.o.baseUrl;
  const startedAt = Math.floor(Date.now() / 1000);
  return [
    http.get(`${base}/v1/models`, ({ request }) => handle(state, request, 'GET /v1/models', (x) => Promise.resolve(json(state, 200, modelListJson(state.o.modelId, startedAt), {}, x.ctx)))),
    http.post(`${base}/v1/chat/completions`, ({ request }) => handle(state, request, ROUTES.chat, (x) => route(state, x, 'chat'))),
    http.post(`${base}/v1/completions`, ({ request }) => handle(state, request, ROUTES.completions, (x) => route(state, x, 'completions'))),
  ];
}

/** Per-request bookkeeping. */
interface Exchange {
  request: Request;
  ctx: FaultContext;
  findings: Finding[];
}

async function handle(state: OpenAIServerState, given: Request, routeName: OpenAIRouteName, fn: (x: Exchange) => Promise<Response>): Promise<Response> {
  const fault = state.o.fault;
  let request = given;
  if (fault?.transformRequestHeaders) {
    const headers = new Headers(request.headers);
    fault.transformRequestHeaders(headers, { route: routeName, stream: false, status: 200, requestHeaders: request.headers });
    request = new Request(request, { headers });
  }
  const x: Exchange = { request, ctx: { route: routeName, stream: false, status: 200, requestHeaders: request.headers }, findings: [] };
  const authorization = request.headers.get('authorization');
  const apiKey = state.o.apiKey;
  let allowed = apiKey === undefined || (authorization !== null && authorization.toLowerCase() === `bearer ${apiKey}`.toLowerCase());
  if (apiKey !== undefined && fault?.authorize) {
    allowed = fault.authorize(allowed, { ...x.ctx, status: allowed ? 200 : 401, authorization });
  }
  let response: Response;
  if (!allowed) {
    x.findings.push(authFinding());
    response =
      state.o.profile === 'openai'
        ? json(state, 401, openaiMessageError('Incorrect API key provided', 401, 'invalid_api_key'), {}, x.ctx)
        : withHooks(state, new HttpResponse(null, { status: 401 }), { ...x.ctx, status: 401 }); // TGI: an empty 401
  } else {
    response = await fn(x);
  }
  if (state.o.checkClient) {
    response.headers.set(CLIENT_FINDINGS_HEADER, findingsHeaderValue(x.findings));
    for (const f of x.findings) state.o.log(findingLogLine(routeName, f));
  }
  return response;
}

/** transformHeaders and transformStatus on an answer built elsewhere. */
function withHooks(state: OpenAIServerState, response: Response, ctx: FaultContext): Response {
  const fault = state.o.fault;
  if (!fault?.transformHeaders && !fault?.transformStatus) return response;
  const headers = new Headers(response.headers);
  fault.transformHeaders?.(headers, ctx);
  return new HttpResponse(response.body, { status: fault.transformStatus?.(response.status, ctx) ?? response.status, headers });
}

/** A JSON answer through transformResponseBody, transformBodyText, transformHeaders, transformStatus. */
function json(state: OpenAIServerState, status: number, body: ExactJson, headers: Record<string, string>, where: FaultContext): Response {
  const fault = state.o.fault;
  const ctx: FaultContext = { ...where, status };
  const finalBody = fault?.transformResponseBody?.(body, ctx) ?? body;
  let text = stringifyJson(finalBody);
  text = fault?.transformBodyText?.(text, ctx) ?? text;
  const h = new Headers({ 'content-type': 'application/json', ...headers });
  fault?.transformHeaders?.(h, ctx);
  return new HttpResponse(text, { status: fault?.transformStatus?.(status, ctx) ?? status, headers: h });
}

/** The status a failure is answered with: profile openai answers validation with 400. */
function failureStatus(state: OpenAIServerState, failure: InferFailure): number {
  return state.o.profile === 'openai' && failure.status === 422 ? 400 : failure.status;
}

function failureResponse(state: OpenAIServerState, failure: InferFailure, kind: OpenAIRouteKind, ctx: FaultContext): Response {
  const openaiShape = state.o.profile === 'openai';
  return json(state, failureStatus(state, failure), errorJson(failure, openaiShape, failureParam(failure, kind)), {}, ctx);
}

/** axum's pre-handler rejections: text/plain (TGI), or OpenAI's JSON object with 400 (profile openai). */
function rejectionResponse(state: OpenAIServerState, body: Extract<OpenAIBodyResult, { ok: false }>, ctx: FaultContext): Response {
  if (state.o.profile === 'openai') {
    const status = body.status === 422 ? 400 : body.status;
    return json(state, status, openaiMessageError(body.message, status, body.kind), {}, ctx);
  }
  const fctx = { ...ctx, status: body.status };
  const fault = state.o.fault;
  const h = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
  fault?.transformHeaders?.(h, fctx);
  return new HttpResponse(body.message, { status: fault?.transformStatus?.(body.status, fctx) ?? body.status, headers: h });
}

/** The body, limited and through transformRequestText, then deserialized. */
async function readOpenAIBody(state: OpenAIServerState, x: Exchange, kind: OpenAIRouteKind): Promise<OpenAIBodyResult> {
  const limit = state.o.payloadLimit;
  const declared = Number(x.request.headers.get('content-length') ?? NaN);
  const contentType = x.request.headers.get('content-type');
  if (declared > limit) return deserializeOpenAIBody(new Uint8Array(limit + 1), contentType, limit, kind);
  let bytes = new Uint8Array(await x.request.arrayBuffer());
  const hook = state.o.fault?.transformRequestText;
  if (hook) bytes = encoder.encode(hook(new TextDecoder().decode(bytes), x.ctx));
  return deserializeOpenAIBody(bytes, contentType, limit, kind);
}

/** --check-client: the body against spec/openai.yaml (schema and the rules every server applies). */
async function reportBody(state: OpenAIServerState, x: Exchange, kind: OpenAIRouteKind, body: OpenAIBodyResult): Promise<void> {
  if (!state.o.checkClient) return;
  if (!body.ok) {
    x.findings.push({ check: 'client-request', severity: 'violation', kind: body.kind, title: `request rejected with ${body.status}`, message: body.message });
    return;
  }
  const contract = await loadOpenAIContract();
  x.findings.push(...contract.request(body.request.body, kind).findings, ...contract.requestRejectReasons(body.request.body, kind));
}

function failureFinding(failure: InferFailure): Finding {
  const own = Object.entries(OPENAI_RULES).find(([, r]) => r.id === failure.rule)?.[0];
  const name = own ?? VALIDATION_RULES.find((r) => r.id === failure.rule)?.name ?? failure.rule;
  return { check: 'client-request', severity: 'violation', kind: name, title: `request breaks validation rule ${failure.rule}`, message: failure.body.error };
}

function randomHex(bytes: number): string {
  const words = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(words);
  return Array.from(words, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function route(state: OpenAIServerState, x: Exchange, kind: OpenAIRouteKind): Promise<Response> {
  const body = await readOpenAIBody(state, x, kind);
  await reportBody(state, x, kind, body);
  if (!body.ok) return rejectionResponse(state, body, x.ctx);
  const req = body.request;
  const ctx: FaultContext = { ...x.ctx, stream: req.stream, openai: req };
  const fault = state.o.fault;
  const planned = planOpenAIRequest(req, {
    limits: state.o,
    stream: req.stream,
    ...(fault?.overrideValidation ? { decide: (failure: InferFailure) => fault.overrideValidation?.(failure, ctx) ?? null } : {}),
    ...(fault?.transformRequest
      ? { transformChoice: (valid: ValidRequest, choice: number) => fault.transformRequest?.(valid, { ...ctx, valid, choice }) ?? valid }
      : {}),
  });
  if (!planned.ok) {
    if (state.o.checkClient) x.findings.push(failureFinding(planned.failure));
    return failureResponse(state, planned.failure, kind, ctx);
  }
  const plan = planned.plan;
  const permits = plan.choices.length;
  if (!state.acquire(permits)) return failureResponse(state, ruleFailure('o'), kind, ctx);
  let released = false;
  const release = (): void => {
    if (!released) state.release(permits);
    released = true;
  };
  const head: AnswerHead = {
    id: `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomHex(12)}`,
    created: Math.floor(Date.now() / 1000),
    model: req.model !== null && req.model !== '' && req.model !== 'tgi' ? req.model : state.o.modelId,
    systemFingerprint: SYSTEM_FINGERPRINT,
  };
  if (req.stream) return streamAnswer(state, x, plan, head, ctx, release);
  try {
    return await jsonAnswer(state, x, plan, head, ctx);
  } catch (e) {
    if (x.request.signal.aborted) return new HttpResponse(null, { status: 499 }); // the client is gone
    throw e;
  } finally {
    release();
  }
}

// ── generation of one choice ─────────────────────────────────────────────────────────────────

/** One step of a choice, as the answer reports it. */
interface ChoiceEvent {
  step: GenerationStep;
  /** Text for the content (text and JSON modes): what this step makes visible. */
  content: string | null;
  /** Tool mode: the call (on the first step) and the argument text this step makes visible. */
  tool: { call: ToolCallOut | null; arguments: string } | null;
  /** Set on the last step: stop, length or tool_calls. */
  finishReason: string | null;
}

/** The longest proper prefix of a stop string that `text` ends with: held back in a stream. */
function heldBack(text: string, stops: readonly string[]): number {
  let hold = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

/**
 * Where the first stop string starts in `text`, or -1. OpenAI ends the content at the first
 * occurrence of a stop string, wherever a token put it: a token `"\n\n"` with stop `"\n"` ends
 * the choice after what came before it, though TGI's criterion (the output *ends with* a stop
 * string) would go on. The content never holds a stop string (TGI keeps the one that ended it).
 */
function firstStop(text: string, stops: readonly string[]): number {
  let at = -1;
  for (const s of stops) {
    if (s === '') continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/** `eos_token` and `stop_sequence` are `stop` on these routes; a tool call that ended is `tool_calls`. */
function finishOf(native: string, tool: boolean): string {
  if (native === 'length') return 'length';
  return tool ? 'tool_calls' : 'stop';
}

const PROBE_TOKENS = 1 << 16;

/** In tool mode, which tool the grammar draws for this choice (TGI's `no_tool` means: answer in text). */
function drawnTool(valid: ValidRequest, seed: bigint | null): string | undefined {
  const probe = generate({
    inputIds: valid.inputIds,
    maxNewTokens: PROBE_TOKENS,
    stop: [],
    warp: valid.warp,
    seed,
    topNTokens: 0,
    grammar: valid.grammar,
  });
  const parsed = parseJson(probe.generatedText);
  const name = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value) ? parsed.value['name'] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Runs one choice, step by step. Text mode holds back what may be the start of a stop string and
 * strips the stop string at the end, so the concatenated content equals the non-stream content.
 * Tool mode: the grammar's output is `{"name":"<tool>","arguments":{…}}`; the call's name is
 * known ahead (the grammar's draw for this seed), the argument text is what follows the prefix,
 * the wrapper's closing brace held back and dropped. `auto` drawing `no_tool` regenerates the
 * choice as text without the grammar (as TGI does).
 */
async function* runChoice(plan: OpenAIPlan, cp: ChoicePlan, opts: InferenceOptions): AsyncGenerator<ChoiceEvent, void, void> {
  let valid = cp.valid;
  const seed = samplingSeed(valid, opts, cp.index);
  const stops = plan.request.stop;
  let toolName: string | undefined;
  if (plan.mode.kind === 'tools' && valid.grammar !== null) {
    toolName = drawnTool(valid, seed);
    if (toolName === NO_TOOL || toolName === undefined) {
      toolName = undefined;
      valid = { ...valid, grammar: null, stop: stops };
    }
  }
  const textStops = toolName === undefined && valid.grammar === null ? valid.stop : [];
  const prefix = toolName === undefined ? '' : `{"name":${JSON.stringify(toolName)},"arguments":`;
  const callId = `call_${randomHex(12)}`;
  let raw = '';
  let emitted = 0;
  let first = true;
  for await (const step of timedSteps(valid, seed, opts)) {
    if (!step.token.special) raw += step.token.text;
    const finish = step.finishReason;
    if (toolName === undefined) {
      const stopAt = firstStop(raw, textStops);
      const final = finish !== null || stopAt >= 0;
      const visible = stopAt >= 0 ? raw.slice(0, stopAt) : final ? raw : raw.slice(0, raw.length - heldBack(raw, textStops));
      const content = visible.slice(emitted);
      emitted = Math.max(emitted, visible.length);
      yield { step, content, tool: null, finishReason: final ? (stopAt >= 0 ? 'stop' : finishOf(finish ?? 'length', false)) : null };
      if (final) return;
      first = false;
      continue;
    }
    const final = finish !== null;
    {
      let args = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw.length < prefix.length ? '' : raw;
      // The wrapper's closing brace is held back while the call goes on, and dropped at its end:
      // also when `length` cut the generation exactly after it (the wrapper parses whole).
      const whole = final && args.endsWith('}') && (finish !== 'length' || parseJson(raw).ok);
      if (final ? whole : args.endsWith('}')) args = args.slice(0, -1);
      const fragment = args.slice(emitted);
      emitted = Math.max(emitted, args.length);
      const call = first ? { id: callId, name: toolName, arguments: '' } : null;
      yield { step, content: null, tool: { call, arguments: fragment }, finishReason: final ? finishOf(finish, true) : null };
    }
    first = false;
  }
}

function inferenceOptions(state: OpenAIServerState, signal: AbortSignal): InferenceOptions {
  return { latencyMs: state.o.latencyMs, randomSeed: state.o.randomSeed, samplingSeed: state.o.samplingSeed, signal };
}

function logprobsAsked(req: OpenAIRequestIn): boolean {
  return req.kind === 'chat' ? req.logprobs : req.logprobs !== null;
}

function topK(req: OpenAIRequestIn): number {
  return req.kind === 'chat' ? Number(req.top_logprobs ?? 0n) : Number(req.logprobs ?? 0n);
}

// ── non-stream ───────────────────────────────────────────────────────────────────────────────

interface Collected {
  cp: ChoicePlan;
  content: string;
  tool: ToolCallOut | null;
  steps: GenerationStep[];
  finishReason: string;
}

async function collect(plan: OpenAIPlan, cp: ChoicePlan, opts: InferenceOptions): Promise<Collected> {
  const out: Collected = { cp, content: '', tool: null, steps: [], finishReason: 'length' };
  for await (const e of runChoice(plan, cp, opts)) {
    out.steps.push(e.step);
    if (e.content !== null) out.content += e.content;
    if (e.tool) {
      if (e.tool.call) out.tool = { ...e.tool.call };
      if (out.tool) out.tool.arguments += e.tool.arguments;
    }
    if (e.finishReason !== null) out.finishReason = e.finishReason;
  }
  return out;
}

async function jsonAnswer(state: OpenAIServerState, x: Exchange, plan: OpenAIPlan, head: AnswerHead, ctx: FaultContext): Promise<Response> {
  const opts = inferenceOptions(state, x.request.signal);
  const results = await Promise.all(plan.choices.map((cp) => collect(plan, cp, opts)));
  const usage = { prompt: plan.promptTokens, completion: results.reduce((sum, r) => sum + r.steps.length, 0) };
  const req = plan.request;
  const asked = logprobsAsked(req);
  const k = topK(req);
  let body: JsonObject;
  if (req.kind === 'chat') {
    const choices: ChatChoiceOut[] = results.map((r) => ({
      index: r.cp.index,
      content: r.tool ? null : r.content,
      toolCall: r.tool,
      logprobs: asked ? r.steps.map((s) => chatLogprobEntry(s, k)) : null,
      finishReason: r.finishReason,
    }));
    body = chatCompletionJson(head, choices, usage);
  } else {
    const choices: CompletionChoiceOut[] = results.map((r) => ({
      index: r.cp.index,
      text: r.content,
      logprobs: asked ? completionLogprobs(r.steps, k, 0) : null,
      finishReason: r.finishReason,
    }));
    body = completionJson(head, choices, usage);
  }
  return json(state, 200, body, {}, { ...ctx, status: 200 });
}

// ── stream ───────────────────────────────────────────────────────────────────────────────────

/** Awaits `pending`, calling `beat` every `ms` until it settles (axum's KeepAlive). */
async function withKeepAlive<T>(pending: Promise<T>, ms: number, beat: () => void): Promise<T> {
  const timer = setInterval(beat, ms);
  try {
    return await pending;
  } finally {
    clearInterval(timer);
  }
}

function streamAnswer(state: OpenAIServerState, x: Exchange, plan: OpenAIPlan, head: AnswerHead, ctx: FaultContext, release: () => void): Response {
  const fault = state.o.fault;
  const abort = new AbortController();
  const onClientGone = (): void => abort.abort(new Error('client disconnected'));
  x.request.signal.addEventListener('abort', onClientGone, { once: true });
  const req = plan.request;
  const asked = logprobsAsked(req);
  const k = topK(req);
  const object = req.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const usageOption = { include: req.includeUsage, value: null };

  function choiceJson(cp: ChoicePlan, e: ChoiceEvent, first: boolean, offset: number): ExactJson {
    if (req.kind === 'completions') {
      return { index: cp.index, text: e.content ?? '', logprobs: asked ? completionLogprobs([e.step], k, offset) : null, finish_reason: e.finishReason };
    }
    const delta: JsonObject = first ? { role: 'assistant' } : {};
    if (e.tool) {
      const call = e.tool.call;
      delta.tool_calls = [
        call ? { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: e.tool.arguments } } : { index: 0, function: { arguments: e.tool.arguments } },
      ];
    } else {
      delta.content = e.content ?? '';
    }
    return { index: cp.index, delta, logprobs: asked ? { content: [chatLogprobEntry(e.step, k)], refusal: null } : null, finish_reason: e.finishReason };
  }

  // n choices interleaved: one step of each running choice per round, in index order.
  async function* events(): AsyncGenerator<ExactJson, void, void> {
    const opts = inferenceOptions(state, abort.signal);
    const runners = plan.choices.map((cp) => ({ cp, it: runChoice(plan, cp, opts), first: true, done: false, offset: 0 }));
    let completion = 0;
    try {
      for (;;) {
        const active = runners.filter((r) => !r.done);
        if (active.length === 0) break;
        const nexts = await Promise.all(active.map((r) => r.it.next()));
        for (const [i, r] of active.entries()) {
          const next = nexts[i];
          if (!next || next.done) {
            r.done = true;
            continue;
          }
          completion++;
          const chunk = chunkJson(head, object, [choiceJson(r.cp, next.value, r.first, r.offset)], usageOption);
          r.first = false;
          r.offset += next.value.content?.length ?? 0;
          yield chunk;
        }
      }
      if (req.includeUsage) yield chunkJson(head, object, [], { include: true, value: { prompt: plan.promptTokens, completion } });
    } finally {
      release();
      x.request.signal.removeEventListener('abort', onClientGone);
      await Promise.all(runners.map((r) => r.it.return(undefined).catch(() => undefined)));
    }
  }

  const sctx: FaultContext = { ...ctx, status: 200 };
  const source = fault?.transformEventSource?.(events(), { ...sctx, signal: abort.signal }) ?? events();
  const iterator = source[Symbol.asyncIterator]();
  let index = 0;
  let finished = false;
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, frame: string): boolean => {
    const text = fault?.transformFrame?.(frame, sctx) ?? frame;
    if (text !== '') controller.enqueue(encoder.encode(text));
    return text !== '';
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      try {
        // A pull that enqueues nothing is not called again: go on until a frame is out (a fault
        // may drop events and frames) or the stream ends.
        for (let sent = false; !sent; ) {
          const next = await withKeepAlive(iterator.next(), state.o.keepAliveMs, () => emit(controller, KEEP_ALIVE));
          if (next.done) {
            finished = true;
            emit(controller, DONE_FRAME);
            controller.close();
            return;
          }
          for (const event of fault?.transformEvent?.(next.value, { ...sctx, index }) ?? [next.value]) {
            if (emit(controller, sseFrame(event))) sent = true;
          }
          index++;
        }
      } catch (e) {
        finished = true;
        release();
        if (!abort.signal.aborted) controller.error(e);
        else {
          try {
            controller.close();
          } catch {
            // already cancelled by the consumer
          }
        }
      }
    },
    async cancel() {
      abort.abort(new Error('stream cancelled'));
      release();
      await iterator.return?.(undefined).catch(() => undefined);
    },
  });
  const headers = new Headers({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  fault?.transformHeaders?.(headers, sctx);
  return new HttpResponse(body, { status: fault?.transformStatus?.(200, sctx) ?? 200, headers });
}

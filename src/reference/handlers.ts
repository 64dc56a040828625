/**
 * The reference server as msw request handlers: TGI's routes and rules, with the OpenAI-compatible
 * routes beside them (profiles `tgi` and `openai`, the latter with OpenAI's error bodies on those
 * routes), or the seed document's single endpoint (profile `hf`), over the simulated model. Used in-process with
 * msw's setupServer, and over a real port by server.ts.
 */
import { http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';
import type { ExactJson } from '../core/json.js';
import { stringifyJson } from '../core/json.js';
import type { Finding } from '../core/finding.js';
import {
  authFinding,
  bodyFindings,
  booleanHeaderFinding,
  CLIENT_FINDINGS_HEADER,
  findingLogLine,
  findingsHeaderValue,
} from './check-client.js';
import type { FaultContext } from './faults/fault.js';
import { delay, meanLogprob, runSequence, samplingSeed, timedSteps } from './inference.js';
import type { InferenceOptions, Sequence } from './inference.js';
import { exactU64, prefillTokens } from './model/index.js';
import { resolveReferenceOptions } from './options.js';
import type { ReferenceServerOptions, ResolvedReferenceOptions } from './options.js';
import { readRequestBody } from './request-body.js';
import type { BodyResult, RequestStruct, TypedRequest } from './request-body.js';
import {
  errorJson,
  generateHeaders,
  generateResponseJson,
  sseFrame,
  streamEventJson,
  streamHeaders,
} from './responses.js';
import { generationFailure, preValidate, ruleFailure, validateRequest } from './validation.js';
import { openaiHandlers } from './openai/handlers.js';
import type { InferFailure, ValidationContext } from './validation.js';

/** The routes a generate request can come by. */
type GenerateKind = 'generate' | 'generate_stream' | 'compat' | 'hf';

const ROUTE_NAMES: Record<GenerateKind, string> = {
  generate: 'POST /generate',
  generate_stream: 'POST /generate_stream',
  compat: 'POST /',
  hf: 'POST /models/{id}',
};

const CACHE_SIZE = 256;
const encoder = new TextEncoder();

interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** Mutable state shared by one set of handlers: permits, start time, the hf cache. */
class ServerState {
  readonly o: ResolvedReferenceOptions;
  readonly startedAt = performance.now();
  readonly cache = new Map<string, CachedResponse>();
  private inFlight = 0;

  constructor(o: ResolvedReferenceOptions) {
    this.o = o;
  }

  /** TGI's semaphore `try_acquire` (infer/mod.rs:115): never waits. */
  acquire(n: number): boolean {
    if (this.inFlight + n > this.o.maxConcurrentRequests) return false;
    this.inFlight += n;
    return true;
  }

  release(n: number): void {
    this.inFlight -= n;
  }

  loadingRemainingMs(): number {
    return Math.max(0, this.o.loadingMs - (performance.now() - this.startedAt));
  }

  remember(key: string, value: CachedResponse): void {
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, value);
  }
}

/** Per-request bookkeeping. */
interface Exchange {
  readonly request: Request;
  readonly route: string;
  readonly findings: Finding[];
}

function isTrue(value: string | null): boolean {
  return value !== null && /^(true|1)$/i.test(value.trim());
}

function isFalse(value: string | null): boolean {
  return value !== null && /^(false|0)$/i.test(value.trim());
}

/**
 * Builds the handlers. Each call has its own state (concurrency, hf loading clock and cache).
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * const server = setupServer(...createHandlers({ baseUrl: 'http://tgi.test' }));
 * server.listen({ onUnhandledRequest: 'bypass' });
 * await fetch('http://tgi.test/generate', { method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 5 } }) });
 * ```
 */
export function createHandlers(options: ReferenceServerOptions = {}): HttpHandler[] {
  const state = new ServerState(resolveReferenceOptions(options));
  const base = state.o.baseUrl;
  const serve = (route: string, fn: (x: Exchange) => Promise<Response>) =>
    async ({ request }: { request: Request }): Promise<Response> => handle(state, { request, route, findings: [] }, fn);
  if (state.o.profile === 'hf') {
    return [
      http.post(`${base}/models/*`, serve(ROUTE_NAMES.hf, (x) => hfRoute(state, x))),
      http.all(`${base}/*`, () => new HttpResponse(null, { status: 404 })),
    ];
  }
  const generate = (kind: GenerateKind) => serve(ROUTE_NAMES[kind], (x) => generateRoute(state, x, kind));
  return [
    http.post(`${base}/generate`, generate('generate')),
    http.post(`${base}/generate_stream`, generate('generate_stream')),
    http.post(`${base}/`, generate('compat')),
    http.get(`${base}/info`, serve('GET /info', async (x) => json(state, 200, info(state.o), {}, { route: x.route, stream: false }))),
    http.get(`${base}/health`, serve('GET /health', async () => new HttpResponse(null, { status: 200 }))),
    http.get(`${base}/`, serve('GET /', async () => new HttpResponse(null, { status: 200 }))),
    // The OpenAI-compatible routes, beside the native ones as in TGI (src/reference/openai/).
    ...openaiHandlers(state),
    http.all(`${base}/*`, ({ request }) => {
      const path = new URL(request.url).pathname;
      const known = ['/', '/generate', '/generate_stream', '/info', '/health', '/v1/models', '/v1/chat/completions', '/v1/completions'].includes(path);
      return new HttpResponse(null, { status: known ? 405 : 404 });
    }),
  ];
}

/** Authentication, then the route, then the check-client report. */
async function handle(state: ServerState, given: Exchange, fn: (x: Exchange) => Promise<Response>): Promise<Response> {
  const fault = state.o.fault;
  let x = given;
  if (fault?.transformRequestHeaders) {
    const headers = new Headers(x.request.headers);
    fault.transformRequestHeaders(headers, { route: x.route, stream: false, status: 200, requestHeaders: x.request.headers });
    x = { ...x, request: new Request(x.request, { headers }) };
  }
  let response: Response;
  const authorization = x.request.headers.get('authorization');
  let allowed = authorized(state.o.apiKey, authorization);
  if (state.o.apiKey !== undefined && fault?.authorize) {
    const actx = { route: x.route, stream: false, status: allowed ? 200 : 401, requestHeaders: x.request.headers, authorization };
    allowed = fault.authorize(allowed, actx);
  }
  if (!allowed) {
    x.findings.push(authFinding());
    response =
      state.o.profile === 'hf'
        ? json(state, 401, { error: 'Invalid credentials in Authorization header' }, {}, { route: x.route, stream: false })
        : new HttpResponse(null, { status: 401 }); // TGI: 401 with an empty body (server.rs:2213-2235)
  } else {
    response = await fn(x);
  }
  if (state.o.checkClient) {
    response.headers.set(CLIENT_FINDINGS_HEADER, findingsHeaderValue(x.findings));
    for (const f of x.findings) state.o.log(findingLogLine(x.route, f));
  }
  return response;
}

/** `Authorization` must equal `Bearer <key>`, compared case-insensitively, as TGI does. */
function authorized(apiKey: string | undefined, header: string | null): boolean {
  if (apiKey === undefined) return true;
  return header !== null && header.toLowerCase() === `bearer ${apiKey}`.toLowerCase();
}

function info(o: ResolvedReferenceOptions): ExactJson {
  return {
    model_id: o.modelId,
    model_sha: null,
    model_pipeline_tag: o.defaultReturnFullText ? 'text-generation' : null,
    max_concurrent_requests: o.maxConcurrentRequests,
    max_best_of: o.maxBestOf,
    max_stop_sequences: o.maxStopSequences,
    max_input_tokens: o.maxInputTokens,
    max_total_tokens: o.maxTotalTokens,
    validation_workers: 2,
    max_client_batch_size: o.maxClientBatchSize,
    router: 'text-generation-router',
    version: '3.3.7',
    sha: null,
    docker_label: null,
  };
}

/** A JSON response through the fault's body, text, header and status hooks. */
function json(
  state: ServerState,
  status: number,
  body: ExactJson,
  headers: Record<string, string>,
  where: Omit<FaultContext, 'status'>,
): Response {
  const fault = state.o.fault;
  const fctx: FaultContext = { ...where, status };
  const finalBody = fault?.transformResponseBody?.(body, fctx) ?? body;
  let text = stringifyJson(finalBody);
  text = fault?.transformBodyText?.(text, fctx) ?? text;
  const h = new Headers({ 'content-type': 'application/json', ...headers });
  fault?.transformHeaders?.(h, fctx);
  return new HttpResponse(text, { status: fault?.transformStatus?.(status, fctx) ?? status, headers: h });
}

/** axum's text/plain rejections. */
function plain(state: ServerState, status: number, message: string, fctx: FaultContext): Response {
  const fault = state.o.fault;
  const h = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
  fault?.transformHeaders?.(h, fctx);
  return new HttpResponse(message, { status: fault?.transformStatus?.(status, fctx) ?? status, headers: h });
}

function structOf(kind: GenerateKind): RequestStruct {
  return kind === 'compat' || kind === 'hf' ? 'CompatGenerateRequest' : 'GenerateRequest';
}

async function generateRoute(state: ServerState, x: Exchange, kind: GenerateKind): Promise<Response> {
  const body = await readBody(state, x, structOf(kind));
  return answer(state, x, kind, body);
}

/** readRequestBody, through the fault's transformRequestText hook when there is one. */
async function readBody(state: ServerState, x: Exchange, struct: RequestStruct): Promise<BodyResult> {
  const hook = state.o.fault?.transformRequestText;
  if (!hook) return readRequestBody(x.request, state.o.payloadLimit, struct);
  const text = hook(await x.request.text(), { route: x.route, stream: false, status: 200, requestHeaders: x.request.headers });
  const headers = new Headers(x.request.headers);
  headers.delete('content-length');
  const request = new Request(x.request.url, { method: x.request.method, headers, body: text });
  return readRequestBody(request, state.o.payloadLimit, struct);
}

/** The seed document's endpoint: loading, cache, then TGI's compat route. */
async function hfRoute(state: ServerState, x: Exchange): Promise<Response> {
  const headers = x.request.headers;
  x.findings.push(...booleanHeaderFinding('x-use-cache', headers.get('x-use-cache')));
  x.findings.push(...booleanHeaderFinding('x-wait-for-model', headers.get('x-wait-for-model')));
  const id = decodeURIComponent(new URL(x.request.url).pathname.replace(/^\/models\//, ''));
  const faithfulRemaining = state.loadingRemainingMs();
  const loadingHook = state.o.fault?.loadingMs;
  const remaining = loadingHook
    ? loadingHook(faithfulRemaining, { route: x.route, stream: false, status: faithfulRemaining > 0 ? 503 : 200, requestHeaders: headers })
    : faithfulRemaining;
  if (remaining > 0) {
    if (isTrue(headers.get('x-wait-for-model'))) {
      await delay(remaining, x.request.signal);
    } else {
      const body = { error: `Model ${id} is currently loading`, estimated_time: Math.max(0.001, remaining / 1000) };
      return json(state, 503, body, {}, { route: x.route, stream: false });
    }
  }
  const parsed = await readBody(state, x, 'CompatGenerateRequest');
  // The cache is keyed by model and body: a sampling request without a seed is answered from it
  // too, which is why the seed document tells clients of nondeterministic models to send
  // `x-use-cache: false`.
  const cacheable = parsed.ok && !parsed.request.stream && !isFalse(headers.get('x-use-cache'));
  const key = cacheable && parsed.ok ? `${id}\n${stringifyJson(parsed.request.body)}` : '';
  const hit = cacheable ? state.cache.get(key) : undefined;
  if (hit) {
    reportBody(state, x, 'hf', parsed);
    return new HttpResponse(hit.body, { status: hit.status, headers: hit.headers });
  }
  const response = await answer(state, x, 'hf', parsed);
  if (cacheable && response.status === 200) {
    const text = await response.clone().text();
    state.remember(key, { status: 200, headers: [...response.headers], body: text });
  }
  return response;
}

function isStream(kind: GenerateKind, req: TypedRequest): boolean {
  return kind === 'generate_stream' || ((kind === 'compat' || kind === 'hf') && req.stream);
}

function validationContext(state: ServerState, req: TypedRequest, kind: GenerateKind): ValidationContext {
  return {
    stream: isStream(kind, req),
    // compat_generate (server.rs:134): `/` defaults return_full_text from the pipeline tag
    defaultReturnFullText: kind === 'compat' || kind === 'hf' ? state.o.defaultReturnFullText : false,
    limits: state.o,
  };
}

/** --check-client: what the body shows of the client. */
function reportBody(state: ServerState, x: Exchange, kind: GenerateKind, body: BodyResult): void {
  if (!state.o.checkClient) return;
  const ctx = body.ok ? validationContext(state, body.request, kind) : { stream: false, defaultReturnFullText: false, limits: state.o };
  x.findings.push(...bodyFindings(body, ctx));
}

async function answer(state: ServerState, x: Exchange, kind: GenerateKind, body: BodyResult): Promise<Response> {
  const fctx: FaultContext = { route: x.route, stream: false, status: 200, requestHeaders: x.request.headers };
  reportBody(state, x, kind, body);
  if (!body.ok) return plain(state, body.status, body.message, { ...fctx, status: body.status });
  const req = body.request;
  const ctx = validationContext(state, req, kind);
  const fault = state.o.fault;
  const reqCtx: FaultContext = { ...fctx, stream: ctx.stream, request: req };
  if (fault?.overrideValidation) ctx.decide = (failure) => fault.overrideValidation?.(failure, reqCtx) ?? null;
  // A broken server's own rule, before TGI's (faults/: a valid request rejected).
  const own = fault?.rejectRequest?.(req, reqCtx) ?? null;
  if (own && !ctx.stream) return failureResponse(state, own, reqCtx);
  return ctx.stream ? streamAnswer(state, x, req, ctx, reqCtx, own) : jsonAnswer(state, x, kind, req, ctx, reqCtx);
}

function inferenceOptions(state: ServerState, signal: AbortSignal): InferenceOptions {
  return { latencyMs: state.o.latencyMs, randomSeed: state.o.randomSeed, samplingSeed: state.o.samplingSeed, signal };
}

function failureResponse(state: ServerState, failure: InferFailure, fctx: FaultContext): Response {
  return json(state, failure.status, errorJson(failure), {}, fctx);
}

async function jsonAnswer(
  state: ServerState,
  x: Exchange,
  kind: GenerateKind,
  req: TypedRequest,
  ctx: ValidationContext,
  fctx: FaultContext,
): Promise<Response> {
  const t0 = performance.now();
  const pre = preValidate(req, ctx);
  if (pre) return failureResponse(state, pre, fctx);
  // generate_best_of runs one generation, and takes one permit, per sequence
  const permits = req.parameters.best_of !== null && req.parameters.best_of > 1n ? Number(req.parameters.best_of) : 1;
  if (!state.acquire(permits)) return failureResponse(state, ruleFailure('o'), fctx);
  try {
    const result = validateRequest(req, ctx);
    if (!result.ok) return failureResponse(state, result.failure, fctx);
    const valid = state.o.fault?.transformRequest?.(result.request, { ...fctx, valid: result.request }) ?? result.request;
    const vctx: FaultContext = { ...fctx, valid };
    const validated = performance.now() - t0;
    if (valid.grammarError !== null) return failureResponse(state, generationFailure(valid.grammarError), vctx);
    const started = performance.now() - t0;
    const opts = inferenceOptions(state, x.request.signal);
    const sequences: Sequence[] = await Promise.all(
      Array.from({ length: Math.max(1, valid.bestOf) }, (_, i) => runSequence(valid, samplingSeed(valid, opts, i), opts)),
    );
    let bestIndex = 0;
    sequences.forEach((seq, i) => {
      if (meanLogprob(seq) > meanLogprob(sequences[bestIndex] as Sequence)) bestIndex = i;
    });
    const best = sequences[bestIndex] as Sequence;
    const others = sequences.filter((_, i) => i !== bestIndex);
    const prefill = valid.decoderInputDetails && state.o.prefillLogprobs ? prefillTokens(valid.inputIds) : [];
    const response = generateResponseJson(valid, best, others, prefill);
    // compat_generate wraps the response in a one-element array "to match api-inference"
    const bodyJson: ExactJson = kind === 'compat' || kind === 'hf' ? [response] : response;
    const headers = generateHeaders(valid, best.tokens.length, { validated, started, ended: performance.now() - t0 }, state.o.computeType);
    return json(state, 200, bodyJson, headers, vctx);
  } catch (e) {
    if (x.request.signal.aborted) return new HttpResponse(null, { status: 499 }); // the client is gone
    throw e;
  } finally {
    state.release(permits);
  }
}

/** axum's `KeepAlive::default()`: a comment frame after 15 s (keepAliveMs) without an event. */
const KEEP_ALIVE = ':\n\n';

/** Awaits `pending`, calling `beat` every `ms` until it settles. */
async function withKeepAlive<T>(pending: Promise<T>, ms: number, beat: () => void): Promise<T> {
  const timer = setInterval(beat, ms);
  try {
    return await pending;
  } finally {
    clearInterval(timer);
  }
}

const INCOMPLETE_STREAM: ExactJson = { error: 'Incomplete generation stream', error_type: 'incomplete_generation_stream' };

function streamAnswer(
  state: ServerState,
  x: Exchange,
  req: TypedRequest,
  ctx: ValidationContext,
  fctx: FaultContext,
  own: InferFailure | null,
): Response {
  const fault = state.o.fault;
  if (fault?.streamFailureAsStatus) {
    // Validation is pure: run it ahead to answer a failure with its status, as a broken server would.
    const checked = validateRequest(req, ctx);
    const failure = own ?? preValidate(req, ctx) ?? (checked.ok ? null : checked.failure);
    if (failure && fault.streamFailureAsStatus(failure, fctx)) return failureResponse(state, failure, fctx);
  }
  const abort = new AbortController();
  const onClientGone = (): void => abort.abort(new Error('client disconnected'));
  x.request.signal.addEventListener('abort', onClientGone, { once: true });
  let validCtx: FaultContext = fctx;

  // Everything after the 200 arrives as events, errors included (server.rs:488-505).
  async function* events(): AsyncGenerator<ExactJson, void, void> {
    const pre = own ?? preValidate(req, ctx);
    if (pre) {
      yield errorJson(pre);
      return;
    }
    if (!state.acquire(1)) {
      yield errorJson(ruleFailure('o'));
      return;
    }
    try {
      const result = validateRequest(req, ctx);
      if (!result.ok) {
        yield errorJson(result.failure);
        return;
      }
      const valid = fault?.transformRequest?.(result.request, { ...fctx, valid: result.request }) ?? result.request;
      validCtx = { ...fctx, valid };
      if (valid.grammarError !== null) {
        yield errorJson(generationFailure(valid.grammarError));
        return;
      }
      const opts = inferenceOptions(state, abort.signal);
      const seed = samplingSeed(valid, opts);
      const outSeed = seed === null ? null : exactU64(seed);
      let text = '';
      let ended = false;
      for await (const step of timedSteps(valid, seed, opts)) {
        if (!step.token.special) text += step.token.text;
        ended = step.finishReason !== null;
        yield streamEventJson(valid, step, text, outSeed);
      }
      if (!ended) yield INCOMPLETE_STREAM;
    } finally {
      state.release(1);
      x.request.signal.removeEventListener('abort', onClientGone);
    }
  }

  const source = fault?.transformEventSource?.(events(), { ...fctx, signal: abort.signal }) ?? events();
  const iterator = source[Symbol.asyncIterator]();
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Until something is enqueued: a pull that enqueues nothing (a fault's transformEvent that
        // drops an event) is not called again, and the stream would stall.
        for (let enqueued = false; !enqueued; index++) {
          const next = await withKeepAlive(iterator.next(), state.o.keepAliveMs, () => {
            const frame = fault?.transformFrame?.(KEEP_ALIVE, validCtx) ?? KEEP_ALIVE;
            controller.enqueue(encoder.encode(frame));
            enqueued = true;
          });
          if (next.done) {
            controller.close();
            return;
          }
          for (const event of fault?.transformEvent?.(next.value, { ...validCtx, index }) ?? [next.value]) {
            const frame = sseFrame(event);
            controller.enqueue(encoder.encode(fault?.transformFrame?.(frame, validCtx) ?? frame));
            enqueued = true;
          }
        }
      } catch (e) {
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
      await iterator.return?.(undefined).catch(() => undefined);
    },
  });
  const headers = new Headers(streamHeaders(Array.from(req.inputs).length, state.o.computeType));
  fault?.transformHeaders?.(headers, fctx);
  return new HttpResponse(body, { status: fault?.transformStatus?.(200, fctx) ?? 200, headers });
}

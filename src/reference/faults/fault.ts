/**
 * Faults: deliberately broken variants of the reference server, one contract violation each,
 * so that tgc can prove it detects them. A fault is a set of optional hooks that the handlers
 * call at fixed points; each hook receives what the faithful server would do and returns what
 * the broken one does instead. Hooks must be pure and cheap: they run per request, per event.
 */
import type { ExactJson } from '../../core/json.js';
import type { ReferenceServerOptions } from '../options.js';
import type { TypedRequest } from '../request-body.js';
import type { InferFailure, ValidRequest } from '../validation.js';
import type { OpenAIRequestIn } from '../openai/request.js';

/** Where in the server a hook runs. */
export interface FaultContext {
  /**
   * `POST /generate`, `POST /generate_stream`, `POST /`, `POST /models/{id}`, `GET /info`; the
   * OpenAI-compatible `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`.
   */
  route: string;
  /** True when the answer is an SSE stream. */
  stream: boolean;
  /** The request as deserialized, once it was. */
  request?: TypedRequest;
  /** The request after validation, once it passed (on the OpenAI routes: the choice's native request). */
  valid?: ValidRequest;
  /** OpenAI-compatible routes: the request as deserialized, once it was. */
  openai?: OpenAIRequestIn;
  /** OpenAI-compatible routes: the choice a per-choice hook (transformRequest) is called for. */
  choice?: number;
  /** The status the faithful server answers with. */
  status: number;
  /** The request's headers, as received (read them; change them with transformRequestHeaders). */
  requestHeaders?: Headers;
}

/** What a stream hook also receives: the signal that fires when the client goes away. */
export interface StreamFaultContext extends FaultContext {
  signal: AbortSignal;
}

/**
 * How the fault-detection loop runs `tgc run` against `tgc mock --fault NAME`, where the fault
 * needs more than the defaults to be visible.
 */
export interface FaultRunOptions {
  /** `tgc run --api` (`hf` needs the mock started with `profile: 'hf'`). @defaultValue 'tgi' */
  api?: 'tgi' | 'hf' | 'openai';
  /** `tgc run --auth-required --token <mockOptions.apiKey>`. */
  authRequired?: boolean;
  /** `tgc run --header 'K: V'` for each entry. */
  headers?: Record<string, string>;
}

/** The options of the mock a fault needs, each one a `tgc mock` flag (`--api-key`, `--profile`, …). */
export type FaultMockOptions = Partial<Pick<ReferenceServerOptions, 'apiKey' | 'profile' | 'loadingMs' | 'latencyMs'>>;

export interface Fault {
  /** Kebab-case; what `tgc mock --fault` and `--list-faults` use. */
  name: string;
  /** One line: what the broken server does. */
  description: string;
  /** The id of the check expected to detect it (as `tgc checks` lists it). */
  detectedBy?: string;
  /** Options the mock needs for the fault to show (e.g. an api key for the auth faults). */
  mockOptions?: FaultMockOptions;
  /** Options `tgc run` needs to see the fault (e.g. `--auth-required`, `--api hf`). */
  runOptions?: FaultRunOptions;
  /** Edits the request's headers in place before the server reads them (auth, hf headers). */
  transformRequestHeaders?(headers: Headers, ctx: FaultContext): void;
  /** Decides authentication instead of the key comparison (only called when a key is set). */
  authorize?(authorized: boolean, ctx: FaultContext & { authorization: string | null }): boolean;
  /** hf profile: how long the model is still loading for this request (the faithful value given). */
  loadingMs?(remainingMs: number, ctx: FaultContext): number;
  /** Changes the raw request body text before it is parsed and deserialized. */
  transformRequestText?(text: string, ctx: FaultContext): string;
  /** A rule of the broken server's own, run before TGI's: a failure rejects the request. */
  rejectRequest?(request: TypedRequest, ctx: FaultContext): InferFailure | null;
  /**
   * On a stream, an in-handler failure (validation, overload) is answered with its HTTP status and
   * JSON body, instead of a 200 and an error event, when this returns true.
   */
  streamFailureAsStatus?(failure: InferFailure, ctx: FaultContext): boolean;
  /**
   * Wraps the stream's source of events (token, final and error events, before transformEvent):
   * may delay, hold back, stall or break it. Must end when `ctx.signal` fires.
   */
  transformEventSource?(events: AsyncIterable<ExactJson>, ctx: StreamFaultContext): AsyncIterable<ExactJson>;
  /**
   * Called for each validation rule that fails, in TGI's order: return the failure (possibly
   * changed) to reject, or null to accept the request anyway and go on.
   */
  overrideValidation?(failure: InferFailure, ctx: FaultContext): InferFailure | null;
  /** Changes the validated request before generation (e.g. ignore the seed, the stop list). */
  transformRequest?(valid: ValidRequest, ctx: FaultContext): ValidRequest;
  /** Changes a JSON response body (success, error, /info, 503) before it is serialised. */
  transformResponseBody?(body: ExactJson, ctx: FaultContext): ExactJson;
  /** Changes the serialised JSON body text (e.g. round a u64 seed, add a BOM). */
  transformBodyText?(text: string, ctx: FaultContext): string;
  /** Replaces one SSE data event (token, final or error event) by zero or more events. */
  transformEvent?(event: ExactJson, ctx: FaultContext & { index: number }): ExactJson[];
  /** Changes the raw text of one SSE frame (`data:{…}\n\n`) before it is written. */
  transformFrame?(frame: string, ctx: FaultContext): string;
  /** Edits the response headers in place. */
  transformHeaders?(headers: Headers, ctx: FaultContext): void;
  /** Changes the HTTP status. */
  transformStatus?(status: number, ctx: FaultContext): number;
}

/** One fault made of several, applied in order (each hook sees the previous one's output). */
export function composeFaults(name: string, parts: readonly Fault[]): Fault {
  const withHook = <K extends keyof Fault>(key: K): Fault[] => parts.filter((f) => f[key] !== undefined);
  const merged = <K extends 'mockOptions' | 'runOptions'>(key: K): Fault[K] =>
    parts.some((f) => f[key] !== undefined) ? (Object.assign({}, ...parts.map((f) => f[key] ?? {})) as Fault[K]) : undefined;
  const mockOptions = merged('mockOptions');
  const runOptions = merged('runOptions');
  return {
    name,
    description: parts.map((f) => f.description).join('; '),
    ...(mockOptions ? { mockOptions } : {}),
    ...(runOptions ? { runOptions } : {}),
    transformRequestHeaders: (headers, ctx) => {
      for (const f of withHook('transformRequestHeaders')) f.transformRequestHeaders?.(headers, ctx);
    },
    authorize: (authorized, ctx) => withHook('authorize').reduce((a, f) => f.authorize?.(a, ctx) ?? a, authorized),
    loadingMs: (remaining, ctx) => withHook('loadingMs').reduce((ms, f) => f.loadingMs?.(ms, ctx) ?? ms, remaining),
    transformRequestText: (text, ctx) => withHook('transformRequestText').reduce((t, f) => f.transformRequestText?.(t, ctx) ?? t, text),
    rejectRequest: (request, ctx) => {
      for (const f of withHook('rejectRequest')) {
        const failure = f.rejectRequest?.(request, ctx) ?? null;
        if (failure) return failure;
      }
      return null;
    },
    streamFailureAsStatus: (failure, ctx) => withHook('streamFailureAsStatus').some((f) => f.streamFailureAsStatus?.(failure, ctx) === true),
    transformEventSource: (events, ctx) =>
      withHook('transformEventSource').reduce((source, f) => f.transformEventSource?.(source, ctx) ?? source, events),
    overrideValidation: (failure, ctx) => {
      let current: InferFailure | null = failure;
      for (const f of withHook('overrideValidation')) {
        if (current === null) break;
        current = f.overrideValidation?.(current, ctx) ?? null;
      }
      return current;
    },
    transformRequest: (valid, ctx) => withHook('transformRequest').reduce((v, f) => f.transformRequest?.(v, ctx) ?? v, valid),
    transformResponseBody: (body, ctx) =>
      withHook('transformResponseBody').reduce((b, f) => f.transformResponseBody?.(b, ctx) ?? b, body),
    transformBodyText: (text, ctx) => withHook('transformBodyText').reduce((t, f) => f.transformBodyText?.(t, ctx) ?? t, text),
    transformEvent: (event, ctx) =>
      withHook('transformEvent').reduce<ExactJson[]>((events, f) => events.flatMap((e) => f.transformEvent?.(e, ctx) ?? [e]), [event]),
    transformFrame: (frame, ctx) => withHook('transformFrame').reduce((t, f) => f.transformFrame?.(t, ctx) ?? t, frame),
    transformHeaders: (headers, ctx) => {
      for (const f of withHook('transformHeaders')) f.transformHeaders?.(headers, ctx);
    },
    transformStatus: (status, ctx) => withHook('transformStatus').reduce((s, f) => f.transformStatus?.(s, ctx) ?? s, status),
  };
}

/**
 * A recorded exchange: what the transport records, what `tgc validate exchanges` reads, and what
 * checks receive. Checks never send requests.
 */
import type { ExactJson } from './json.js';
import type { Finding } from './finding.js';
import type { ErrorBody, GenerateRequest, GenerateResponse, StreamEvent } from './api.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Completion,
  CompletionChunk,
  CompletionRequest,
  ModelList,
  OpenAIErrorInfo,
  OpenAIRouteKind,
  OpenAIStreamError,
} from './openai.js';

/**
 * The native routes. `POST /` is TGI's compat route and the seed document's single endpoint: the
 * body's `stream` chooses a stream or not.
 */
export type NativeRouteName = 'POST /generate' | 'POST /generate_stream' | 'POST /';

/** The OpenAI-compatible routes, as paths under the base URL that ends in `/v1`. */
export type OpenAIRouteName = 'POST /v1/chat/completions' | 'POST /v1/completions' | 'GET /v1/models';

export type RouteName = NativeRouteName | OpenAIRouteName;

export const NATIVE_ROUTES: readonly NativeRouteName[] = ['POST /generate', 'POST /generate_stream', 'POST /'];
export const OPENAI_ROUTES: readonly OpenAIRouteName[] = ['POST /v1/chat/completions', 'POST /v1/completions', 'GET /v1/models'];
/** Every route an exchange line may name. */
export const ROUTES: readonly RouteName[] = [...NATIVE_ROUTES, ...OPENAI_ROUTES];

/** The name of a surface tgc tests (`tgc run --api`); each is one declaration in src/apis/. */
export type ApiName = 'tgi' | 'hf' | 'openai';

/** A decoded Server-Sent Event, as the SSE decoder yields it. */
export interface SseEvent {
  /** The `event:` field, when the server sent one. */
  event?: string;
  id?: string;
  /** The data lines joined with "\n". */
  data: string;
}

/** What every API's view of an exchange has: the request as sent, the status, and how it went. */
export interface BaseExchangeView {
  route: RouteName;
  /** The request body, parsed exactly; `undefined` when it was not JSON. */
  requestBody: ExactJson | undefined;
  /** True when the request asked for a stream. */
  streamed: boolean;
  status: number;
  /** Lower-case header names; absent when the recording has none. */
  headers?: Record<string, string>;
  /** What the response body was: JSON, an SSE stream, other text, or nothing. */
  bodyKind?: 'json' | 'sse' | 'text' | 'empty';
  /** Findings made while decoding (schema, framing), each under the id of the check that owns the rule. */
  decodeFindings?: Finding[];
  /** Why every conforming server must reject this request; empty when it is valid. */
  requestInvalidReasons?: Finding[];
  /** Set when the exchange did not complete; only `response-completes` judges such an exchange. */
  transportFailure?: TransportFailure;
  redirect?: { status: number; location: string };
  timings?: ExchangeTimings;
  /** What the engine expected of this case; absent for recorded exchanges (`tgc validate`). */
  expectation?: CaseExpectation;
  /** The request headers tgc sent (Authorization never included). */
  requestHeaders?: Record<string, string>;
}

/**
 * An exchange on the OpenAI-compatible routes, decoded (src/engine/decode/openai.ts). Bodies
 * are present only when they validated against spec/openai.yaml (warnings allowed).
 */
export interface OpenAIExchangeView extends BaseExchangeView {
  api: 'openai';
  kind: OpenAIRouteKind;
  /** The request, when it validated against the route's request schema. */
  request?: ChatCompletionRequest | CompletionRequest;
  /** Non-stream 2xx: the chat completion, completion or model list. */
  response?: ChatCompletion | Completion | ModelList;
  /**
   * Stream: every data event that is a chunk (not `[DONE]`, not an error), in order, when all of
   * them parsed and validated; `chunkEvents[i]` is the 0-based event position of `chunks[i]`.
   */
  chunks?: (ChatCompletionChunk | CompletionChunk)[];
  chunkEvents?: number[];
  /** Stream: every data event's text, in order (`[DONE]` included), for framing rules. */
  eventData?: string[];
  /**
   * Stream: the positions of the data events (not `[DONE]`) whose data the decoder could not
   * parse as JSON, in order; set by the decoder beside `eventData`, so that no check parses the
   * events again. Absent: a check parses `eventData` itself.
   */
  notJsonEvents?: number[];
  /** Stream: the position of the first `data: [DONE]`, when one came. */
  doneEvent?: number;
  /** Stream: the error event, if one came. */
  streamError?: OpenAIStreamError;
  /** Status ≥ 400: the error body, classified by shape. */
  error?: OpenAIErrorInfo;
}

/** Everything a check of the native API may look at for one request/response pair. */
export interface ExchangeView {
  route: RouteName;
  /**
   * How the non-stream body must be shaped: `object` (/generate), `array` (TGI's `/`: a
   * one-element array), `either` (the seed-style endpoint: its document shows an object while
   * the real service returns the array; verdict-policy item 21).
   */
  bodyShape: 'object' | 'array' | 'either';
  /** The request body, parsed exactly; `undefined` when it was not JSON. */
  requestBody: ExactJson | undefined;
  /** The request, when `requestBody` validated against the request schema. */
  request?: GenerateRequest;
  /** True when the request was sent as a stream (route or body's `stream`). */
  streamed: boolean;
  status: number;
  /** Lower-case header names; absent when the recording has none. */
  headers?: Record<string, string>;
  /** Non-stream: the response, unwrapped from its array, when it validated against the schema. */
  response?: GenerateResponse;
  /** Stream: every data event parsed, in order, when all of them validated against the schema. */
  events?: StreamEvent[];
  /** Stream: the error event that ended it, if any. */
  streamError?: ErrorBody;
  /** Non-stream error body (status ≥ 400), when it was the JSON ErrorResponse. */
  error?: ErrorBody;
  /** What the response body was: JSON, an SSE stream, other text, or nothing. */
  bodyKind?: 'json' | 'sse' | 'text' | 'empty';
  /**
   * Findings made while decoding the exchange (schema, SSE framing), each under the id of the
   * check that owns the rule; those checks return them (see checks/request-schema.ts …).
   */
  decodeFindings?: Finding[];
  /**
   * Why every conforming server must reject this request (schema violations judged after f32
   * rounding); empty when the request is valid as far as settings-independent rules go.
   */
  requestInvalidReasons?: Finding[];
  /** Set when the exchange did not complete; only `response-completes` judges such an exchange. */
  transportFailure?: TransportFailure;
  redirect?: { status: number; location: string };
  timings?: ExchangeTimings;
  /** What the engine expected of this case; absent for recorded exchanges (`tgc validate`). */
  expectation?: CaseExpectation;
  /** The surface under test: TGI's routes, or the seed document's single endpoint. */
  api?: 'tgi' | 'hf';
  /** The request headers tgc sent (Authorization never included). */
  requestHeaders?: Record<string, string>;
}

/** A view of any API: what the engine hands to that API's checks. */
export type AnyExchangeView = ExchangeView | OpenAIExchangeView;

/**
 * Why the engine sent a case and what a conforming server does with it. Checks read it to judge
 * acceptance and rejection; recorded exchanges have none.
 */
export interface CaseExpectation {
  /** `either`: both outcomes are correct (an f32 edge, a limit tgc does not know). */
  outcome: 'accept' | 'reject' | 'either';
  purpose: 'positive' | 'boundary' | 'negative' | 'auth' | 'serverless' | 'scenario';
  /**
   * For rejections: the rule of tgi-behavior.md §2c (`s1`, `b2`, `1` … `19`), `schema` for a
   * schema violation a handler reports, or `pre-handler` for a body rejected before the handler
   * (400, 413, 415, text/plain 422).
   */
  rule?: string;
  /** TGI's exact error message for the rule, with the limits filled in, when tgc knows it. */
  message?: string;
  /** The status TGI answers (for stream routes: 200, with an error event, for in-handler rules). */
  status?: number;
  /** The error_type TGI sends, for in-handler rejections. */
  errorType?: string;
  /** For auth cases: which Authorization header was sent. */
  auth?: 'missing' | 'wrong' | 'valid';
  /** A short description of the case, for reports: `top_p at 0.99999994`, `rule 9: 5 stops`. */
  label?: string;
}

/**
 * One exchange as recorded: the `validate exchanges` JSON Lines format, and what the transport
 * records.
 */
export interface RecordedExchange {
  route: RouteName;
  /** The request body, parsed exactly; `undefined` when it was not JSON. */
  request: ExactJson | undefined;
  requestHeaders?: Record<string, string>;
  status: number;
  /** Lower-case response header names, when recorded. */
  headers?: Record<string, string>;
  /** A JSON response body (non-stream). */
  response?: ExactJson;
  /** A response body that was not JSON (text/plain rejections, HTML error pages). */
  responseText?: string;
  /** The raw text/event-stream body. */
  stream?: string;
  /** The exchange did not complete: a deadline or a limit was hit, or the peer misbehaved. */
  transportFailure?: TransportFailure;
  /** A 3xx answer: never followed (the Authorization header must not travel to another host). */
  redirect?: { status: number; location: string };
  /** When bytes arrived, in ms since the request started (recorded by the transport). */
  timings?: ExchangeTimings;
  /** The surface tested (`tgc run --api`); on `tgi`, POST / must answer a one-element array. */
  api?: ApiName;
  /** The response's content type, when a recording gives it without the other headers. */
  contentType?: string;
  /** What `tgc run` expected of this case, so that a recording is judged as the run judged it. */
  expectation?: CaseExpectation;
}

export interface ExchangeTimings {
  firstByteMs?: number;
  totalMs?: number;
  /** Arrival of each data event of a stream. */
  eventMs?: number[];
  /**
   * The request went first on a kept-alive connection, idle for `idleMs`, that the server closed
   * before any byte of an answer (`error`: ECONNRESET, EPIPE, "socket hang up", closed), and was
   * sent again on a fresh connection; the other timings are that second attempt's.
   */
  resent?: { idleMs: number; error: string };
}

export interface TransportFailure {
  /** `stream-idle`, `deadline`, `body-too-large`, `reset`, … (src/transport). */
  kind: string;
  message: string;
}

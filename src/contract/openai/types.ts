/**
 * The OpenAI-compatible contract as functions (implemented in ./contract.ts over
 * spec/openai.yaml): each takes a parsed body and returns typed findings plus, when the body
 * conforms, the body under its type. Properties the spec marks `x-tgc-judged-by: <check>` (the
 * `object` values, `finish_reason`, tool-call `index` and `arguments`) are left open by these
 * validators: the named check judges them, so that one departure gives one finding from the
 * check that owns its rule.
 */
import type { Finding } from '../../core/finding.js';
import type { ExactJson } from '../../core/json.js';
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
} from '../../core/openai.js';
import type { Validated } from '../contract.js';

/** The check ids the contract's findings are filed under. */
export const OPENAI_CHECK = {
  requestSchema: 'openai-request-schema',
  responseSchema: 'openai-response-schema',
  chunkSchema: 'openai-chunk-schema',
  errorBody: 'openai-error-body',
} as const;

export interface OpenAIContract {
  /**
   * A request body as a client sends it (`openai-request-schema`); unknown keys are warnings.
   * `options.bigIntFree`: the caller knows the body holds no bigint (core/json.ts parseJson said
   * so), which spares a walk over it. `options.warningsOnly`: the caller keeps only the warnings,
   * so an invalid body's violations are not written (its `value` is still absent).
   */
  request(
    body: ExactJson,
    kind: Exclude<OpenAIRouteKind, 'models'>,
    options?: { bigIntFree?: boolean; warningsOnly?: boolean },
  ): Validated<ChatCompletionRequest | CompletionRequest>;
  /**
   * Why every real server rejects this request (verdict-policy, OpenAI-compatible routes): a wrong
   * JSON type of a known field, `messages`/`prompt` missing or empty, `max_tokens` < 1, an
   * unknown role. Empty when some real server accepts it; what only the official service
   * rejects (no `model`, `temperature` > 2, `stop` as a string, unknown keys) is not a reason.
   * Findings filed under `openai-request-rejection`, one per reason, kind `reject:<rule>`.
   */
  requestRejectReasons(body: ExactJson, kind: Exclude<OpenAIRouteKind, 'models'>): Finding[];
  /**
   * A non-stream 2xx body (`openai-response-schema`): ChatCompletion, Completion or the model list.
   * `bigIntFree`: the caller knows the body holds no bigint (parseJson said so), which spares a walk.
   */
  response(body: ExactJson, kind: OpenAIRouteKind, bigIntFree?: boolean): Validated<ChatCompletion | Completion | ModelList>;
  /**
   * One stream event's parsed data that is a chunk (`openai-chunk-schema`); findings carry `event`.
   * `bigIntFree` (as for `response`): parseJson saw no bigint in the data.
   */
  chunk(
    data: ExactJson,
    kind: Exclude<OpenAIRouteKind, 'models'>,
    event: number,
    bigIntFree?: boolean,
  ): Validated<ChatCompletionChunk | CompletionChunk>;
  /**
   * An error body (status ≥ 400, or an error event inside a stream): its shape and message.
   * `body` is the parsed JSON, or undefined with `text` for a non-JSON body. Findings
   * (`openai-error-body`): none for OpenAI's object, TGI's `{error, error_type}` and text/plain
   * rejections; warnings for a bare `{"error": "string"}` and vLLM's flat body; a violation for
   * any other shape.
   */
  errorBody(body: ExactJson | undefined, text?: string): { info: OpenAIErrorInfo; findings: Finding[] };
  /** Whether a parsed stream event is an error event (has an `error` key), rather than a chunk. */
  isErrorEvent(data: ExactJson): boolean;
}

/**
 * The OpenAI-compatible routes' data as tgc reads it off the wire, after schema validation
 * (spec/openai.yaml). These mirror the generated bindings (src/generated/openai.ts) with the
 * values that dedicated checks judge left open: `object` and `finish_reason` are strings here
 * (the schema marks them `x-tgc-judged-by`), so that `finish_reason: "eos_token"` reaches
 * `openai-finish-reason` instead of failing the whole body's schema. Keys a server may omit are
 * optional; nothing here is narrower than what correct servers send
 * (../shared/reference/openai-behavior.md §2–3).
 */

/** Which OpenAI-compatible route an exchange is on. */
export type OpenAIRouteKind = 'chat' | 'completions' | 'models';

// ── requests ────────────────────────────────────────────────────────────────────────────────

export interface ChatContentPart {
  type: string;
  text?: string;
  image_url?: { url: string; detail?: string };
  [key: string]: unknown;
}

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'developer' | 'system' | 'user' | 'assistant' | 'tool';
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  model?: string;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | bigint | null;
  temperature?: number | null;
  top_p?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  [key: string]: unknown;
}

export interface CompletionRequest {
  prompt: string | string[] | number[] | number[][];
  model?: string;
  max_tokens?: number | null;
  n?: number | null;
  best_of?: number | null;
  stop?: string | string[] | null;
  seed?: number | bigint | null;
  temperature?: number | null;
  top_p?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  logprobs?: number | null;
  echo?: boolean | null;
  suffix?: string | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  [key: string]: unknown;
}

// ── responses ───────────────────────────────────────────────────────────────────────────────

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [key: string]: unknown;
}

/** One entry of chat logprobs: `bytes` is absent on TGI (a warning), null where a token is not whole UTF-8. */
export interface ChatTokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
}

export interface ChatLogprobs {
  content: ChatTokenLogprob[] | null;
  refusal?: ChatTokenLogprob[] | null;
}

/** Completions-style logprobs (`/v1/completions`; on chat it is the other route's shape). */
export interface CompletionLogprobs {
  tokens?: string[];
  token_logprobs?: (number | null)[];
  top_logprobs?: (Record<string, number> | null)[] | null;
  text_offset?: number[];
}

export interface ChatCompletionMessage {
  role: string;
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ChatToolCall[] | null;
  [key: string]: unknown;
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  /** Judged by openai-finish-reason. */
  finish_reason: string | null;
  logprobs?: ChatLogprobs | CompletionLogprobs | null;
}

export interface ChatCompletion {
  id: string;
  /** Judged by openai-object. */
  object: string;
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}

/** A tool-call fragment of a stream delta: only `index` is required (openai-behavior §1). */
export interface ChatToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: unknown };
}

export interface ChatDelta {
  role?: string | null;
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ChatToolCallDelta[] | null;
  [key: string]: unknown;
}

export interface ChatChunkChoice {
  index: number;
  delta: ChatDelta;
  /** Absent on chunks before the last on some servers (a warning); judged by openai-finish-reason. */
  finish_reason?: string | null;
  logprobs?: ChatLogprobs | CompletionLogprobs | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason?: string | null;
  logprobs?: CompletionLogprobs | null;
  [key: string]: unknown;
}

export interface Completion {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}

/** A `/v1/completions` stream chunk has the response's shape. */
export type CompletionChunk = Completion;

export interface ModelList {
  object: string;
  data: { id: string; object: string; created?: number; owned_by?: string; [key: string]: unknown }[];
}

// ── errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * The shapes an error body comes in on these routes (verdict-policy, "The OpenAI-compatible
 * routes"): OpenAI's object; TGI's `{error, error_type}`; a text/plain pre-handler rejection (all
 * accepted); a bare `{"error": "string"}`; vLLM's older flat `{object: "error", message, …}`
 * (warnings); anything else (a violation).
 */
export type OpenAIErrorShape = 'openai' | 'tgi' | 'text' | 'bare-string' | 'flat' | 'other';

export interface OpenAIErrorInfo {
  shape: OpenAIErrorShape;
  /** The message, wherever the shape keeps it. */
  message?: string;
  type?: string | null;
  code?: unknown;
}

/** An error event inside a 200 stream: TGI's `{"error": {"message", "http_status_code"}}`, OpenAI's, or TGI's native one. */
export interface OpenAIStreamError {
  /** 0-based event position. */
  event: number;
  info: OpenAIErrorInfo;
  status?: number;
}

export const CHAT_FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] as const;
export const COMPLETION_FINISH_REASONS = ['stop', 'length', 'content_filter'] as const;

/**
 * The features of the OpenAI-compatible routes that a correct server may not serve
 * (verdict-policy "The OpenAI-compatible routes": `n` > 1, logprobs, `response_format`, tools
 * "refused with a 4xx that names them: learn it, retest without"), and the forms some correct
 * servers refuse for reasons of their own (TGI: `stop` as a bare string; no batch of prompts on
 * some servers). Each is a switch of the request arbitraries, so that a feature a server refused
 * is learned as a limit and the requests are drawn again without it.
 */

export interface OpenAIFeatures {
  /** `n` above 1 (several choices). TGI ignores `n` (one choice): a warning, not a refusal. */
  n: boolean;
  /** `tools` and `tool_choice`, and the tool round-trip conversation (assistant tool call, `tool` answer). */
  tools: boolean;
  /** `response_format` (`text`, `json_object`, `json_schema`). TGI takes only its own grammar form. */
  responseFormat: boolean;
  /** Chat `logprobs` / `top_logprobs`; completions `logprobs`. */
  logprobs: boolean;
  /** `image_url` content parts (a vision model). */
  images: boolean;
  /** `stream_options: {include_usage}` on streams. */
  streamOptions: boolean;
  /** `max_completion_tokens`, the newer name of the limit (TGI reads it as an alias of `max_tokens`). */
  maxCompletionTokens: boolean;
  /** Completions: `prompt` as an array of strings (a batch). */
  promptArrays: boolean;
  /** `stop` as a bare string: valid officially, rejected by TGI (a `Vec<String>`). */
  stopString: boolean;
}

export const OPENAI_FEATURE_NAMES = [
  'n', 'tools', 'responseFormat', 'logprobs', 'images', 'streamOptions', 'maxCompletionTokens', 'promptArrays', 'stopString',
] as const satisfies readonly (keyof OpenAIFeatures)[];

/**
 * What the arbitraries use when nothing is said: every feature every real server of the field
 * serves or may refuse with a 4xx is on; images (a vision model) and a bare-string `stop` (TGI
 * rejects it) are off.
 */
export const DEFAULT_OPENAI_FEATURES: Readonly<OpenAIFeatures> = {
  n: true,
  tools: true,
  responseFormat: true,
  logprobs: true,
  images: false,
  streamOptions: true,
  maxCompletionTokens: true,
  promptArrays: true,
  stopString: false,
};

/** The defaults with the given switches applied; throws on an unknown name or a non-boolean. */
export function resolveOpenAIFeatures(features: Partial<OpenAIFeatures> | undefined, who: string): OpenAIFeatures {
  const out: OpenAIFeatures = { ...DEFAULT_OPENAI_FEATURES };
  for (const [name, value] of Object.entries(features ?? {})) {
    if (!(OPENAI_FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`[tgc] ${who}: unknown feature "${name}" (known: ${OPENAI_FEATURE_NAMES.join(', ')})`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new Error(`[tgc] ${who}: feature "${name}" must be a boolean, got ${String(value)}`);
    out[name as keyof OpenAIFeatures] = value;
  }
  return out;
}

// Arbitraries of the OpenAI-compatible routes: valid chat and completions requests, from spec/openai.yaml.
export { validChatRequest, functionTool, responseFormat, mentionJson, TINY_PNG_DATA_URL, TOOL_NAMES } from './valid-chat-request.js';
export type { ChatRequestBody } from './valid-chat-request.js';
export { validCompletionRequest } from './valid-completion-request.js';
export type { CompletionRequestBody } from './valid-completion-request.js';
export { simpleObjectSchema, schemaInstance } from './json-schema.js';
export type { JsonObject, SimpleObjectSchemaConstraints } from './json-schema.js';
export { DEFAULT_OPENAI_FEATURES, OPENAI_FEATURE_NAMES, resolveOpenAIFeatures } from './features.js';
export type { OpenAIFeatures } from './features.js';
export {
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_TOP_LOGPROBS,
  DEFAULT_MAX_PROMPTS,
  MAX_PORTABLE_SEED,
  TEMPERATURES,
  TOP_PS,
  FREQUENCY_PENALTIES,
  PRESENCE_PENALTIES,
} from './_internals/values.js';
export type { OpenAIRequestConstraints } from './_internals/values.js';
export { openaiSpecFacts } from './_internals/spec-reader.js';
export type { OpenAISpecFacts } from './_internals/spec-reader.js';

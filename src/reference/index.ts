/**
 * The reference server: a faithful implementation of the text-generation API over a simulated
 * model, as msw handlers (in-process) or on a real port (`tgc mock`, `tgc run` without --url).
 */
export { createHandlers } from './handlers.js';
export { startReferenceServer } from './server.js';
export type { ReferenceServer, StartReferenceServerOptions } from './server.js';
export {
  MOCK_OPTION_SPECS,
  parseMockOptions,
  REFERENCE_BASE_URL,
  REFERENCE_DEFAULTS,
  ReferenceServerError,
  resolveReferenceOptions,
} from './options.js';
export type {
  MockOptions,
  MockOptionSpec,
  RawMockOptions,
  ReferenceProfile,
  ReferenceServerErrorCode,
  ReferenceServerOptions,
  ResolvedReferenceOptions,
} from './options.js';
export { faults, findFault, composeFaults } from './faults/index.js';
export type { Fault, FaultContext, FaultMockOptions, FaultRunOptions, StreamFaultContext } from './faults/index.js';
export { VALIDATION_RULES } from './validation.js';
export type { InferFailure, RuleId, ValidationRule, ValidRequest } from './validation.js';
export type { TypedRequest, TypedParameters, TypedGrammar } from './request-body.js';
export { CLIENT_FINDINGS_HEADER } from './check-client.js';
export { OPENAI_HOOK_POINTS } from './openai/handlers.js';
export type { OpenAIHookPoint } from './openai/handlers.js';
export { OPENAI_RULES } from './openai/validate.js';
export type { OpenAIRule, OpenAIRuleName } from './openai/validate.js';
export type { OpenAIRequestIn, ChatRequestIn, CompletionRequestIn } from './openai/request.js';

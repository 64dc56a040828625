/**
 * tgc's library entry: the API's types (generated from spec/openapi.yaml), the contract's
 * validators, the SSE decoder, the checks and the request generators.
 *
 * @example
 * ```ts
 * import { loadContract, inspectExchange, allChecks } from 'tgc';
 * const contract = await loadContract();
 * const { findings } = inspectExchange(
 *   { route: 'POST /generate', request: { inputs: 'Hi' }, status: 200, response: { generated_text: '!' } },
 *   contract,
 *   allChecks,
 * );
 * ```
 */
import type { components, paths } from './generated/openapi.js';

// The API's types, generated from spec/openapi.yaml
export type { components, paths };
export type GenerateRequest = components['schemas']['GenerateRequest'];
export type CompatGenerateRequest = components['schemas']['CompatGenerateRequest'];
export type GenerateParameters = components['schemas']['GenerateParameters'];
export type GrammarType = components['schemas']['GrammarType'];
export type GenerateResponse = components['schemas']['GenerateResponse'];
export type CompatGenerateResponse = components['schemas']['CompatGenerateResponse'];
export type Details = components['schemas']['Details'];
export type BestOfSequence = components['schemas']['BestOfSequence'];
export type PrefillToken = components['schemas']['PrefillToken'];
export type Token = components['schemas']['Token'];
export type FinishReason = components['schemas']['FinishReason'];
export type StreamResponse = components['schemas']['StreamResponse'];
export type StreamDetails = components['schemas']['StreamDetails'];
export type ErrorResponse = components['schemas']['ErrorResponse'];
export type ModelLoadingResponse = components['schemas']['ModelLoadingResponse'];
export type Info = components['schemas']['Info'];

// The OpenAI-compatible routes' types, generated from spec/openai.yaml (names distinct from the
// native ones: OpenAIErrorResponse vs ErrorResponse, OpenAIUsage, …)
import type { components as openaiComponents, paths as openaiPaths } from './generated/openai.js';
export type { openaiComponents, openaiPaths };
type OA = openaiComponents['schemas'];
export type ChatCompletionRequest = OA['ChatCompletionRequest'];
export type ChatCompletionRequestMessage = OA['ChatCompletionRequestMessage'];
export type ChatCompletionTool = OA['ChatCompletionTool'];
export type ChatCompletionToolChoiceOption = OA['ChatCompletionToolChoiceOption'];
export type CompletionRequest = OA['CompletionRequest'];
export type ChatCompletion = OA['ChatCompletion'];
export type ChatCompletionChoice = OA['ChatCompletionChoice'];
export type ChatCompletionResponseMessage = OA['ChatCompletionResponseMessage'];
export type ChatCompletionMessageToolCall = OA['ChatCompletionMessageToolCall'];
export type ChatCompletionChunk = OA['ChatCompletionChunk'];
export type ChatCompletionChunkChoice = OA['ChatCompletionChunkChoice'];
export type ChatCompletionStreamDelta = OA['ChatCompletionStreamDelta'];
export type ChatCompletionToolCallDelta = OA['ChatCompletionToolCallDelta'];
export type ChatCompletionLogprobs = OA['ChatCompletionLogprobs'];
export type OpenAICompletion = OA['Completion'];
export type OpenAICompletionChunk = OA['CompletionChunk'];
export type OpenAICompletionLogprobs = OA['CompletionLogprobs'];
export type OpenAIModelList = OA['ModelList'];
export type OpenAIModel = OA['Model'];
export type OpenAIUsage = OA['Usage'];
export type OpenAIError = OA['OpenAIError'];
export type OpenAIErrorResponse = OA['OpenAIErrorResponse'];
export type TgiErrorResponse = OA['TgiErrorResponse'];
export type TgiStreamError = OA['TgiStreamError'];
export type BareStringError = OA['BareStringError'];
export type FlatErrorResponse = OA['FlatErrorResponse'];

// Findings and exchanges
export type { Finding, Severity } from './core/finding.js';
export { dedupeKey } from './core/finding.js';
export type { ApiName, BaseExchangeView, ExchangeView, OpenAIExchangeView, RecordedExchange, RouteName, SseEvent } from './core/exchange.js';
export type { ExactJson, ParseJsonResult } from './core/json.js';
export { parseJson, stringifyJson } from './core/json.js';

// The contract
export type { BodyShape, Contract, Validated } from './contract/contract.js';
export { loadContract } from './contract/contract.js';
export type { RuleBreach, ServerLimits as RequestRuleLimits } from './contract/request-rules.js';
export { crossFieldBreaches } from './contract/request-rules.js';
export type { OpenAIContract } from './contract/openai/types.js';
export { loadOpenAIContract, OPENAI_CHECK, OPENAI_REQUEST_REJECTION } from './contract/openai/contract.js';

// Streams
export type { DecodedSse, SseDecoder, SseDecoderLimits, SseDecoderOptions } from './sse/index.js';
export { createSseDecoder, decodeSse } from './sse/index.js';

// Checks and their application
export type { CheckDefinition } from './checks/check.js';
export { allChecks, checkRegistry } from './checks/index.js';
export type { CheckOutcome, InspectResult } from './engine/inspect-exchange.js';
export { applyChecks, inspectExchange } from './engine/inspect-exchange.js';

// Each API as one declaration: routes, spec, decoder, checks (src/apis/)
export { apiByName, apiForExchange, apis, everyCheck } from './apis/index.js';
export type { ApiDefinition, ApiDriver, Decoder } from './apis/index.js';
export { openaiChecks, openaiScenarioChecks } from './checks/openai/index.js';
export { formatExchangeLine, parseExchangeLine } from './engine/exchange-lines.js';

// The conformance engine, as `tgc run` and the vitest suites drive it
export type { Api, KnownServerLimits, RunOptions, ShardSpec } from './engine/options.js';
export { RUN_DEFAULTS, TGI_DEFAULT_LIMITS } from './engine/options.js';
export type { RunEvent, RunHooks } from './engine/run.js';
export { runConformance, TargetUnreachableError } from './engine/run.js';
export type { TransportLimits } from './transport/index.js';
export { DEFAULT_LIMITS } from './transport/index.js';
export { scenarioChecks } from './checks/index.js';
export type { ScenarioCheck } from './checks/check.js';

// Reports
export type { ReportCheck, ReportFinding, ReportRunOptions, ReportShard, ReportShardSurface, TgcReport } from './report/report.js';
export { MergeRefused, mergeShardReports } from './report/merge.js';
export { failingViolations, REPORT_SCHEMA_VERSION } from './report/report.js';
export type { BuiltinReporter } from './report/index.js';
export { reporters, reportFileNames } from './report/index.js';
export { applySuppressions, parseSuppressions } from './report/suppressions.js';
export { applyBaseline, baselineKeys } from './report/baseline.js';

// The reference server
export type { ReferenceServer, ReferenceServerOptions } from './reference/index.js';
export { createHandlers, faults, startReferenceServer } from './reference/index.js';

// Request generators (fast-check)
export type { ValidGenerateRequestConstraints } from './arbitraries/valid-generate-request.js';
export { validGenerateRequest } from './arbitraries/valid-generate-request.js';
export { parameterValue } from './arbitraries/parameter-value.js';
export { parameterBoundaries } from './arbitraries/parameter-boundaries.js';

// The compatibility matrix of several servers (`tgc matrix`)
export { buildMatrix, matrixWriters } from './matrix/index.js';
export type { TgcMatrix } from './matrix/index.js';

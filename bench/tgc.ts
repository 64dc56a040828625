/**
 * What the benchmarks exercise: tgc as built in dist/ by `npm run build`, the same JavaScript
 * that `tgc` runs. One place for the paths.
 */
export {
  allChecks,
  createSseDecoder,
  inspectExchange,
  loadContract,
  parseExchangeLine,
  parseJson,
  stringifyJson,
} from '../dist/index.js';
export type { Contract, Finding, RecordedExchange } from '../dist/index.js';
export { apiForExchange, apis } from '../dist/apis/index.js';
export type { ApiDefinition, Decoder } from '../dist/apis/index.js';
export { applyChecks } from '../dist/engine/inspect-exchange.js';
export { scenarioChecks } from '../dist/checks/index.js';
export { runConformance } from '../dist/engine/run.js';
export { parseRunOptions, type RawRunOptions } from '../dist/cli/run-command.js';
export { planCases } from '../dist/engine/cases.js';
export { TGI_DEFAULT_LIMITS } from '../dist/engine/options.js';
// The decoders themselves, for the validation floor (bench/validation-floor.ts).
export { decodeExchange } from '../dist/engine/decode-exchange.js';
export { decodeOpenAIExchange } from '../dist/engine/openai/decode.js';
export type { OpenAIContract } from '../dist/contract/openai/types.js';

/**
 * What the numbers and the text of the OpenAI-compatible routes mean: stop strings, the length
 * limit, logprobs, tool calls, response_format (one exchange each), then determinism and stream
 * vs non-stream equality (scenarios over several exchanges).
 */
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition, ScenarioCheck } from '../check.js';
import { openaiDeterminism } from './openai-determinism.js';
import { openaiLength } from './openai-length.js';
import { openaiLogprobs } from './openai-logprobs.js';
import { openaiResponseFormat } from './openai-response-format.js';
import { openaiStopSuffix } from './openai-stop-suffix.js';
import { openaiStreamEquivalence } from './openai-stream-equivalence.js';
import { openaiToolCalls } from './openai-tool-calls.js';

export const openaiMeaningChecks: readonly CheckDefinition<OpenAIExchangeView>[] = [
  openaiStopSuffix,
  openaiLength,
  openaiLogprobs,
  openaiToolCalls,
  openaiResponseFormat,
];

export const openaiScenarioChecks: readonly ScenarioCheck<OpenAIExchangeView>[] = [openaiDeterminism, openaiStreamEquivalence];

/**
 * The checks of the OpenAI-compatible routes, in the order `tgc checks` lists them: how the
 * exchange went and its SSE framing (shared with the native API), the schemas and structure
 * (./structure.ts), then what the numbers and the text mean (./meaning.ts).
 */
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition, ScenarioCheck } from '../check.js';
import { responseCompletes } from '../response-completes.js';
import { streamFraming } from '../stream-framing.js';
import { openaiMeaningChecks, openaiScenarioChecks as scenarios } from './meaning.js';
import { openaiStructureChecks } from './structure.js';

export const openaiChecks: readonly CheckDefinition<OpenAIExchangeView>[] = [
  responseCompletes,
  streamFraming,
  ...openaiStructureChecks,
  ...openaiMeaningChecks,
];

export const openaiScenarioChecks: readonly ScenarioCheck<OpenAIExchangeView>[] = scenarios;

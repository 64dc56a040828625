/**
 * The OpenAI-compatible routes that TGI and every other server of the field serve beside their
 * own: `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`
 * (spec/openai.yaml). tgc judges their recordings (`tgc validate`); `tgc run` drives them once the
 * reference server serves them.
 */
import type { CheckDefinition } from '../checks/check.js';
import { openaiChecks, openaiScenarioChecks } from '../checks/openai/index.js';
import type { OpenAIExchangeView } from '../core/exchange.js';
import { OPENAI_ROUTES } from '../core/exchange.js';
import { loadOpenAIContract } from '../contract/openai/contract.js';
import { decodeOpenAIExchange } from '../engine/openai/decode.js';
import type { ApiDefinition } from './types.js';

export const openaiApi: ApiDefinition<OpenAIExchangeView> = {
  name: 'openai',
  title: 'the OpenAI-compatible routes (/v1/chat/completions, /v1/completions, /v1/models)',
  spec: 'spec/openai.yaml',
  routes: OPENAI_ROUTES,
  async decoder() {
    const contract = await loadOpenAIContract();
    return (raw, context) => decodeOpenAIExchange(raw, contract, context.sse ? { sse: context.sse } : {});
  },
  checks: openaiChecks as readonly CheckDefinition<OpenAIExchangeView>[],
  scenarioChecks: openaiScenarioChecks,
};

/**
 * The OpenAI-compatible routes that TGI and every other server of the field serve beside their
 * own: `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`
 * (spec/openai.yaml). tgc judges their recordings (`tgc validate`); `tgc run` drives them once the
 * reference server serves them.
 */
import type { CheckDefinition } from '../checks/check.js';
import { openaiChecks, openaiScenarioChecks } from '../checks/openai/index.js';
import type { OpenAIExchangeView, OpenAIRouteName } from '../core/exchange.js';
import { OPENAI_ROUTES } from '../core/exchange.js';
import { isJsonObject } from '../core/json.js';
import { loadOpenAIContract } from '../contract/openai/contract.js';
import { decodeOpenAIExchange } from '../engine/openai/decode.js';
import type { ApiDefinition } from './types.js';

const ROUTE_NAMES: Readonly<Record<string, OpenAIRouteName>> = {
  chat: 'POST /v1/chat/completions',
  completions: 'POST /v1/completions',
  models: 'GET /v1/models',
};

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
  bindings: {
    file: 'openai.ts',
    aliases: [
      'ChatCompletionRequest',
      'ChatCompletionRequestMessage',
      'ChatCompletionRequestDeveloperMessage',
      'ChatCompletionRequestSystemMessage',
      'ChatCompletionRequestUserMessage',
      'ChatCompletionRequestAssistantMessage',
      'ChatCompletionRequestToolMessage',
      'ChatCompletionContentPartText',
      'ChatCompletionContentPartImage',
      'ChatCompletionTool',
      'ChatCompletionToolChoiceOption',
      'FunctionObject',
      'ResponseFormatText',
      'ResponseFormatJsonObject',
      'ResponseFormatJsonSchema',
      'StopConfiguration',
      'ChatCompletionStreamOptions',
      'CompletionRequest',
      'ChatCompletion',
      'ChatCompletionChoice',
      'ChatCompletionResponseMessage',
      'ChatCompletionMessageToolCall',
      'ChatCompletionChunk',
      'ChatCompletionChunkChoice',
      'ChatCompletionStreamDelta',
      'ChatCompletionToolCallDelta',
      'ChatCompletionLogprobs',
      'ChatCompletionTokenLogprob',
      'Completion',
      'CompletionChoice',
      'CompletionChunk',
      'CompletionLogprobs',
      'ModelList',
      'Model',
      'Usage',
      'OpenAIError',
      'OpenAIErrorResponse',
      'TgiErrorResponse',
      'BareStringError',
      'TgiStreamError',
      'FlatErrorResponse',
    ],
  },
  artifacts: {
    routeNames: Object.keys(ROUTE_NAMES),
    // The route a request names by its keys, never the body's `object` (deviant servers mislabel it).
    route(_kind, given) {
      if (given.route !== undefined) {
        const name = ROUTE_NAMES[given.route];
        if (!name) throw new Error(`--route must be one of ${Object.keys(ROUTE_NAMES).join(', ')}, got "${given.route}"`);
        return name;
      }
      if (isJsonObject(given.request) && 'messages' in given.request) return 'POST /v1/chat/completions';
      if (isJsonObject(given.request) && 'prompt' in given.request) return 'POST /v1/completions';
      throw new Error('--api openai: say which route with --route chat|completions|models (or give --request, whose messages or prompt tells)');
    },
    async validateRequest(body, route) {
      if (route === 'GET /v1/models') throw new Error('GET /v1/models has no request body');
      const kind = route === 'POST /v1/chat/completions' ? 'chat' : 'completions';
      const contract = await loadOpenAIContract();
      return [...contract.request(body, kind).findings, ...contract.requestRejectReasons(body, kind)];
    },
  },
};

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
import { compileOpenAISchemasNow } from '../contract/openai/schemas.js';
import type { Case } from '../engine/cases.js';
import { planOpenAICases } from '../engine/openai/cases.js';
import { decodeOpenAIExchange } from '../engine/openai/decode.js';
import type { OpenAIFeatures } from '../arbitraries/openai/index.js';
import {
  discoverOpenAIModel,
  learnOpenAILimit,
  normaliseOpenAIUrl,
  OPENAI_DEFAULT_LIMITS,
  openaiParametersOf,
  openaiRouteUrl,
  openaiStreamEventBound, openaiBodyByteBound,
  shrinkOpenAIRequest,
} from './openai-driver.js';
import type { ApiDefinition, Limits } from './types.js';

/** The features the learned limits leave on (a refused feature is switched off and retested without). */
function featuresOf(limits: Readonly<Limits>): Partial<OpenAIFeatures> {
  const off = (name: string): boolean => limits[name] === false;
  return {
    ...(off('nSupported') ? { n: false } : {}),
    ...(off('toolsSupported') || off('schemaKeywordsSupported') || off('grammarSupported') ? { tools: false } : {}),
    ...(off('responseFormatSupported') || off('schemaKeywordsSupported') || off('grammarSupported') ? { responseFormat: false } : {}),
    ...(off('logprobsSupported') ? { logprobs: false } : {}),
    ...(off('imagesSupported') ? { images: false } : {}),
  };
}

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
  warm: compileOpenAISchemasNow,
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
  driver: {
    defaultLimits: OPENAI_DEFAULT_LIMITS,
    tokenEnv: ['OPENAI_API_KEY', 'HF_TOKEN'],
    normaliseUrl: normaliseOpenAIUrl,
    routeUrl: openaiRouteUrl,
    // TGI serves the OpenAI-compatible routes beside its own, as the reference server does.
    builtIn: { profile: 'tgi', url: (serverUrl) => `${serverUrl}/v1` },
    discover: discoverOpenAIModel,
    planCases(options) {
      const cases = planOpenAICases({
        seed: options.seed,
        maxExamples: options.maxExamples,
        ...(options.model !== undefined ? { model: options.model } : {}),
        features: featuresOf(options.limits),
        authRequired: options.authRequired,
        hasToken: options.hasToken,
      });
      // A redraw sees the limits learned since (a refused feature is off from then on).
      return cases.map((c): Case => {
        const redraw = c.redraw;
        return redraw ? { ...c, redraw: (limits) => redraw({ ...limits, openaiFeatures: featuresOf(limits as unknown as Limits) } as never) } : c;
      });
    },
    scenarioContext: {},
    learnLimit: learnOpenAILimit,
    isLoadError: (view) => view.streamError?.status === 429 || view.streamError?.status === 503 || view.streamError?.status === 424,
    shrink: shrinkOpenAIRequest,
    parametersOf: openaiParametersOf,
    streamEventBound: openaiStreamEventBound,
    bodyByteBound: openaiBodyByteBound,
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

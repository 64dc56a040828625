/**
 * Plans the cases of a run on the OpenAI-compatible routes (`tgc run --api openai`): random valid
 * chat and completions requests drawn from spec/openai.yaml's arbitraries (src/arbitraries/openai/),
 * one request per feature whatever the seed, boundary values, one invalid request per rule every
 * real server applies (`requestRejectReasons` of src/contract/openai/contract.ts), the requests
 * real servers answer differently (`either`), bodies rejected before the handler, and auth cases.
 * Pure: the same options give the same plan.
 *
 * Expectations follow verdict-policy "The OpenAI-compatible routes": `reject` only where every
 * real server rejects; `either` where only the official service (or only TGI) rejects, or where a
 * server's setting decides (TGI's max_top_n_tokens); a feature a server may not serve is asked
 * only while it is switched on (`features`), and `redraw` draws again without the features the
 * engine has learned are refused.
 */
import fc from 'fast-check';
import { DEFAULT_OPENAI_FEATURES, resolveOpenAIFeatures, type OpenAIFeatures } from '../../arbitraries/openai/features.js';
import { openaiSpecFacts as facts } from '../../arbitraries/openai/_internals/spec-reader.js';
import { DEFAULT_MAX_TOKENS, MAX_PORTABLE_SEED, type OpenAIRequestConstraints } from '../../arbitraries/openai/_internals/values.js';
import { TINY_PNG_DATA_URL, validChatRequest } from '../../arbitraries/openai/valid-chat-request.js';
import { validCompletionRequest } from '../../arbitraries/openai/valid-completion-request.js';
import type { CaseExpectation, OpenAIRouteName } from '../../core/exchange.js';
import { stringifyJson, type ExactJson } from '../../core/json.js';
import type { Case } from '../cases.js';
import type { KnownServerLimits } from '../options.js';

export type { OpenAIFeatures } from '../../arbitraries/openai/features.js';

export const CHAT_ROUTE: OpenAIRouteName = 'POST /v1/chat/completions';
export const COMPLETIONS_ROUTE: OpenAIRouteName = 'POST /v1/completions';
export const MODELS_ROUTE: OpenAIRouteName = 'GET /v1/models';

export interface OpenAIPlanOptions {
  seed: number;
  /** Random requests per group (chat, chat stream, completions, completions stream). */
  maxExamples: number;
  /** Sent as `model` in every request but the "no model" case; absent everywhere when not given. */
  model?: string;
  /** Features to switch off (or on). @defaultValue DEFAULT_OPENAI_FEATURES (images and a bare-string stop off) */
  features?: Partial<OpenAIFeatures>;
  authRequired: boolean;
  hasToken: boolean;
  /** Cap on max_tokens of random requests. @defaultValue 16 */
  maxTokens?: number;
  /**
   * Server limits known before planning (TGI's /info): `maxStopSequences` bounds stop arrays,
   * `maxTopNTokens` bounds top_logprobs (TGI sends top_logprobs as top_n_tokens),
   * `grammarSupported: false` switches tools and response_format off (TGI builds both on its
   * grammar). `redraw` reads the same keys from the limits it is given.
   */
  limits?: Partial<KnownServerLimits>;
}

/**
 * What `redraw(limits)` reads beyond `KnownServerLimits`: the features the engine learned a
 * server refuses, carried in the limits object it passes (`{ ...limits, openaiFeatures: { tools: false } }`).
 */
export interface OpenAILearnedFeatures {
  openaiFeatures?: Partial<OpenAIFeatures>;
}

/** The features in force: the plan's, less what the limits say the server refuses. */
export function openaiFeaturesFor(base: OpenAIFeatures, limits: Partial<KnownServerLimits> & OpenAILearnedFeatures | undefined): OpenAIFeatures {
  const out: OpenAIFeatures = { ...base };
  if (limits?.grammarSupported === false) {
    out.tools = false;
    out.responseFormat = false;
  }
  const learned = limits?.openaiFeatures;
  if (learned !== undefined && learned !== null && typeof learned === 'object') {
    Object.assign(out, resolveOpenAIFeatures({ ...out, ...learned }, 'openaiFeaturesFor'));
  }
  return out;
}

/** Generation is kept short; features whose output must complete (JSON, tool calls) get more room. */
const SHORT = 8;
const ROOMY = 48;
const QUESTION = 'What is the capital of France?';
const PROMPT = 'The capital of France is';
const U64_MAX = 18446744073709551615n;
/** 2^53 + 1: the first integer a double cannot hold. */
const BEYOND_2_53 = 9007199254740993n;

type Body = { [key: string]: ExactJson };
type Planned = Omit<Case, 'id'>;

export function planOpenAICases(options: OpenAIPlanOptions): Case[] {
  const ctx = context(options);
  const cases: Planned[] = [
    ...featureCases(ctx),
    ...positiveCases(ctx),
    ...boundaryCases(ctx),
    ...negativeCases(ctx),
    ...differCases(ctx),
    ...preHandlerCases(ctx),
    ...authCases(ctx),
  ];
  return cases.map((c, id) => ({ ...c, id }));
}

interface Context {
  options: OpenAIPlanOptions;
  features: OpenAIFeatures;
  maxStop: number;
  maxTop: number;
  /** `model` first, when given. */
  withModel(body: Body): Body;
  chat(extra: Body, messages?: ExactJson): Body;
  completion(extra: Body): Body;
}

function context(options: OpenAIPlanOptions): Context {
  if (!Number.isSafeInteger(options.maxExamples) || options.maxExamples < 0) {
    throw new Error(`[tgc] planOpenAICases: maxExamples must be an integer >= 0, got ${String(options.maxExamples)}`);
  }
  const features = openaiFeaturesFor(resolveOpenAIFeatures(options.features, 'planOpenAICases'), options.limits);
  const withModel = (body: Body): Body => (options.model !== undefined ? { model: options.model, ...body } : body);
  return {
    options,
    features,
    maxStop: Math.min(facts.maxStop, options.limits?.maxStopSequences ?? facts.maxStop),
    maxTop: Math.min(facts.topLogprobs.max, options.limits?.maxTopNTokens ?? 5),
    withModel,
    chat: (extra, messages = [{ role: 'user', content: QUESTION }]) => withModel({ messages, max_tokens: SHORT, ...extra }),
    completion: (extra) => withModel({ prompt: PROMPT, max_tokens: SHORT, ...extra }),
  };
}

// ── random valid requests ───────────────────────────────────────────────────────────────────

const GROUPS = [
  { route: CHAT_ROUTE, kind: 'chat', stream: false },
  { route: CHAT_ROUTE, kind: 'chat', stream: true },
  { route: COMPLETIONS_ROUTE, kind: 'completions', stream: false },
  { route: COMPLETIONS_ROUTE, kind: 'completions', stream: true },
] as const;

function positiveCases(ctx: Context): Planned[] {
  return GROUPS.flatMap((g, groupIndex) => positiveGroupCases(ctx, g, groupIndex));
}

/**
 * One group's random valid requests. A function of its own, so that no `redraw` closure holds the
 * list of cases in its scope: a case let go of then frees its body, not the whole plan's.
 */
function positiveGroupCases(ctx: Context, g: (typeof GROUPS)[number], groupIndex: number): Planned[] {
  const { options } = ctx;
  const out: Planned[] = [];
  {
    // Building an arbitrary is the costly part: once per group and set of constraints.
    const arbitraries = new Map<string, fc.Arbitrary<ExactJson>>();
    const arbitrary = (limits: (Partial<KnownServerLimits> & OpenAILearnedFeatures) | undefined): fc.Arbitrary<ExactJson> => {
      const constraints: OpenAIRequestConstraints = {
        maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
        features: openaiFeaturesFor(ctx.features, limits),
        stream: g.stream,
        maxStopSequences: Math.min(facts.maxStop, limits?.maxStopSequences ?? ctx.maxStop),
        maxTopLogprobs: Math.min(facts.topLogprobs.max, limits?.maxTopNTokens ?? ctx.maxTop),
        ...(options.model !== undefined ? { model: options.model } : {}),
      };
      const key = JSON.stringify(constraints);
      let arb = arbitraries.get(key);
      if (!arb) {
        arb = g.kind === 'chat' ? validChatRequest(constraints) : validCompletionRequest(constraints);
        arbitraries.set(key, arb);
      }
      return arb;
    };
    const draw = (limits: (Partial<KnownServerLimits> & OpenAILearnedFeatures) | undefined, index: number, salt = 0): ExactJson =>
      fc.sample(arbitrary(limits), { seed: mix(options.seed, groupIndex * 100_003 + index * 7 + salt), numRuns: 1 })[0] ?? null;
    for (let i = 0; i < options.maxExamples; i++) {
      out.push({
        route: g.route,
        body: draw(options.limits, i),
        auth: 'default',
        expectation: { outcome: 'accept', purpose: 'positive', label: `random valid request #${i + 1}${g.stream ? ' (stream)' : ''}` },
        redraw: (limits) => draw(limits, i, 1),
      });
    }
  }
  return out;
}

// ── one request per feature ─────────────────────────────────────────────────────────────────

/** Two tools: a strict one with an enum, a loose one; both have parameters (TGI requires them). */
const WEATHER_TOOL: Body = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location', 'unit'],
      additionalProperties: false,
    },
    strict: true,
  },
};
const TIME_TOOL: Body = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'The current time in a timezone.',
    parameters: { type: 'object', properties: { timezone: { type: 'string' }, hour24: { type: 'boolean' } }, required: ['timezone'] },
  },
};
const TOOLS: ExactJson = [WEATHER_TOOL, TIME_TOOL];
const WEATHER_QUESTION = [{ role: 'user', content: 'What is the weather like in Paris today?' }];

const ANSWER_SCHEMA: Body = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' }, capital: { type: 'boolean' } },
  required: ['city', 'population', 'capital'],
  additionalProperties: false,
};

interface FeatureSpec {
  label: string;
  route?: OpenAIRouteName;
  body: ExactJson | undefined;
  when?: boolean;
  outcome?: CaseExpectation['outcome'];
}

function featureCases(ctx: Context): Planned[] {
  const f = ctx.features;
  const { chat, completion } = ctx;
  const stops = ['.', '\n'].slice(0, ctx.maxStop);
  const top = Math.min(2, ctx.maxTop);
  const json = [{ role: 'user', content: `${QUESTION} Answer in JSON.` }];
  const specs: FeatureSpec[] = [
    { label: 'the model list', route: MODELS_ROUTE, body: undefined },
    { label: 'a plain chat request', body: chat({}) },
    { label: 'n 2', when: f.n, body: chat({ n: 2, temperature: 0.75 }) },
    { label: 'n 2 on a stream', when: f.n, body: chat({ n: 2, temperature: 0.75, stream: true }) },
    { label: 'stop as an array', when: stops.length > 0, body: chat({ stop: stops, max_tokens: 16 }) },
    { label: `logprobs with top_logprobs ${top}`, when: f.logprobs, body: chat({ logprobs: true, top_logprobs: top }) },
    { label: 'logprobs on a stream', when: f.logprobs, body: chat({ logprobs: true, top_logprobs: Math.min(1, ctx.maxTop), stream: true }) },
    { label: 'a seed beyond 2^53', body: chat({ seed: BEYOND_2_53, temperature: 1 }) },
    { label: 'a stream with include_usage', when: f.streamOptions, body: chat({ stream: true, stream_options: { include_usage: true } }) },
    { label: 'a stream without include_usage', body: chat({ stream: true }) },
    { label: 'max_completion_tokens', when: f.maxCompletionTokens, body: ctx.withModel({ messages: [{ role: 'user', content: QUESTION }], max_completion_tokens: SHORT }) },
    { label: 'response_format text', when: f.responseFormat, body: chat({ response_format: { type: 'text' } }) },
    { label: 'response_format json_object', when: f.responseFormat, body: chat({ response_format: { type: 'json_object' }, max_tokens: ROOMY }, json) },
    {
      label: 'response_format json_schema strict',
      when: f.responseFormat,
      body: chat({ response_format: { type: 'json_schema', json_schema: { name: 'city_facts', schema: ANSWER_SCHEMA, strict: true } }, max_tokens: ROOMY }, json),
    },
    {
      label: 'response_format json_schema strict on a stream',
      when: f.responseFormat,
      body: chat({ response_format: { type: 'json_schema', json_schema: { name: 'city_facts', schema: ANSWER_SCHEMA, strict: true } }, max_tokens: ROOMY, stream: true }, json),
    },
    { label: 'tool_choice auto', when: f.tools, body: chat({ tools: TOOLS, tool_choice: 'auto', max_tokens: ROOMY }, WEATHER_QUESTION) },
    { label: 'tool_choice none', when: f.tools, body: chat({ tools: TOOLS, tool_choice: 'none', max_tokens: ROOMY }, WEATHER_QUESTION) },
    { label: 'tool_choice required', when: f.tools, body: chat({ tools: TOOLS, tool_choice: 'required', max_tokens: ROOMY }, WEATHER_QUESTION) },
    {
      label: 'tool_choice named (get_weather)',
      when: f.tools,
      body: chat({ tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: ROOMY }, WEATHER_QUESTION),
    },
    { label: 'tool_choice required on a stream', when: f.tools, body: chat({ tools: TOOLS, tool_choice: 'required', max_tokens: ROOMY, stream: true }, WEATHER_QUESTION) },
    {
      label: 'a tool round-trip conversation',
      when: f.tools,
      body: chat({ tools: TOOLS, max_tokens: 16 }, [
        ...WEATHER_QUESTION,
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21, "sky": "clear"}' },
      ]),
    },
    {
      label: 'a multi-part user content',
      body: chat({}, [{ role: 'user', content: [{ type: 'text', text: 'Answer briefly.' }, { type: 'text', text: QUESTION }] }]),
    },
    {
      label: 'a system and a developer message',
      body: chat({}, [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'developer', content: 'Answer in one sentence.' },
        { role: 'user', content: QUESTION },
      ]),
    },
    {
      label: 'earlier turns',
      body: chat({}, [
        { role: 'user', content: 'Hello!' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: QUESTION },
      ]),
    },
    {
      label: 'an image part',
      when: f.images,
      body: chat({}, [{ role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, { type: 'image_url', image_url: { url: TINY_PNG_DATA_URL } }] }]),
    },
    { label: 'a plain completions request', route: COMPLETIONS_ROUTE, body: completion({}) },
    { label: 'completions with an array prompt', route: COMPLETIONS_ROUTE, when: f.promptArrays, body: completion({ prompt: [PROMPT, 'Once upon a time'] }) },
    { label: 'completions with an array prompt on a stream', route: COMPLETIONS_ROUTE, when: f.promptArrays, body: completion({ prompt: [PROMPT, 'Once upon a time'], stream: true }) },
    { label: 'completions logprobs 2', route: COMPLETIONS_ROUTE, when: f.logprobs, body: completion({ logprobs: 2 }) },
    { label: 'completions stop as an array', route: COMPLETIONS_ROUTE, when: stops.length > 0, body: completion({ stop: stops, max_tokens: 16 }) },
    { label: 'completions with a seed beyond 2^53', route: COMPLETIONS_ROUTE, body: completion({ seed: BEYOND_2_53, temperature: 1 }) },
    { label: 'completions n 2', route: COMPLETIONS_ROUTE, when: f.n, body: completion({ n: 2, temperature: 0.75 }) },
    { label: 'a completions stream', route: COMPLETIONS_ROUTE, body: completion({ stream: true }) },
    { label: 'a completions stream with include_usage', route: COMPLETIONS_ROUTE, when: f.streamOptions, body: completion({ stream: true, stream_options: { include_usage: true } }) },
  ];
  return specs
    .filter((s) => s.when !== false)
    .map((s) => ({
      route: s.route ?? CHAT_ROUTE,
      body: s.body,
      auth: 'default' as const,
      expectation: { outcome: s.outcome ?? 'accept', purpose: 'positive' as const, label: `feature: ${s.label}` },
    }));
}

// ── boundaries ──────────────────────────────────────────────────────────────────────────────

interface BoundarySpec {
  name: string;
  value: ExactJson;
  note: string;
  outcome: CaseExpectation['outcome'];
  route?: OpenAIRouteName;
  extra?: Body;
  when?: boolean;
}

function boundaryCases(ctx: Context): Planned[] {
  const f = ctx.features;
  const stops = Array.from({ length: ctx.maxStop }, (_, i) => `stop${i}`);
  const specs: BoundarySpec[] = [
    { name: 'max_tokens', value: 1, note: 'the least limit', outcome: 'accept' },
    { name: 'max_completion_tokens', value: 1, note: 'the least limit', outcome: 'accept', when: f.maxCompletionTokens },
    { name: 'temperature', value: facts.temperature.min, note: 'greedy (TGI maps 0 to greedy decoding)', outcome: 'accept' },
    { name: 'temperature', value: facts.temperature.max, note: 'the spec maximum', outcome: 'accept' },
    { name: 'top_p', value: facts.topP.max, note: 'the spec maximum; TGI rejects top_p >= 1', outcome: 'either' },
    { name: 'top_p', value: 1 / 16, note: 'a small nucleus', outcome: 'accept' },
    { name: 'frequency_penalty', value: facts.frequencyPenalty.min, note: 'the spec minimum', outcome: 'accept' },
    { name: 'frequency_penalty', value: facts.frequencyPenalty.max, note: 'the spec maximum', outcome: 'accept' },
    { name: 'presence_penalty', value: facts.presencePenalty.min, note: 'the spec minimum; TGI sends presence_penalty + 2 as repetition_penalty, which must be > 0', outcome: 'either' },
    { name: 'presence_penalty', value: facts.presencePenalty.max, note: 'the spec maximum', outcome: 'accept' },
    { name: 'top_logprobs', value: facts.topLogprobs.min, note: 'the spec minimum, with logprobs', outcome: 'accept', extra: { logprobs: true }, when: f.logprobs },
    { name: 'top_logprobs', value: facts.topLogprobs.max, note: 'the spec maximum; TGI rejects more than max_top_n_tokens (5 by default)', outcome: 'either', extra: { logprobs: true }, when: f.logprobs },
    { name: 'n', value: 1, note: 'one choice', outcome: 'accept' },
    { name: 'seed', value: 0, note: 'the least seed', outcome: 'accept' },
    { name: 'seed', value: MAX_PORTABLE_SEED, note: '2^63 - 1, the largest int64', outcome: 'accept', extra: { temperature: 1 } },
    { name: 'seed', value: U64_MAX, note: '2^64 - 1, the spec maximum (u64); OpenAI and vLLM read an int64', outcome: 'either', extra: { temperature: 1 } },
    { name: 'stop', value: stops, note: `${stops.length} stop strings, the most allowed`, outcome: 'accept', when: stops.length > 0 },
    { name: 'max_tokens', value: 1, note: 'the least limit', outcome: 'accept', route: COMPLETIONS_ROUTE },
    { name: 'temperature', value: facts.temperature.min, note: 'greedy', outcome: 'accept', route: COMPLETIONS_ROUTE },
    { name: 'logprobs', value: facts.completionLogprobs.min, note: 'the spec minimum', outcome: 'accept', route: COMPLETIONS_ROUTE, when: f.logprobs },
    { name: 'logprobs', value: facts.completionLogprobs.max, note: 'the spec maximum', outcome: 'accept', route: COMPLETIONS_ROUTE, when: f.logprobs },
  ];
  return specs
    .filter((s) => s.when !== false)
    .map((s) => {
      const route = s.route ?? CHAT_ROUTE;
      const extra: Body = { ...s.extra, [s.name]: s.value };
      const body = route === CHAT_ROUTE ? ctx.chat(extra) : ctx.completion(extra);
      return {
        route,
        body,
        auth: 'default' as const,
        expectation: { outcome: s.outcome, purpose: 'boundary' as const, label: `${route === COMPLETIONS_ROUTE ? 'completions ' : ''}${s.name} = ${labelValue(s.value)}: ${s.note}` },
      };
    });
}

// ── requests every real server rejects ──────────────────────────────────────────────────────

interface NegativeSpec {
  /** The rule of `requestRejectReasons` (its finding kind without `reject:`). */
  rule: string;
  label: string;
  body: ExactJson;
  route?: OpenAIRouteName;
  /** False when the rule is about a feature switched off (a server that ignores it may accept). */
  when?: boolean;
}

function negativeCases(ctx: Context): Planned[] {
  const { chat, completion, withModel } = ctx;
  const f = ctx.features;
  const user = { role: 'user', content: QUESTION };
  // Wrong types are ones no lenient parser coerces either: pydantic (vLLM) in lax mode turns "8"
  // into 8 and "yes" or 1 into true, so those would be served by a correct server.
  const specs: NegativeSpec[] = [
    { rule: 'not-an-object', label: 'the body is an array', body: [withModel({ messages: [user], max_tokens: SHORT })] },
    { rule: 'messages-missing', label: 'no messages', body: withModel({ max_tokens: SHORT }) },
    { rule: 'messages-empty', label: 'messages []', body: chat({}, []) },
    { rule: 'messages-empty', label: 'messages [] on a stream', body: chat({ stream: true }, []) },
    { rule: 'message-not-object', label: 'a message that is a string', body: chat({}, [QUESTION]) },
    { rule: 'role-missing', label: 'a message without a role', body: chat({}, [{ content: QUESTION }]) },
    { rule: 'unknown-role', label: 'role "wizard"', body: chat({}, [{ role: 'wizard', content: QUESTION }]) },
    { rule: 'below-minimum:/max_tokens', label: 'max_tokens 0', body: chat({ max_tokens: 0 }) },
    { rule: 'below-minimum:/max_tokens', label: 'max_tokens 0 on a stream', body: chat({ max_tokens: 0, stream: true }) },
    { rule: 'below-minimum:/max_tokens', label: 'max_tokens -1', body: chat({ max_tokens: -1 }) },
    { rule: 'below-minimum:/max_completion_tokens', label: 'max_completion_tokens 0', body: withModel({ messages: [user], max_completion_tokens: 0 }), when: f.maxCompletionTokens },
    { rule: 'below-minimum:/n', label: 'n -1', body: chat({ n: -1 }) },
    { rule: 'wrong-type:/messages', label: 'messages a string', body: withModel({ messages: QUESTION, max_tokens: SHORT }) },
    { rule: 'wrong-type:/messages', label: 'messages an object', body: withModel({ messages: user, max_tokens: SHORT }) },
    { rule: 'wrong-type:/max_tokens', label: 'max_tokens a string', body: chat({ max_tokens: 'eight' }) },
    { rule: 'wrong-type:/max_tokens', label: 'max_tokens a fraction', body: chat({ max_tokens: 8.5 }) },
    { rule: 'wrong-type:/max_tokens', label: 'max_tokens a string on a stream', body: chat({ max_tokens: 'eight', stream: true }) },
    { rule: 'wrong-type:/stream', label: 'stream a string', body: chat({ stream: 'sometimes' }) },
    { rule: 'wrong-type:/temperature', label: 'temperature a string', body: chat({ temperature: 'hot' }) },
    { rule: 'wrong-type:/stop', label: 'stop an array of numbers', body: chat({ stop: [1, 2] }) },
    { rule: 'wrong-type:/seed', label: 'seed a fraction', body: chat({ seed: 1.5 }) },
    { rule: 'wrong-type:/tools', label: 'tools an object', body: chat({ tools: WEATHER_TOOL }), when: f.tools },
    { rule: 'not-an-object', label: 'the body is a string', route: COMPLETIONS_ROUTE, body: PROMPT },
    { rule: 'prompt-missing', label: 'no prompt', route: COMPLETIONS_ROUTE, body: withModel({ max_tokens: SHORT }) },
    { rule: 'prompt-missing', label: 'prompt null', route: COMPLETIONS_ROUTE, body: completion({ prompt: null }) },
    { rule: 'prompt-empty', label: 'prompt ""', route: COMPLETIONS_ROUTE, body: completion({ prompt: '' }) },
    { rule: 'prompt-empty', label: 'prompt []', route: COMPLETIONS_ROUTE, body: completion({ prompt: [] }) },
    { rule: 'prompt-empty', label: 'prompt "" on a stream', route: COMPLETIONS_ROUTE, body: completion({ prompt: '', stream: true }) },
    { rule: 'wrong-type:/prompt', label: 'prompt a number', route: COMPLETIONS_ROUTE, body: completion({ prompt: 42 }) },
    { rule: 'wrong-type:/prompt', label: 'prompt mixing strings and numbers', route: COMPLETIONS_ROUTE, body: completion({ prompt: [PROMPT, 42] }) },
    { rule: 'below-minimum:/max_tokens', label: 'max_tokens 0', route: COMPLETIONS_ROUTE, body: completion({ max_tokens: 0 }) },
    { rule: 'wrong-type:/max_tokens', label: 'max_tokens a string', route: COMPLETIONS_ROUTE, body: completion({ max_tokens: 'eight' }) },
    { rule: 'wrong-type:/stream', label: 'stream an array', route: COMPLETIONS_ROUTE, body: completion({ stream: [true] }) },
  ];
  return specs.filter((s) => s.when !== false).map((s) => {
    const route = s.route ?? CHAT_ROUTE;
    return {
      route,
      body: s.body,
      auth: 'default' as const,
      expectation: {
        outcome: 'reject' as const,
        purpose: 'negative' as const,
        rule: s.rule,
        label: `reject ${s.rule}: ${route === COMPLETIONS_ROUTE ? 'completions ' : ''}${s.label}`,
      },
    };
  });
}

/**
 * Requests real servers answer differently (verdict-policy: "Requests that only the official
 * service rejects (no `model`, `temperature` > 2, `stop` as a string, unknown keys): either
 * outcome is fine"), and other official rules that compatible servers do not apply.
 */
function differCases(ctx: Context): Planned[] {
  const { chat, completion } = ctx;
  const user = { role: 'user', content: QUESTION };
  const f = ctx.features;
  const specs: { label: string; body: ExactJson; route?: OpenAIRouteName; outcome?: CaseExpectation['outcome']; when?: boolean }[] = [
    { label: 'no model (TGI serves its own)', body: { messages: [user], max_tokens: SHORT } },
    { label: 'no model (TGI serves its own)', route: COMPLETIONS_ROUTE, body: { prompt: PROMPT, max_tokens: SHORT } },
    { label: 'temperature 3 (above the official 2)', body: chat({ temperature: 3 }) },
    // TGI reads `stop` as a list; a server known to take a string must serve it.
    { label: 'stop as a string (TGI rejects it)', body: chat({ stop: '.' }), outcome: ctx.features.stopString ? 'accept' : 'either' },
    { label: 'stop as a string (TGI rejects it)', route: COMPLETIONS_ROUTE, body: completion({ stop: '.' }), outcome: ctx.features.stopString ? 'accept' : 'either' },
    { label: 'n 0 (TGI ignores n)', body: chat({ n: 0 }) },
    { label: 'an unknown key', body: chat({ tgc_unknown_key: true }) },
    { label: 'a negative seed (int64 officially, u64 on TGI)', body: chat({ seed: -1 }) },
    { label: 'top_logprobs without logprobs (OpenAI rejects it)', body: chat({ top_logprobs: 1 }), when: f.logprobs },
    { label: 'stream_options without a stream (OpenAI rejects it)', body: chat({ stream_options: { include_usage: true } }), when: f.streamOptions },
    { label: 'max_tokens and max_completion_tokens both (TGI reads one as the other)', body: chat({ max_completion_tokens: SHORT }), when: f.maxCompletionTokens },
  ];
  return specs.filter((s) => s.when !== false).map((s) => {
    const route = s.route ?? CHAT_ROUTE;
    return {
      route,
      body: s.body,
      auth: 'default' as const,
      expectation: {
        outcome: s.outcome ?? 'either',
        purpose: 'negative' as const,
        rule: 'servers-differ',
        label: `servers differ: ${route === COMPLETIONS_ROUTE ? 'completions ' : ''}${s.label}`,
      },
    };
  });
}

/** Bodies rejected before any handler: not JSON; and a JSON body labelled text/plain. */
function preHandlerCases(ctx: Context): Planned[] {
  const valid = ctx.chat({});
  return [
    {
      route: CHAT_ROUTE,
      body: undefined,
      rawBody: '{"messages": [{"role": "user", "content": "unterminated',
      auth: 'default',
      expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'a body that is not JSON' },
    },
    {
      route: COMPLETIONS_ROUTE,
      body: undefined,
      rawBody: '{"prompt": "unterminated',
      auth: 'default',
      expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'completions: a body that is not JSON' },
    },
    {
      // axum (TGI) answers 415 and FastAPI (vLLM) 422, but llama.cpp's server and Ollama parse the
      // body whatever its type: not a request every real server rejects.
      route: CHAT_ROUTE,
      body: undefined,
      rawBody: stringifyJson(valid),
      contentType: 'text/plain',
      auth: 'default',
      expectation: { outcome: 'either', purpose: 'negative', rule: 'pre-handler', label: 'content-type text/plain' },
    },
  ];
}

function authCases(ctx: Context): Planned[] {
  if (!ctx.options.authRequired) return [];
  const body = ctx.chat({ max_tokens: 4 });
  return [
    { route: CHAT_ROUTE, body, auth: 'missing', expectation: { outcome: 'reject', purpose: 'auth', auth: 'missing', label: 'no Authorization header' } },
    { route: CHAT_ROUTE, body, auth: 'wrong', expectation: { outcome: 'reject', purpose: 'auth', auth: 'wrong', label: 'a wrong token' } },
    { route: CHAT_ROUTE, body, auth: 'default', expectation: { outcome: 'accept', purpose: 'auth', auth: 'valid', label: 'the given token' } },
  ];
}

function labelValue(v: ExactJson): string {
  const text = typeof v === 'bigint' ? v.toString() : stringifyJson(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A 31-bit seed for draw `salt` of a run seeded with `seed` (as src/engine/cases.ts). */
function mix(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

export { DEFAULT_OPENAI_FEATURES };

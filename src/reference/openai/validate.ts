/**
 * Validation of the OpenAI-compatible routes, and the plan of what to generate: TGI's way
 * (router/src/lib.rs `ChatRequest::try_into_generate`, server.rs `completions`) of turning an
 * OpenAI request into native requests, then the native validation (rules 2–19 with TGI's
 * messages, f32 reading, token limits) on each.
 *
 * Order: the OpenAI rules below (in the order of `OPENAI_RULES`), then the chat template, then
 * the native validation of each prompt (`validateRequest`), then the grammar (response_format or
 * tools: rules 17, 18, 19). Every failing rule goes through `decide` (the fault hook
 * `overrideValidation`): null accepts the request anyway, and the value is then made harmless.
 *
 * Mapping to the native parameters (documented decisions):
 * - `temperature: 0` → greedy (TGI: `do_sample: false`); any other temperature, or none, samples
 *   (TGI's `do_sample: true`), with the request's seed or a random one.
 * - `top_p: 1` → no top-p (TGI rejects 1.0: the official range 0–1 is kept here); `top_p: 0` →
 *   the smallest positive f32 fraction (only the most likely token survives).
 * - `presence_penalty: p` → `repetition_penalty: p + 2` as TGI does (so 0 gives 2.0), floored at
 *   0.01 (TGI's p = −2 would give 0, which it rejects; the official range −2–2 is kept here).
 * - `frequency_penalty` as is (TGI's rule 4 checks −2–2).
 * - `max_completion_tokens`, else `max_tokens`, else 100 (TGI's default, `max_tokens.or(Some(100))`).
 * - `stop`: a string or up to max_stop_sequences strings (TGI's rule 9).
 * - `n` choices (1–128): choice i samples with seed `seed + i` (mod 2^64) when the request has a
 *   seed, else with its own random seed; greedy choices are all alike. On /v1/completions each
 *   prompt has `n` choices, index = prompt index × n + i.
 * - `logprobs` + `top_logprobs` (0–20) → `top_n_tokens`; completions' `logprobs` (0–5) too.
 */
import type { ExactJson } from '../../core/json.js';
import { jsonSchemaGrammar, SchemaGrammarError } from '../model/index.js';
import type { Grammar } from '../model/index.js';
import type { TypedParameters, TypedRequest } from '../request-body.js';
import { defaultParameters } from '../request-body.js';
import { metaSchemaError, ruleFailure, validateRequest } from '../validation.js';
import type { InferFailure, OpenAIRuleId, ValidationLimits, ValidRequest } from '../validation.js';
import { applyChatTemplate } from './template.js';
import type { ChatRequestIn, CompletionRequestIn, OpenAIRequestIn, ToolIn } from './request.js';

export interface OpenAIRule {
  id: OpenAIRuleId;
  /** The text, with `{placeholders}`. */
  message: string;
  status: number;
  errorType: string;
  /** The request field the rule is about (OpenAI's error `param`). */
  param: string | null;
  source: string;
}

const rule = (name: string, message: string, param: string | null, source: string, errorType = 'validation'): OpenAIRule => ({
  id: `openai:${name}`,
  message,
  status: 422,
  errorType,
  param,
  source,
});

/** The rules of the OpenAI-compatible routes that the native table has no equivalent for, in order. */
export const OPENAI_RULES = {
  'messages-empty': rule('messages-empty', 'Input validation error: `messages` must contain at least one message', 'messages', 'openai-openapi messages minItems 1'),
  'prompt-empty': rule('prompt-empty', 'Input validation error: `prompt` cannot be empty', 'prompt', 'TGI validation.rs:317 (inputs cannot be empty), for an empty list'),
  'batch-size': rule('batch-size', 'Number of prompts exceeds the maximum allowed batch size of {max}', 'prompt', 'TGI server.rs completions', 'batch size exceeded'),
  suffix: rule('suffix', 'Suffix is not supported and can be achieved by preprocessing the prompt.', 'suffix', 'TGI server.rs completions', 'suffix not supported'),
  echo: rule('echo', 'Input validation error: `echo` is not supported', 'echo', 'TGI has no echo; rejected rather than ignored'),
  'n-range': rule('n-range', 'Input validation error: `n` must be >= 1 and <= 128. Given: {n}', 'n', 'openai-openapi n 1..128'),
  'temperature-range': rule('temperature-range', 'Input validation error: `temperature` must be >= 0.0 and <= 2.0. Given: {value}', 'temperature', 'openai-openapi temperature 0..2'),
  'top-p-range': rule('top-p-range', 'Input validation error: `top_p` must be >= 0.0 and <= 1.0. Given: {value}', 'top_p', 'openai-openapi top_p 0..1'),
  'presence-penalty-range': rule('presence-penalty-range', 'Input validation error: `presence_penalty` must be >= -2.0 and <= 2.0. Given: {value}', 'presence_penalty', 'openai-openapi presence_penalty -2..2'),
  'top-logprobs-range': rule('top-logprobs-range', 'Input validation error: `top_logprobs` must be >= 0 and <= 20. Given: {n}', 'top_logprobs', 'openai-openapi top_logprobs 0..20'),
  'logprobs-range': rule('logprobs-range', 'Input validation error: `logprobs` must be >= 0 and <= 5. Given: {n}', 'logprobs', 'openai-openapi completions logprobs 0..5'),
  'tool-choice-without-tools': rule('tool-choice-without-tools', 'Tool error: `tool_choice` {choice} needs `tools`, but the request has none', 'tool_choice', 'TGI infer/tool_grammar.rs', 'tool_error'),
  'tool-choice-unknown': rule('tool-choice-unknown', 'Tool error: `tool_choice` names the function `{name}`, which is not among the tools ({names})', 'tool_choice', 'TGI infer/tool_grammar.rs', 'tool_error'),
  'tools-and-response-format': rule('tools-and-response-format', 'Tool error: Grammar and tools are mutually exclusive', 'response_format', 'TGI lib.rs prepare_chat_input', 'tool_error'),
} as const satisfies Record<string, OpenAIRule>;

export type OpenAIRuleName = keyof typeof OPENAI_RULES;

/** The failure of an OpenAI rule, its placeholders filled in. */
export function openaiFailure(name: OpenAIRuleName, values: Record<string, string | number | bigint> = {}): InferFailure {
  const r: OpenAIRule = OPENAI_RULES[name];
  const error = r.message.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
  return { rule: r.id, status: r.status, body: { error, error_type: r.errorType } };
}

/** The request field a failure is about, for OpenAI's error object. */
export function failureParam(failure: InferFailure, kind: 'chat' | 'completions'): string | null {
  const own = Object.values(OPENAI_RULES).find((r) => r.id === failure.rule);
  if (own) return own.param;
  const input = kind === 'chat' ? 'messages' : 'prompt';
  const byNative: Record<string, string> = {
    '3': 'presence_penalty',
    '4': 'frequency_penalty',
    '8': kind === 'chat' ? 'max_completion_tokens' : 'max_tokens',
    '9': 'stop',
    '11': kind === 'chat' ? 'top_logprobs' : 'logprobs',
    '12': input,
    '15': 'max_tokens',
    '16': input,
    '17': kind === 'chat' ? 'response_format' : 'prompt',
    '18': 'response_format',
    '19': 'response_format',
  };
  return byNative[failure.rule] ?? null;
}

/** TGI's chat and completions default when the request sets no limit (`max_tokens.or(Some(100))`). */
export const DEFAULT_MAX_TOKENS = 100n;
const MAX_N = 128n;
const MAX_TOP_LOGPROBS = 20n;
const MAX_COMPLETION_LOGPROBS = 5n;
const U64 = 2n ** 64n;

/** `response_format: {type: "json_object"}` (or a json_schema without schema): a JSON object of this shape. */
export const JSON_OBJECT_SCHEMA = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
} as const;

/** How the choice's output is constrained. */
export type OutputMode =
  | { kind: 'text' }
  | { kind: 'json'; grammar: Grammar }
  /** A tool call under a grammar; `auto` may draw `no_tool`, and then the answer is text. */
  | { kind: 'tools'; grammar: Grammar; auto: boolean; tools: readonly ToolIn[] };

/** The name the `auto` grammar uses for "answer in text" (TGI's `no_tool`). */
export const NO_TOOL = 'no_tool';

export interface ChoicePlan {
  /** The choice's `index` in the answer. */
  index: number;
  promptIndex: number;
  /** The native request the model runs (after the transformRequest hook). */
  valid: ValidRequest;
}

export interface OpenAIPlan {
  request: OpenAIRequestIn;
  /** The prompt text of each prompt (chat: the template's output). */
  prompts: string[];
  /** Prompt tokens, summed over the prompts (each once, whatever n). */
  promptTokens: number;
  mode: OutputMode;
  choices: ChoicePlan[];
  n: number;
}

export type PlanResult = { ok: true; plan: OpenAIPlan } | { ok: false; failure: InferFailure };

export interface PlanContext {
  limits: ValidationLimits & { maxClientBatchSize: number };
  stream: boolean;
  /** overrideValidation: the failure to reject, or null to go on. */
  decide?: (failure: InferFailure) => InferFailure | null;
  /** transformRequest, per choice. */
  transformChoice?: (valid: ValidRequest, choice: number) => ValidRequest;
}

class Rejected {
  readonly failure: InferFailure;
  constructor(failure: InferFailure) {
    this.failure = failure;
  }
}

const f32 = Math.fround;

/** Validates an OpenAI request and plans its choices; never throws on a request. */
export function planOpenAIRequest(req: OpenAIRequestIn, ctx: PlanContext): PlanResult {
  const check = (failure: InferFailure): void => {
    const decided = ctx.decide ? ctx.decide(failure) : failure;
    if (decided) throw new Rejected(decided);
  };
  try {
    return { ok: true, plan: plan(req, ctx, check) };
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, failure: e.failure };
    throw e;
  }
}

function plan(req: OpenAIRequestIn, ctx: PlanContext, check: (f: InferFailure) => void): OpenAIPlan {
  // ── the OpenAI rules ─────────────────────────────────────────────────────────────────────
  if (req.kind === 'chat') {
    if (req.messages.length === 0) check(openaiFailure('messages-empty'));
  } else {
    if (req.prompts.length === 0) check(openaiFailure('prompt-empty'));
    if (req.prompts.length > ctx.limits.maxClientBatchSize) check(openaiFailure('batch-size', { max: ctx.limits.maxClientBatchSize }));
    if (req.suffix !== null) check(openaiFailure('suffix'));
    if (req.echo) check(openaiFailure('echo'));
  }
  const nAsked = req.n ?? 1n;
  if (nAsked < 1n || nAsked > MAX_N) check(openaiFailure('n-range', { n: nAsked }));
  const n = Number(nAsked < 1n ? 1n : nAsked > MAX_N ? MAX_N : nAsked);
  const temperature = req.temperature === null ? null : f32(req.temperature);
  if (temperature !== null && !(temperature >= 0 && temperature <= 2)) check(openaiFailure('temperature-range', { value: String(req.temperature) }));
  const topP = req.top_p === null ? null : f32(req.top_p);
  if (topP !== null && !(topP >= 0 && topP <= 1)) check(openaiFailure('top-p-range', { value: String(req.top_p) }));
  const presence = req.presence_penalty === null ? null : f32(req.presence_penalty);
  if (presence !== null && !(presence >= -2 && presence <= 2)) check(openaiFailure('presence-penalty-range', { value: String(req.presence_penalty) }));
  let topN = 0n;
  if (req.kind === 'chat') {
    const asked = req.top_logprobs ?? 0n;
    if (asked > MAX_TOP_LOGPROBS) check(openaiFailure('top-logprobs-range', { n: asked }));
    topN = req.logprobs ? asked : 0n;
  } else if (req.logprobs !== null) {
    if (req.logprobs > MAX_COMPLETION_LOGPROBS) check(openaiFailure('logprobs-range', { n: req.logprobs }));
    // one position's alternatives; at least the sampled token is reported
    topN = req.logprobs;
  }
  const tools = req.kind === 'chat' ? toolsInUse(req, check) : null;

  // ── the template and the native validation ─────────────────────────────────────────────
  const prompts = req.kind === 'chat' ? [applyChatTemplate(req.messages, tools)] : req.prompts;
  const parameters = nativeParameters(req, temperature, topP, presence, topN);
  const limits = { ...ctx.limits, maxTopNTokens: Number(MAX_TOP_LOGPROBS) };
  const validated: ValidRequest[] = prompts.map((inputs) => {
    const typed: TypedRequest = { inputs, parameters, parametersPresent: true, stream: ctx.stream, unknownKeys: [], body: req.body };
    const result = validateRequest(typed, { stream: ctx.stream, defaultReturnFullText: false, limits, ...(ctx.decide ? { decide: ctx.decide } : {}) });
    if (!result.ok) throw new Rejected(result.failure);
    return result.request;
  });

  // ── the grammar (rules 17–19) ──────────────────────────────────────────────────────────
  const mode = req.kind === 'chat' ? outputMode(req, tools, ctx.limits.grammar, check) : ({ kind: 'text' } as const);

  const choices: ChoicePlan[] = [];
  validated.forEach((base, p) => {
    for (let i = 0; i < n; i++) {
      const index = p * n + i;
      const seeded: ValidRequest = {
        ...base,
        seed: base.seed === null ? null : (base.seed + BigInt(i)) % U64,
        // Spare candidates: completions' top_logprobs is a dict by text, where byte pieces that
        // share a text count once (responses.ts keeps the first k distinct).
        topNTokens: Number(topN) > 0 ? Number(topN) + 8 : 0,
        // Exactly top_logprobs alternatives, from the model's own distribution (OpenAI's logprobs).
        unwarpedLogprobs: true,
        // A JSON-constrained generation is not cut by stop strings: its output must stay JSON.
        ...(mode.kind === 'text' ? {} : { grammar: mode.grammar, stop: [] }),
      };
      choices.push({ index, promptIndex: p, valid: ctx.transformChoice ? ctx.transformChoice(seeded, index) : seeded });
    }
  });
  return {
    request: req,
    prompts,
    promptTokens: validated.reduce((sum, v) => sum + v.inputLength, 0),
    mode,
    choices,
    n,
  };
}

function nativeParameters(req: OpenAIRequestIn, temperature: number | null, topP: number | null, presence: number | null, topN: bigint): TypedParameters {
  const p = defaultParameters(false);
  // TGI: "enable greedy only when temperature is 0"
  p.do_sample = temperature !== 0;
  p.temperature = temperature === 0 || temperature === null ? null : Math.min(2, Math.max(1e-3, temperature));
  if (topP !== null && topP < 1) p.top_p = topP <= 0 ? 1e-6 : topP;
  if (presence !== null) p.repetition_penalty = Math.max(0.01, Math.min(4, presence + 2));
  p.frequency_penalty = req.frequency_penalty;
  const limit = req.kind === 'chat' ? (req.max_completion_tokens ?? req.max_tokens) : req.max_tokens;
  p.max_new_tokens = limit ?? DEFAULT_MAX_TOKENS;
  p.stop = req.stop;
  p.seed = req.seed;
  p.top_n_tokens = topN > MAX_TOP_LOGPROBS ? MAX_TOP_LOGPROBS : topN;
  return p;
}

/** The tools the request really offers: none when tool_choice is "none" or there are none. */
function toolsInUse(req: ChatRequestIn, check: (f: InferFailure) => void): ToolIn[] | null {
  const tools = req.tools ?? [];
  const choice = req.tool_choice;
  if (choice?.kind === 'none') return null;
  if (tools.length === 0) {
    if (choice !== null && choice.kind !== 'auto') {
      check(openaiFailure('tool-choice-without-tools', { choice: choice.kind === 'function' ? `{"function": {"name": "${choice.name}"}}` : `"${choice.kind}"` }));
    }
    return null;
  }
  if (choice?.kind === 'function' && !tools.some((t) => t.name === choice.name)) {
    check(openaiFailure('tool-choice-unknown', { name: choice.name, names: tools.map((t) => `\`${t.name}\``).join(', ') }));
    return null;
  }
  return tools;
}

type Schema = { [key: string]: ExactJson };

function isSchemaObject(v: ExactJson | undefined): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v !== 'bigint';
}

/** A tool's parameters as the grammar's `arguments`: absent or typeless-and-empty means an object. */
function argumentsSchema(parameters: ExactJson | null): ExactJson {
  if (!isSchemaObject(parameters)) return { type: 'object', properties: {} };
  if (parameters.type === undefined && parameters.properties === undefined && Object.keys(parameters).length === 0) {
    return { type: 'object', properties: {} };
  }
  return parameters;
}

/** The JSON a tool call is generated as: `{"name": "<tool>", "arguments": {…}}`, name first. */
export function toolCallSchema(name: string, parameters: ExactJson | null): Schema {
  return {
    type: 'object',
    properties: { name: { const: name }, arguments: argumentsSchema(parameters) },
    required: ['name', 'arguments'],
  };
}

/** Keywords the grammar cannot follow (as model/grammar/json-schema.ts refuses them). */
const UNSUPPORTED_KEYWORDS = [
  'not', 'if', 'then', 'else', 'patternProperties', 'propertyNames', 'dependentSchemas',
  'unevaluatedProperties', 'unevaluatedItems', 'contains', '$dynamicRef',
];

/** The first unsupported keyword in a schema, with its JSON pointer: what a rule-19 message names. */
export function unsupportedKeyword(schema: ExactJson, at = ''): { keyword: string; pointer: string } | undefined {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const found = unsupportedKeyword(schema[i] as ExactJson, `${at}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isSchemaObject(schema)) return undefined;
  for (const key of UNSUPPORTED_KEYWORDS) if (key in schema) return { keyword: key, pointer: at || '/' };
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
    const found = unsupportedKeyword(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found) return found;
  }
  return undefined;
}

/** Rules 18 (not a JSON Schema) and 19 (not one the grammar can follow) for one schema. */
function compileSchema(schema: ExactJson, where: string, check: (f: InferFailure) => void): Grammar | null {
  const meta = metaSchemaError(schema);
  if (meta !== null) {
    check(ruleFailure('18', { detail: `${where}: ${meta}` }));
    return null;
  }
  const keyword = unsupportedKeyword(schema);
  if (keyword) {
    check(ruleFailure('19', { detail: `${where}: the keyword \`${keyword.keyword}\` (at ${keyword.pointer}) is not supported` }));
    return null;
  }
  try {
    return jsonSchemaGrammar(schema);
  } catch (e) {
    if (e instanceof SchemaGrammarError) {
      check(ruleFailure('19', { detail: `${where}: ${e.message}` }));
      return null;
    }
    throw e;
  }
}

function outputMode(req: ChatRequestIn, tools: ToolIn[] | null, grammarSupported: boolean, check: (f: InferFailure) => void): OutputMode {
  const format = req.response_format;
  const json = format !== null && format.type !== 'text';
  if (tools !== null && json) check(openaiFailure('tools-and-response-format'));
  if ((tools !== null || json) && !grammarSupported) {
    check(ruleFailure('17'));
    return { kind: 'text' };
  }
  if (tools !== null) {
    const choice = req.tool_choice;
    const named = choice?.kind === 'function' ? tools.filter((t) => t.name === choice.name) : tools;
    const auto = choice === null || choice.kind === 'auto';
    const alternatives: Schema[] = [];
    for (const [i, tool] of named.entries()) {
      const where = `tools[${req.tools?.indexOf(tool) ?? i}].function.parameters`;
      const params = tool.parameters;
      if (params !== null && compileSchema(params, where, check) === null) return { kind: 'text' };
      alternatives.push(toolCallSchema(tool.name, params));
    }
    if (auto) alternatives.push(toolCallSchema(NO_TOOL, { type: 'object', properties: {} }));
    const schema: Schema = alternatives.length === 1 ? { ...(alternatives[0] as Schema) } : { anyOf: alternatives };
    // `#/$defs/…` references in the parameters resolve against the grammar's root: hoist them there.
    for (const key of ['$defs', 'definitions'] as const) {
      const merged: Schema = {};
      for (const tool of named) {
        const defs = isSchemaObject(tool.parameters) ? tool.parameters[key] : undefined;
        if (isSchemaObject(defs)) Object.assign(merged, defs);
      }
      if (Object.keys(merged).length > 0) schema[key] = merged;
    }
    const grammar = compileSchema(schema, 'tools', check);
    return grammar === null ? { kind: 'text' } : { kind: 'tools', grammar, auto, tools: named };
  }
  if (json && format !== null) {
    const schema = format.type === 'json_schema' && format.schema !== null ? format.schema : (JSON_OBJECT_SCHEMA as unknown as ExactJson);
    const grammar = compileSchema(schema, 'response_format', check);
    return grammar === null ? { kind: 'text' } : { kind: 'json', grammar };
  }
  return { kind: 'text' };
}

export type { CompletionRequestIn };

/**
 * TGI's request validation, in the order the server runs it (tgi-behavior §2c; TGI
 * router/src/validation.rs `validate`, server.rs `generate_stream_internal`): the rule table
 * (its messages come from spec/openapi.yaml `x-tgc-validation-rules`, through the generated
 * src/generated/spec.ts), and the function that turns a deserialized request into what the
 * model needs.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorBody } from '../core/api.js';
import { spec } from '../generated/spec.js';
import { parseJson, toApproximate } from '../core/json.js';
import type { ExactJson } from '../core/json.js';
import {
  RegexGrammarError,
  SchemaGrammarError,
  encode,
  f32,
  isSampling,
  jsonSchemaGrammar,
  regexGrammar,
} from './model/index.js';
import type { Grammar, WarpParams } from './model/index.js';
import { jsonSyntaxError } from './json-syntax.js';
import type { TypedGrammar, TypedRequest } from './request-body.js';

/** The spec's rule table (spec/openapi.yaml `x-tgc-validation-rules`), the one source of the messages. */
const SPEC_RULES = spec['x-tgc-validation-rules'];

export type RuleId = (typeof SPEC_RULES)[number]['id'];

export interface ValidationRule {
  id: RuleId;
  /** A stable kebab-case name (check-client findings use it as their kind). */
  name: string;
  /** TGI's text, with `{placeholders}`; validation errors are prefixed "Input validation error: ". */
  message: string;
  status: number;
  errorType: string;
  appliesTo: string;
  /** TGI file:line. */
  source: string;
}

const RULE_NAMES: Record<RuleId, string> = {
  s1: 'stream-best-of',
  s2: 'stream-decoder-input-details',
  b1: 'best-of-disabled',
  b2: 'best-of-range',
  o: 'overloaded',
  '1': 'best-of-sampling',
  '2': 'temperature-positive',
  '3': 'repetition-penalty-positive',
  '4': 'frequency-penalty-range',
  '5': 'top-p-range',
  '6': 'typical-p-range',
  '7': 'top-k-positive',
  '8': 'max-new-tokens-positive',
  '9': 'stop-count',
  '10': 'best-of-seed',
  '11': 'top-n-tokens-range',
  '12': 'inputs-empty',
  '13': 'truncate-range',
  '14': 'tokenizer-error',
  '15': 'total-tokens',
  '16': 'input-tokens',
  '17': 'grammar-not-supported',
  '18': 'grammar-not-valid',
  '19': 'grammar-not-compilable',
};

/** Every rule, in execution order, as the spec lists them. */
export const VALIDATION_RULES: readonly ValidationRule[] = SPEC_RULES.map((r) => ({
  id: r.id,
  name: RULE_NAMES[r.id],
  message: r.message,
  status: r.status,
  errorType: r.error_type,
  appliesTo: r.applies_to,
  source: r.source,
}));

const RULES_BY_ID = new Map(VALIDATION_RULES.map((r) => [r.id, r]));

/** An error TGI reports as ErrorResponse: a JSON body with a status, or an in-stream event. */
export interface InferFailure {
  /**
   * The validation rule, or the kind of non-validation error; `fault`: a broken server's own rule
   * (faults/); `openai:<name>`: a rule of the OpenAI-compatible routes (openai/validate.ts).
   */
  rule: RuleId | 'generation' | 'incomplete_generation' | 'fault' | OpenAIRuleId;
  status: number;
  body: ErrorBody;
}

/** A rule of the OpenAI-compatible routes only (src/reference/openai/validate.ts `OPENAI_RULES`). */
export type OpenAIRuleId = `openai:${string}`;

/** The failure of rule `id`, its placeholders filled in. */
export function ruleFailure(id: RuleId, values: Record<string, string | number | bigint> = {}): InferFailure {
  const r = RULES_BY_ID.get(id) as ValidationRule;
  const text = r.message.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
  const error = r.errorType === 'validation' ? `Input validation error: ${text}` : text;
  return { rule: id, status: r.status, body: { error, error_type: r.errorType } };
}

/** A failure of the (simulated) shard while generating: 424 `generation`. */
export function generationFailure(detail: string): InferFailure {
  return { rule: 'generation', status: 424, body: { error: `Request failed during generation: ${detail}`, error_type: 'generation' } };
}

/** The server's limits that validation enforces. */
export interface ValidationLimits {
  maxBestOf: number;
  maxStopSequences: number;
  maxTopNTokens: number;
  maxInputTokens: number;
  maxTotalTokens: number;
  grammar: boolean;
}

/** Everything the model and the response need, once a request passed validation. */
export interface ValidRequest {
  inputs: string;
  /** The prompt's ids after left truncation (with `<s>` unless truncated away). */
  inputIds: number[];
  inputLength: number;
  /** `inputs.chars().count()`: x-compute-characters. */
  computeCharacters: number;
  /** How many tokens generation may produce: max_new_tokens, or what max_total_tokens leaves. */
  maxNewTokens: number;
  stop: string[];
  warp: WarpParams;
  sampling: boolean;
  /** The request's seed; a random one is drawn at generation when sampling without it. */
  seed: bigint | null;
  topNTokens: number;
  /** Log-probabilities before the warpers (the OpenAI-compatible routes; see GenerationParams). */
  unwarpedLogprobs?: boolean;
  grammar: Grammar | null;
  /** A regex grammar the model cannot follow: the shard fails at generation (424), as in TGI. */
  grammarError: string | null;
  details: boolean;
  decoderInputDetails: boolean;
  returnFullText: boolean;
  bestOf: number;
  stream: boolean;
}

export interface ValidationContext {
  stream: boolean;
  /** The route's default for return_full_text (true on `/` for text-generation models). */
  defaultReturnFullText: boolean;
  limits: ValidationLimits;
  /**
   * Decides each failed rule: return the failure to reject the request, or null to go on as if
   * the rule had passed (the hook faults use; validation never calls it for passing rules).
   */
  decide?: (failure: InferFailure) => InferFailure | null;
}

export type ValidationResult = { ok: true; request: ValidRequest } | { ok: false; failure: InferFailure };

/** TGI's chunked generation: without max_new_tokens, 1024 tokens per round (validation.rs:158). */
const DEFAULT_GENERATION_LENGTH = 1024;

class Rejected {
  readonly failure: InferFailure;
  constructor(failure: InferFailure) {
    this.failure = failure;
  }
}

/**
 * The rules that run before the concurrency permit: s1/s2 on streams (server.rs:544-549),
 * b1/b2 for best_of > 1 otherwise (validate_best_of, before the semaphore).
 */
export function preValidate(req: TypedRequest, ctx: ValidationContext): InferFailure | null {
  try {
    const check = checker(ctx);
    const p = req.parameters;
    const bestOf = p.best_of;
    if (ctx.stream) {
      if (bestOf !== null && bestOf !== 1n) check(ruleFailure('s1'));
      if (p.decoder_input_details) check(ruleFailure('s2'));
    } else if (bestOf !== null && bestOf > 1n) {
      if (ctx.limits.maxBestOf === 1) check(ruleFailure('b1'));
      if (bestOf > BigInt(ctx.limits.maxBestOf)) check(ruleFailure('b2', { max: ctx.limits.maxBestOf, n: bestOf }));
    }
    return null;
  } catch (e) {
    if (e instanceof Rejected) return e.failure;
    throw e;
  }
}

function checker(ctx: ValidationContext): (failure: InferFailure) => void {
  return (failure) => {
    const decided = ctx.decide ? ctx.decide(failure) : failure;
    if (decided) throw new Rejected(decided);
  };
}

/** Rules 1–19 (validation.rs `validate`), in order; the first failure wins. */
export function validateRequest(req: TypedRequest, ctx: ValidationContext): ValidationResult {
  try {
    return { ok: true, request: validateOrThrow(req, ctx, checker(ctx)) };
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, failure: e.failure };
    throw e;
  }
}

function validateOrThrow(req: TypedRequest, ctx: ValidationContext, check: (f: InferFailure) => void): ValidRequest {
  const p = req.parameters;
  const limits = ctx.limits;
  const bestOf = p.best_of ?? 1n;
  const samplingAsked = p.do_sample || p.temperature !== null || p.top_k !== null || p.top_p !== null || p.typical_p !== null;
  if (bestOf > 1n && !samplingAsked) check(ruleFailure('1'));
  // f32, as the server reads them (verdict-policy trap 1)
  const temperature = f32(p.temperature ?? 1);
  if (!(temperature > 0)) check(ruleFailure('2'));
  const repetitionPenalty = f32(p.repetition_penalty ?? 1);
  if (!(repetitionPenalty > 0)) check(ruleFailure('3'));
  const frequencyPenalty = f32(p.frequency_penalty ?? 0);
  if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) check(ruleFailure('4'));
  const topP = f32(p.top_p ?? 1);
  if (p.top_p !== null && !(topP > 0 && topP < 1)) check(ruleFailure('5'));
  const typicalP = f32(p.typical_p ?? 1);
  if (p.typical_p !== null && !(typicalP > 0 && typicalP < 1)) check(ruleFailure('6'));
  const topK = p.top_k ?? 0n;
  if (p.top_k !== null && topK <= 0n) check(ruleFailure('7'));
  if (p.max_new_tokens === 0n) check(ruleFailure('8'));
  if (p.stop.length > limits.maxStopSequences) check(ruleFailure('9', { max: limits.maxStopSequences, n: p.stop.length }));
  if (p.seed !== null && bestOf > 1n) check(ruleFailure('10'));
  const topN = p.top_n_tokens ?? 0n;
  if (topN > BigInt(limits.maxTopNTokens)) check(ruleFailure('11', { max: limits.maxTopNTokens, n: topN }));
  if (req.inputs === '') check(ruleFailure('12'));
  const truncate = p.truncate;
  if (truncate !== null && (truncate === 0n || truncate > BigInt(limits.maxInputTokens))) {
    check(ruleFailure('13', { max: limits.maxInputTokens, n: truncate }));
  }
  // validate_input: tokenize (this tokenizer cannot fail: rule 14 never fires), truncate left
  const encoded = encode(req.inputs);
  const keep = truncate !== null && truncate > 0n && truncate < BigInt(encoded.length) ? Number(truncate) : encoded.length;
  const inputIds = encoded.slice(encoded.length - keep);
  const inputLength = inputIds.length;
  const room = Math.max(0, limits.maxTotalTokens - inputLength);
  const requested = p.max_new_tokens === null ? room : Number(p.max_new_tokens);
  // tgi-behavior §2c rule 15 (TGI >= 3.1.1): generation runs in rounds of at most 1024 tokens,
  // and each round must fit.
  const firstRound = Math.min(requested, DEFAULT_GENERATION_LENGTH);
  if (inputLength + firstRound > limits.maxTotalTokens) {
    check(ruleFailure('15', { max_total: limits.maxTotalTokens, in: inputLength, mnt: firstRound }));
  }
  if (inputLength > limits.maxInputTokens) check(ruleFailure('16', { max: limits.maxInputTokens, n: inputLength }));
  const [grammar, grammarError] = p.grammar === null ? [null, null] : compileGrammar(p.grammar, limits, check);
  const warp: WarpParams = sanitize({
    temperature,
    topK: Number(topK),
    topP,
    typicalP,
    repetitionPenalty,
    frequencyPenalty,
    watermark: p.watermark,
    doSample: p.do_sample,
  });
  return {
    inputs: req.inputs,
    inputIds,
    inputLength,
    computeCharacters: Array.from(req.inputs).length,
    // A later round that no longer fits ends the generation with `length` (tgi-behavior N-2).
    maxNewTokens: Math.min(requested, room),
    stop: p.stop,
    warp,
    sampling: isSampling(warp),
    seed: p.seed,
    topNTokens: Number(topN),
    grammar,
    grammarError,
    details: ctx.stream ? p.details : p.details || p.decoder_input_details,
    decoderInputDetails: p.decoder_input_details,
    returnFullText: p.return_full_text ?? ctx.defaultReturnFullText,
    bestOf: Number(bestOf < 1n ? 1n : bestOf),
    stream: ctx.stream,
  };
}

/** Keeps values a fault let through from breaking the model (NaN scores, negative counts). */
function sanitize(w: WarpParams): WarpParams {
  return {
    ...w,
    temperature: w.temperature > 0 ? w.temperature : 1,
    topK: Math.max(0, w.topK),
    topP: w.topP > 0 && w.topP < 1 ? w.topP : 1,
    typicalP: w.typicalP > 0 && w.typicalP < 1 ? w.typicalP : 1,
    repetitionPenalty: w.repetitionPenalty > 0 ? w.repetitionPenalty : 1,
  };
}

let ajv: Ajv2020 | undefined;

/** jsonschema::draft202012::meta::validate, through ajv's 2020-12 meta-schema. */
export function metaSchemaError(schema: ExactJson): string | null {
  ajv ??= new Ajv2020({ strict: false, validateFormats: false });
  if (ajv.validateSchema(toApproximate(schema) as object) === true) return null;
  const first = ajv.errors?.[0];
  if (!first) return 'not a valid JSON Schema';
  return `${first.instancePath || '/'} ${first.message ?? 'is not valid'}`;
}

/** Rules 17–19 (validation.rs:351-399), then the grammar the model follows. */
function compileGrammar(
  grammar: TypedGrammar,
  limits: ValidationLimits,
  check: (f: InferFailure) => void,
): [Grammar | null, string | null] {
  if (!limits.grammar) {
    check(ruleFailure('17'));
    return [null, null];
  }
  if (grammar.type === 'regex') {
    // TGI hands regexes to the shard unchecked; one it cannot compile fails there.
    try {
      return [regexGrammar(grammar.value), null];
    } catch (e) {
      if (e instanceof RegexGrammarError) return [null, `Server error: invalid regex ${JSON.stringify(grammar.value)}: ${e.message}`];
      throw e;
    }
  }
  let schema: ExactJson;
  if (grammar.type === 'json_schema') schema = grammar.value.schema;
  else if (typeof grammar.value === 'string') {
    const parsed = parseJson(grammar.value);
    if (!parsed.ok) {
      check(ruleFailure('18', { detail: jsonSyntaxError(grammar.value) ?? parsed.error }));
      return [null, null];
    }
    schema = parsed.value;
  } else if (grammar.value !== null && typeof grammar.value === 'object' && !Array.isArray(grammar.value)) {
    schema = grammar.value;
  } else {
    check(ruleFailure('17'));
    return [null, null];
  }
  const metaError = metaSchemaError(schema);
  if (metaError !== null) {
    check(ruleFailure('18', { detail: metaError }));
    return [null, null];
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || !('properties' in schema)) {
    check(ruleFailure('18', { detail: "Grammar must have a 'properties' field" }));
    return [null, null];
  }
  try {
    return [jsonSchemaGrammar(schema), null];
  } catch (e) {
    if (e instanceof SchemaGrammarError) {
      check(ruleFailure('19', { detail: e.message }));
      return [null, null];
    }
    throw e;
  }
}

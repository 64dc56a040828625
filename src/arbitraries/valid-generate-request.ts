/**
 * Requests that a conforming server MUST accept on a given route: every parameter of the spec's
 * GenerateParameters, alone and combined, absent, null where the field is an Option, at and
 * next to its bounds, and every cross-field rule of tgi-behavior.md §2c respected.
 *
 * Token budget. tgc cannot see the server's tokenizer, so it assumes the worst case: one token
 * per UTF-8 byte of `inputs` (byte-level BPE, SentencePiece byte fallback) plus
 * {@link ADDED_TOKENS_ALLOWANCE} tokens the tokenizer may add (BOS, EOS, the `▁` prefix). Then
 * `inputs` fits max_input_tokens even without `truncate` (rule 16), and inputs plus
 * max_new_tokens fit max_total_tokens (rule 15, in its stricter pre-v3.1.1 form). When
 * max_new_tokens is left unset, the inputs also leave room for 100 new tokens (TGI's default
 * before v2).
 *
 * Serialise the requests with `stringifyJson` from core/json.ts: seeds above 2^53 are bigints.
 *
 * @see ../shared/reference/tgi-behavior.md §2a (request), §2c (validation, rules s1 … 19)
 * @see ../shared/reference/verdict-policy.md items 1-5
 */
import fc from 'fast-check';
import type { GenerateParameters, GenerateRequest } from '../core/api.js';
import { inputs } from './_internals/builders/inputs.js';
import { resolveContext } from './_internals/context.js';
import {
  ADDED_TOKENS_ALLOWANCE,
  PARAMETER_NAMES,
  isParameterName,
  parameterDomain,
  type ParameterName,
} from './_internals/parameter-domains.js';
import { specParameters } from './_internals/spec-reader.js';
import { utf8ByteLength } from './_internals/utf8.js';
import { parameterValue, type ParameterValue } from './parameter-value.js';
import type { ServerLimits } from './server-limits.js';

export { ADDED_TOKENS_ALLOWANCE } from './_internals/parameter-domains.js';

/** The routes that take a generate request. */
export type GenerateRoute = '/generate' | '/generate_stream' | '/';

export interface ValidGenerateRequestConstraints {
  /**
   * The route the request is for. `/generate` and `/generate_stream` bodies have no `stream` key.
   * @defaultValue '/'
   */
  route?: GenerateRoute;
  /**
   * For route `/`: whether the body asks for a stream (`stream: true`). `/generate_stream`
   * always streams and `/generate` never does.
   * @defaultValue true on /generate_stream, false otherwise
   */
  stream?: boolean;
  /** The server's settings. @defaultValue {@link DEFAULT_SERVER_LIMITS} */
  limits?: Partial<ServerLimits>;
  /** Cap on max_new_tokens, for speed. @defaultValue 16 */
  maxNewTokens?: number;
  /**
   * Always set max_new_tokens (so `parameters` is never absent or `{}`): an unset
   * max_new_tokens lets the server generate up to max_total_tokens.
   * @defaultValue false
   */
  boundedGeneration?: boolean;
  /** Cap on the UTF-8 size of `inputs`. @defaultValue 64 */
  maxInputBytes?: number;
  /** LoRA adapters the server has loaded; adapter_id is otherwise only absent or null. @defaultValue [] */
  adapterIds?: readonly string[];
  /** The parameters that may appear. @defaultValue every parameter of the spec */
  parameters?: readonly ParameterName[];
  /** Parameters always present with a non-null value. @defaultValue [] */
  requiredParameters?: readonly ParameterName[];
}

const ABSENT: unique symbol = Symbol('absent');
type Value = ParameterValue<ParameterName> | null;
type Slot = Value | typeof ABSENT;

/** TGI's max_new_tokens default before v2 (L: default_max_new_tokens); v2+ use the remaining budget. */
const LEGACY_DEFAULT_MAX_NEW_TOKENS = 100;
const DEFAULT_MAX_INPUT_BYTES = 64;
const SAMPLING_PARAMETERS = ['temperature', 'top_k', 'top_p', 'typical_p'] as const satisfies readonly ParameterName[];

function isSet(v: Slot | undefined): boolean {
  return v !== undefined && v !== ABSENT && v !== null;
}

function asNumber(v: Slot | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

function validateNames(names: readonly string[], what: string): void {
  for (const n of names) {
    if (!isParameterName(n) || !specParameters.has(n)) {
      throw new Error(`[tgc] validGenerateRequest: ${what} names "${n}", which is not a parameter of the spec`);
    }
  }
}

/**
 * @example
 * fc.sample(validGenerateRequest({ route: '/generate_stream', limits: { maxBestOf: 4 } }), 1)
 * // [{ inputs: 'What is Deep Learning ?', parameters: { top_p: 0.95, seed: 18446744073709551615n } }]
 */
export function validGenerateRequest(constraints: ValidGenerateRequestConstraints = {}): fc.Arbitrary<GenerateRequest> {
  const route = constraints.route ?? '/';
  if (route !== '/' && route !== '/generate' && route !== '/generate_stream') {
    throw new Error(`[tgc] validGenerateRequest: unknown route ${String(route)}`);
  }
  const stream = route === '/generate_stream' ? true : route === '/generate' ? false : (constraints.stream ?? false);
  if (constraints.stream !== undefined && constraints.stream !== stream) {
    throw new Error(`[tgc] validGenerateRequest: stream ${String(constraints.stream)} is impossible on ${route}`);
  }
  const ctx = resolveContext(constraints, 'validGenerateRequest');
  const { limits } = ctx;
  const included = constraints.parameters ?? PARAMETER_NAMES.filter((n) => specParameters.has(n));
  const required = new Set(constraints.requiredParameters ?? []);
  validateNames(included, 'parameters');
  validateNames([...required], 'requiredParameters');
  const bounded = constraints.boundedGeneration ?? false;
  if (bounded) required.add('max_new_tokens');
  for (const r of required) {
    if (!included.includes(r)) {
      throw new Error(`[tgc] validGenerateRequest: "${r}" is required but not among the included parameters`);
    }
  }

  // The input budget in bytes (see the module comment).
  const maxInputBytes = constraints.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (!Number.isSafeInteger(maxInputBytes) || maxInputBytes < 1) {
    throw new Error(`[tgc] validGenerateRequest: maxInputBytes must be an integer >= 1, got ${String(maxInputBytes)}`);
  }
  const mntCanBeUnset =
    !required.has('max_new_tokens') &&
    limits.maxTotalTokens - ADDED_TOKENS_ALLOWANCE - LEGACY_DEFAULT_MAX_NEW_TOKENS >= 1;
  if (!mntCanBeUnset) required.add('max_new_tokens');
  if (required.has('max_new_tokens') && !included.includes('max_new_tokens')) {
    throw new Error(
      `[tgc] validGenerateRequest: max_new_tokens must be set (boundedGeneration, or limits.maxTotalTokens ${limits.maxTotalTokens} too small for the default) but is not included`,
    );
  }
  const inputBudget = Math.min(
    maxInputBytes,
    limits.maxInputTokens - ADDED_TOKENS_ALLOWANCE,
    limits.maxTotalTokens - ADDED_TOKENS_ALLOWANCE - (mntCanBeUnset ? LEGACY_DEFAULT_MAX_NEW_TOKENS : 1),
  );
  if (inputBudget < 1) {
    throw new Error(
      `[tgc] validGenerateRequest: limits leave no room for an input (maxInputTokens ${limits.maxInputTokens}, maxTotalTokens ${limits.maxTotalTokens}, ${ADDED_TOKENS_ALLOWANCE} tokens allowed for the tokenizer)`,
    );
  }

  const domainOf = (n: ParameterName) => parameterDomain(n, { ...ctx, stream });
  const slots: Record<string, fc.Arbitrary<Slot>> = {};
  for (const name of included) {
    const d = domainOf(name);
    const isRequired = required.has(name);
    const options: fc.WeightedArbitrary<Slot>[] = [];
    // Only null is valid for a grammar without grammar support, or an adapter_id without adapters.
    const onlyNull = (d.kind === 'grammar' && !d.enabled) || (d.kind === 'adapter-id' && d.values.length === 0);
    const values: fc.Arbitrary<Value> | undefined = onlyNull ? undefined : parameterValue({ ...ctx, stream, name, nullable: false });
    if (values !== undefined) options.push({ arbitrary: values, weight: 3 });
    if (!isRequired) {
      options.push({ arbitrary: fc.constant(ABSENT), weight: 2 });
      if (d.nullable) options.push({ arbitrary: fc.constant(null), weight: 1 });
    }
    if (options.length === 0) {
      throw new Error(`[tgc] validGenerateRequest: "${name}" is required but has no valid non-null value here`);
    }
    slots[name] = fc.oneof(...options);
  }
  const spares: Record<string, fc.Arbitrary<Value>> = {};
  for (const name of SAMPLING_PARAMETERS) {
    if (included.includes(name)) spares[name] = parameterValue({ ...ctx, stream, name, nullable: false });
  }
  const mntDomain = included.includes('max_new_tokens') ? domainOf('max_new_tokens') : undefined;

  const shapes: fc.WeightedArbitrary<'absent' | 'empty' | 'object'>[] = [{ arbitrary: fc.constant('object'), weight: 8 }];
  if (required.size === 0) {
    shapes.push({ arbitrary: fc.constant('absent'), weight: 1 }, { arbitrary: fc.constant('empty'), weight: 1 });
  }

  return fc
    .record({
      inputs: inputs(inputBudget),
      shape: fc.oneof(...shapes),
      slots: fc.record(slots),
      spares: fc.record(spares),
      coin: fc.nat({ max: 1_000 }),
      streamKey: fc.boolean(),
    })
    .map(({ inputs: text, shape, slots: raw, spares: spare, coin, streamKey }) => {
      const request: GenerateRequest = { inputs: text };
      if (shape !== 'absent') {
        const p: Record<string, Slot> = shape === 'object' ? { ...raw } : {};
        if (shape === 'object') {
          fixBestOf(p, spare, coin, required);
          // Rule 15 with this input's worst case.
          if (mntDomain !== undefined && typeof p['max_new_tokens'] === 'number') {
            const room = limits.maxTotalTokens - ADDED_TOKENS_ALLOWANCE - utf8ByteLength(text);
            p['max_new_tokens'] = Math.max(1, Math.min(p['max_new_tokens'], room));
          }
        }
        const parameters = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== ABSENT));
        // The slots hold values of each parameter's own type (parameterValue per name).
        request.parameters = parameters as GenerateParameters;
      }
      if (route === '/') {
        if (stream) request.stream = true;
        else if (streamKey) request.stream = false;
      }
      return request;
    });
}

/**
 * best_of > 1 needs sampling (rule 1) and no seed (rule 10); max_best_of and the stream rule s1
 * are already in best_of's domain.
 */
function fixBestOf(p: Record<string, Slot>, spare: Record<string, Value>, coin: number, required: ReadonlySet<string>): void {
  if (asNumber(p['best_of']) <= 1) return;
  if (isSet(p['seed'])) {
    if (required.has('seed') || coin % 2 === 0) {
      p['best_of'] = 1;
      return;
    }
    p['seed'] = ABSENT;
  }
  const sampling = p['do_sample'] === true || SAMPLING_PARAMETERS.some((n) => isSet(p[n]));
  if (sampling) return;
  const fixes: (() => void)[] = [];
  if ('do_sample' in p) fixes.push(() => (p['do_sample'] = true));
  for (const n of SAMPLING_PARAMETERS) {
    const v = spare[n];
    if (v !== undefined) fixes.push(() => (p[n] = v));
  }
  const fix = fixes[coin % (fixes.length + 1)];
  if (fix !== undefined) fix();
  else p['best_of'] = 1;
}

/**
 * The domain of each request parameter that a conforming server must accept: the spec's
 * schema (read by spec-reader.ts), narrowed by the server limits, the Rust type (f32 rounding,
 * integer ranges) and the §2c rules that concern one parameter alone given the route
 * (s1, s2: on a stream best_of must be 1 and decoder_input_details false).
 *
 * @see ../shared/reference/tgi-behavior.md §2a, §2c
 * @see ../shared/reference/verdict-policy.md items 1, 2, 3
 */
import type { GenerateParameters } from '../../core/api.js';
import { LIMIT_NAMES, type ServerLimits } from '../server-limits.js';
import { F32_MIN_NORMAL, nextDownF32, nextUpF32 } from './f32.js';
import { specParameters, type ParameterSchema } from './spec-reader.js';

export type ParameterName = keyof GenerateParameters;

/** How a parameter is generated. */
export type DomainKind = 'boolean' | 'integer' | 'float' | 'string-list' | 'adapter-id' | 'grammar';

/**
 * The generator of each parameter. Every property of the spec's GenerateParameters must have
 * an entry and every entry a property (arbitraries test "spec coverage"); `satisfies` ties the
 * table to core/api.ts as well.
 */
export const PARAMETER_KINDS = {
  adapter_id: 'adapter-id',
  best_of: 'integer',
  decoder_input_details: 'boolean',
  details: 'boolean',
  do_sample: 'boolean',
  frequency_penalty: 'float',
  grammar: 'grammar',
  max_new_tokens: 'integer',
  repetition_penalty: 'float',
  return_full_text: 'boolean',
  seed: 'integer',
  stop: 'string-list',
  temperature: 'float',
  top_k: 'integer',
  top_n_tokens: 'integer',
  top_p: 'float',
  truncate: 'integer',
  typical_p: 'float',
  watermark: 'boolean',
} as const satisfies Record<ParameterName, DomainKind>;

export const PARAMETER_NAMES: readonly ParameterName[] = Object.keys(PARAMETER_KINDS) as ParameterName[];

export function isParameterName(name: string): name is ParameterName {
  return Object.hasOwn(PARAMETER_KINDS, name);
}

/**
 * The worst case tokens of an input: one per UTF-8 byte (byte-level BPE, or SentencePiece with
 * byte fallback) plus this many added by the tokenizer (BOS, EOS, the SentencePiece dummy
 * prefix `▁`, with one to spare).
 */
export const ADDED_TOKENS_ALLOWANCE = 4;

/** Unbounded float sides are generated up to this magnitude (extreme values make real models produce NaN). */
export const PRACTICAL_FLOAT_MAGNITUDE = 100;

export interface DomainContext {
  limits: ServerLimits;
  /** The request streams (/generate_stream, or / with stream:true). */
  stream: boolean;
  /** Cap on max_new_tokens, for speed. */
  maxNewTokens: number;
  /** LoRA adapter ids the server knows; adapter_id takes only these (or null). */
  adapterIds: readonly string[];
}

interface DomainBase {
  name: ParameterName;
  /** null is a valid value (Rust Option). */
  nullable: boolean;
  schema: ParameterSchema;
}

export interface BooleanDomain extends DomainBase {
  kind: 'boolean';
  values: readonly boolean[];
}
export interface IntegerDomain extends DomainBase {
  kind: 'integer';
  /** Valid values are min..max, inclusive. */
  min: bigint;
  max: bigint;
  /** The Rust type's own range: values outside fail to deserialize. */
  typeMin: bigint;
  typeMax: bigint;
  /** Where `max` comes from: the spec, the Rust type, a server limit, or a §2c rule. */
  maxSource: string;
  minSource: string;
  /** The server limit that bounds it (x-tgc-limit), with its value for this run. */
  limit: { name: string; value: number } | undefined;
}
export interface FloatDomain extends DomainBase {
  kind: 'float';
  /** Read as f32 by the server (x-tgc-rust-type). */
  f32: boolean;
  /** Valid values are lo..hi inclusive; both are f32 when f32, so every double between stays valid after Math.fround. */
  lo: number;
  hi: number;
  /** The spec's bound on each side, if any (a practical bound otherwise). */
  lower: { value: number; exclusive: boolean } | undefined;
  upper: { value: number; exclusive: boolean } | undefined;
}
export interface StringListDomain extends DomainBase {
  kind: 'string-list';
  maxItems: number;
  maxItemsSource: string;
}
export interface AdapterIdDomain extends DomainBase {
  kind: 'adapter-id';
  values: readonly string[];
}
export interface GrammarDomain extends DomainBase {
  kind: 'grammar';
  /** false when the server has grammar support disabled (rule 17). */
  enabled: boolean;
}

export type ParameterDomain =
  | BooleanDomain
  | IntegerDomain
  | FloatDomain
  | StringListDomain
  | AdapterIdDomain
  | GrammarDomain;

const RUST_INTEGERS: Record<string, readonly [bigint, bigint]> = {
  u8: [0n, 2n ** 8n - 1n],
  u16: [0n, 2n ** 16n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  usize: [0n, 2n ** 64n - 1n],
  i8: [-(2n ** 7n), 2n ** 7n - 1n],
  i16: [-(2n ** 15n), 2n ** 15n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** `Option<u32>` → `u32`. */
export function rustInner(rustType: string | undefined): string | undefined {
  if (rustType === undefined) return undefined;
  const m = /^Option<(.+)>$/.exec(rustType.trim());
  return (m?.[1] ?? rustType).trim();
}

/** The kind the spec's schema supports, given the table's kind; a message when it does not. */
export function kindMismatch(kind: DomainKind, s: ParameterSchema): string | undefined {
  const has = (t: string): boolean => s.types.some((x) => x === t);
  switch (kind) {
    case 'boolean':
      return has('boolean') ? undefined : `expected a boolean, the spec says ${s.types.join('|')}`;
    case 'integer':
      return has('integer') ? undefined : `expected an integer, the spec says ${s.types.join('|')}`;
    case 'float':
      return has('number') ? undefined : `expected a number, the spec says ${s.types.join('|')}`;
    case 'string-list':
      return has('array') && (s.itemTypes ?? []).includes('string')
        ? undefined
        : `expected an array of strings, the spec says ${s.types.join('|')}`;
    case 'adapter-id':
      return has('string') ? undefined : `expected a string, the spec says ${s.types.join('|')}`;
    case 'grammar':
      return s.ref === 'GrammarType' ? undefined : `expected a $ref to GrammarType, got ${String(s.ref)}`;
  }
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** A spec bound as an integer; bounds beyond 2^53 are the nearest double in spec.ts (NOTES J2), so they are clamped to the Rust type. */
function intBound(v: number | undefined): bigint | undefined {
  if (v === undefined || !Number.isFinite(v)) return undefined;
  return BigInt(Math.round(v));
}

function ceilF32(x: number): number {
  const f = Math.fround(x);
  return f < x ? nextUpF32(f) : f;
}
function floorF32(x: number): number {
  const f = Math.fround(x);
  return f > x ? nextDownF32(f) : f;
}

function nextUp64(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = (bits[0] ?? 0n) + (x > 0 ? 1n : -1n);
  return buf[0] ?? Number.NaN;
}
function nextDown64(x: number): number {
  return -nextUp64(-x);
}

function integerDomain(base: DomainBase, s: ParameterSchema, ctx: DomainContext): IntegerDomain {
  const inner = rustInner(s.rustType);
  const [typeMin, typeMax] = (inner !== undefined ? RUST_INTEGERS[inner] : undefined) ?? [
    BigInt(Number.MIN_SAFE_INTEGER),
    BigInt(Number.MAX_SAFE_INTEGER),
  ];
  let min = typeMin;
  let minSource = `the Rust type ${String(inner)}`;
  let max = typeMax;
  let maxSource = minSource;
  let limit: IntegerDomain['limit'];
  const lower = [intBound(s.minimum), (intBound(s.exclusiveMinimum) ?? typeMin - 2n) + 1n];
  for (const b of lower) {
    if (b !== undefined && b > min) [min, minSource] = [b, 'the spec'];
  }
  const upper = [intBound(s.maximum), (intBound(s.exclusiveMaximum) ?? typeMax + 2n) - 1n];
  for (const b of upper) {
    if (b !== undefined && b < max) [max, maxSource] = [b, 'the spec'];
  }
  if (s.limit !== undefined) {
    const key = LIMIT_NAMES[s.limit.name as keyof typeof LIMIT_NAMES] as keyof ServerLimits | undefined;
    if (key === undefined) throw new Error(`[tgc] arbitraries: unknown x-tgc-limit ${s.limit.name} on ${s.name}`);
    const value = Number(ctx.limits[key]);
    limit = { name: s.limit.name, value };
    let bound = BigInt(value);
    // max_total_tokens bounds input tokens + max_new_tokens (rule 15): leave room for the
    // smallest input (one byte) in the worst case.
    if (s.limit.name === 'max_total_tokens') bound -= BigInt(1 + ADDED_TOKENS_ALLOWANCE);
    if (bound < max) [max, maxSource] = [bound, `the server limit ${s.limit.name}`];
  }
  if (base.name === 'max_new_tokens' && BigInt(ctx.maxNewTokens) < max) {
    [max, maxSource] = [BigInt(ctx.maxNewTokens), 'the maxNewTokens cap'];
  }
  if (base.name === 'best_of' && ctx.stream) {
    // s1: on a stream best_of must be exactly 1 (0 included in the rejection).
    [min, max, minSource, maxSource] = [1n, 1n, 'rule s1', 'rule s1'];
  }
  max = bigMax(max, min - 1n);
  return { ...base, kind: 'integer', min, max, typeMin, typeMax, minSource, maxSource, limit };
}

function floatDomain(base: DomainBase, s: ParameterSchema): FloatDomain {
  const f32 = rustInner(s.rustType) === 'f32';
  const up = f32 ? nextUpF32 : nextUp64;
  const down = f32 ? nextDownF32 : nextDown64;
  const ceil = f32 ? ceilF32 : (x: number) => x;
  const floor = f32 ? floorF32 : (x: number) => x;
  const lower =
    s.exclusiveMinimum !== undefined && (s.minimum === undefined || s.exclusiveMinimum >= s.minimum)
      ? { value: s.exclusiveMinimum, exclusive: true }
      : s.minimum !== undefined
        ? { value: s.minimum, exclusive: false }
        : undefined;
  const upper =
    s.exclusiveMaximum !== undefined && (s.maximum === undefined || s.exclusiveMaximum <= s.maximum)
      ? { value: s.exclusiveMaximum, exclusive: true }
      : s.maximum !== undefined
        ? { value: s.maximum, exclusive: false }
        : undefined;
  let lo = lower === undefined ? -PRACTICAL_FLOAT_MAGNITUDE : lower.exclusive ? up(lower.value) : ceil(lower.value);
  // Subnormal f32s pass validation but may be flushed to zero on accelerators: start at the
  // smallest normal.
  if (f32 && lo > 0 && lo < F32_MIN_NORMAL) lo = F32_MIN_NORMAL;
  let hi =
    upper === undefined
      ? Math.max(PRACTICAL_FLOAT_MAGNITUDE, lo * 2)
      : upper.exclusive
        ? down(upper.value)
        : floor(upper.value);
  if (f32 && hi < 0 && hi > -F32_MIN_NORMAL) hi = -F32_MIN_NORMAL;
  if (f32) [lo, hi] = [Math.fround(lo), Math.fround(hi)];
  return { ...base, kind: 'float', f32, lo, hi, lower, upper };
}

/** The domain of one parameter for one route and one set of server limits. */
export function parameterDomain(
  name: ParameterName,
  ctx: DomainContext,
  schemas: ReadonlyMap<string, ParameterSchema> = specParameters,
): ParameterDomain {
  const schema = schemas.get(name);
  if (schema === undefined) throw new Error(`[tgc] arbitraries: the spec has no parameter ${name}`);
  const kind: DomainKind = PARAMETER_KINDS[name];
  const mismatch = kindMismatch(kind, schema);
  if (mismatch !== undefined) throw new Error(`[tgc] arbitraries: parameter ${name}: ${mismatch}`);
  const base: DomainBase = { name, nullable: schema.nullable, schema };
  switch (kind) {
    case 'boolean':
      // s2: on a stream decoder_input_details must be false.
      return { ...base, kind, values: name === 'decoder_input_details' && ctx.stream ? [false] : [false, true] };
    case 'integer':
      return integerDomain(base, schema, ctx);
    case 'float':
      return floatDomain(base, schema);
    case 'string-list': {
      let maxItems = schema.maxItems ?? Number.MAX_SAFE_INTEGER;
      let maxItemsSource = 'the spec';
      if (schema.limit !== undefined) {
        const key = LIMIT_NAMES[schema.limit.name as keyof typeof LIMIT_NAMES] as keyof ServerLimits | undefined;
        if (key === undefined) throw new Error(`[tgc] arbitraries: unknown x-tgc-limit ${schema.limit.name} on ${name}`);
        const v = Number(ctx.limits[key]);
        if (v < maxItems) [maxItems, maxItemsSource] = [v, `the server limit ${schema.limit.name}`];
      }
      return { ...base, kind, maxItems, maxItemsSource };
    }
    case 'adapter-id':
      return { ...base, kind, values: ctx.adapterIds };
    case 'grammar':
      return { ...base, kind, enabled: ctx.limits.grammarSupported };
  }
}

/** Parameters of the spec without a generator, generators without a parameter, and kind mismatches. */
export function specCoverage(schemas: ReadonlyMap<string, ParameterSchema> = specParameters): {
  missing: string[];
  extra: string[];
  mismatches: string[];
} {
  const specNames = [...schemas.keys()];
  return {
    missing: specNames.filter((n) => !isParameterName(n)),
    extra: PARAMETER_NAMES.filter((n) => !schemas.has(n)),
    mismatches: PARAMETER_NAMES.flatMap((n) => {
      const s = schemas.get(n);
      const m = s === undefined ? undefined : kindMismatch(PARAMETER_KINDS[n], s);
      return m === undefined ? [] : [`${n}: ${m}`];
    }),
  };
}

/**
 * Values of one request parameter, read from the spec's GenerateParameters: valid ones (the
 * server must accept them alone, on the given route, with the given limits; f32-safe; null only
 * on Option fields) or invalid ones (it must reject them: beyond a bound, null on a non-Option
 * field, the wrong JSON type). Boundary values are mixed in both ways.
 *
 * @see ../shared/reference/tgi-behavior.md §2a, §2c
 * @see ../shared/reference/verdict-policy.md items 1, 2, 3
 */
import fc from 'fast-check';
import type { GenerateParameters } from '../core/api.js';
import type { ExactJson } from '../core/json.js';
import { domainBoundaries } from './_internals/boundaries.js';
import { resolveContext, type ContextConstraints } from './_internals/context.js';
import { F32_MIN_NORMAL, nextDownF32, nextUpF32 } from './_internals/f32.js';
import { stopSequence } from './_internals/builders/stop-sequence.js';
import { toExactInteger } from './_internals/mappers/exact-integer.js';
import {
  parameterDomain,
  type FloatDomain,
  type IntegerDomain,
  type ParameterDomain,
  type ParameterName,
} from './_internals/parameter-domains.js';
import { grammarType } from './grammar-type.js';

export type { ParameterName } from './_internals/parameter-domains.js';

/** A valid value of parameter N: its type without `undefined` (absent is the request's business). */
export type ParameterValue<N extends ParameterName> = Exclude<GenerateParameters[N], undefined>;

export interface ParameterValueConstraints<N extends ParameterName = ParameterName> extends ContextConstraints {
  /** The parameter, a property of the spec's GenerateParameters. */
  name: N;
  /**
   * true: values the server must accept; false: values it must reject.
   * @defaultValue true
   */
  valid?: boolean;
  /**
   * With `valid`, whether null may be generated for Option fields.
   * @defaultValue true
   */
  nullable?: boolean;
}

function integerValid(d: IntegerDomain): fc.Arbitrary<ExactJson> {
  if (d.max < d.min) throw new Error(`[tgc] parameterValue: ${d.name} has no valid value (${d.min}..${d.max})`);
  const near = d.min + 16n < d.max ? d.min + 16n : d.max;
  return fc
    .oneof(
      { arbitrary: fc.bigInt({ min: d.min, max: near }), weight: 2 },
      { arbitrary: fc.bigInt({ min: d.min, max: d.max }), weight: 2 },
    )
    .map(toExactInteger);
}

function floatValid(d: FloatDomain): fc.Arbitrary<ExactJson> {
  const { lo, hi } = d;
  if (!(lo <= hi)) throw new Error(`[tgc] parameterValue: ${d.name} has no valid value (${lo}..${hi})`);
  // lo and hi are f32 when the server reads f32, so any double between them stays between
  // them after Math.fround (rounding is monotonic).
  const exact = d.f32 ? fc.float({ min: lo, max: hi, noNaN: true }) : fc.double({ min: lo, max: hi, noNaN: true });
  const decimals = fc
    .integer({ min: Math.ceil(Math.max(lo, -1e6) * 100), max: Math.floor(Math.min(hi, 1e6) * 100) })
    .map((k) => Math.min(hi, Math.max(lo, k / 100)));
  // fast-check biases floats towards tiny and extreme magnitudes; two-decimal values are what
  // real clients send, so they come first.
  const arbs: fc.WeightedArbitrary<number>[] = [
    { arbitrary: exact, weight: 1 },
    { arbitrary: fc.double({ min: lo, max: hi, noNaN: true }), weight: 1 },
  ];
  if (Math.floor(Math.min(hi, 1e6) * 100) >= Math.ceil(Math.max(lo, -1e6) * 100)) arbs.push({ arbitrary: decimals, weight: 4 });
  // No subnormal f32 (accelerators may flush them to zero) and no -0: both become 0, which is
  // inside any range that contains them.
  const subnormal = (v: number): boolean => d.f32 && v !== 0 && Math.abs(Math.fround(v)) < F32_MIN_NORMAL;
  return fc.oneof(...arbs).map((v) => (Object.is(v, -0) || subnormal(v) ? 0 : v));
}

function validValues(d: ParameterDomain): fc.Arbitrary<ExactJson> | undefined {
  switch (d.kind) {
    case 'boolean':
      return fc.constantFrom(...d.values);
    case 'integer':
      return integerValid(d);
    case 'float':
      return floatValid(d);
    case 'string-list':
      return fc.array(stopSequence(), { maxLength: Math.min(d.maxItems, 8) });
    case 'adapter-id':
      return d.values.length > 0 ? fc.constantFrom(...d.values) : undefined;
    case 'grammar':
      return d.enabled ? (grammarType() as fc.Arbitrary<ExactJson>) : undefined;
  }
}

function invalidExtras(d: ParameterDomain): fc.Arbitrary<ExactJson>[] {
  switch (d.kind) {
    case 'integer': {
      const out: fc.Arbitrary<ExactJson>[] = [fc.bigInt({ min: d.min - 2n ** 20n, max: d.min - 1n }).map(toExactInteger)];
      if (d.maxSource !== 'the maxNewTokens cap' && !d.maxSource.includes('max_total_tokens')) {
        out.push(fc.bigInt({ min: d.max + 1n, max: d.max + 2n ** 20n }).map(toExactInteger));
      }
      return out;
    }
    case 'float': {
      const out: fc.Arbitrary<ExactJson>[] = [];
      if (d.lower !== undefined) {
        const top = d.lower.exclusive ? Math.fround(d.lower.value) : nextDownF32(d.lower.value);
        const max = Math.fround(d.lower.value) <= d.lower.value ? top : nextDownF32(top);
        out.push(fc.float({ min: Math.fround(max - 100), max, noNaN: true }));
      }
      if (d.upper !== undefined) {
        const bottom = d.upper.exclusive ? Math.fround(d.upper.value) : nextUpF32(d.upper.value);
        const min = Math.fround(d.upper.value) >= d.upper.value ? bottom : nextUpF32(bottom);
        out.push(fc.float({ min, max: Math.fround(min + 100), noNaN: true }));
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * @example
 * fc.sample(parameterValue({ name: 'top_p' }), 3)            // e.g. [0.95, null, 0.9999999403953552]
 * fc.sample(parameterValue({ name: 'top_p', valid: false }), 3) // e.g. [1, -0.5, '1.1754943508222875e-38']
 */
export function parameterValue<N extends ParameterName>(
  constraints: ParameterValueConstraints<N> & { valid?: true },
): fc.Arbitrary<ParameterValue<N> | null>;
export function parameterValue(constraints: ParameterValueConstraints & { valid: false }): fc.Arbitrary<ExactJson>;
export function parameterValue(constraints: ParameterValueConstraints): fc.Arbitrary<ExactJson>;
export function parameterValue(constraints: ParameterValueConstraints): fc.Arbitrary<ExactJson> {
  const ctx = resolveContext(constraints, 'parameterValue');
  const d = parameterDomain(constraints.name, ctx);
  const boundaries = domainBoundaries(d);
  if (constraints.valid === false) {
    const rejects = boundaries.filter((b) => b.expect === 'reject').map((b) => b.value);
    const arbs: fc.WeightedArbitrary<ExactJson>[] = [{ arbitrary: fc.constantFrom(...rejects), weight: 2 }];
    for (const a of invalidExtras(d)) arbs.push({ arbitrary: a, weight: 1 });
    return fc.oneof(...arbs);
  }
  const withNull = d.nullable && constraints.nullable !== false;
  const accepts = boundaries.filter((b) => b.expect === 'accept' && (b.value !== null || withNull)).map((b) => b.value);
  const arbs: fc.WeightedArbitrary<ExactJson>[] = [];
  const values = validValues(d);
  if (values !== undefined) arbs.push({ arbitrary: values, weight: 4 });
  if (accepts.length > 0) arbs.push({ arbitrary: fc.constantFrom(...accepts), weight: 1 });
  if (arbs.length === 0) {
    throw new Error(`[tgc] parameterValue: ${constraints.name} has no valid value with these constraints`);
  }
  return fc.oneof(...arbs);
}

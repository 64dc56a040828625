/**
 * Boundary values of each parameter domain: at and next to each bound, after f32 rounding,
 * with what a conforming server must do with them.
 */
import type { ExactJson } from '../../core/json.js';
import { F32_MIN_NORMAL, nextDownF32, nextUpF32 } from './f32.js';
import { JSON_SCHEMA_EXAMPLE, REGEX_EXAMPLES } from './builders/grammar-values.js';
import type { FloatDomain, IntegerDomain, ParameterDomain } from './parameter-domains.js';
import { toExactInteger } from './mappers/exact-integer.js';

/**
 * `accept`: the server must accept the value (alone, on this route, with these limits);
 * `reject`: it must reject it; `either`: real servers differ for good reasons (an f32 reader
 * and an f64 reader disagree, or the verdict depends on the server version).
 */
export type BoundaryExpectation = 'accept' | 'reject' | 'either';

export interface BoundaryValue {
  value: ExactJson;
  expect: BoundaryExpectation;
  /** Why, in a few words (the bound and its source). */
  note: string;
}

function dedupe(values: BoundaryValue[]): BoundaryValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = `${v.expect}:${typeof v.value}:${String(v.value)}:${JSON.stringify(v.value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const U64_LANDMARKS = [2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n];

function integerBoundaries(d: IntegerDomain): BoundaryValue[] {
  const out: BoundaryValue[] = [];
  const accept = (v: bigint, note: string): void => {
    if (v >= d.min && v <= d.max) out.push({ value: toExactInteger(v), expect: 'accept', note });
  };
  accept(d.min, `minimum (${d.minSource})`);
  accept(d.min + 1n, `next to the minimum (${d.minSource})`);
  accept(d.max - 1n, `next to the maximum (${d.maxSource})`);
  accept(d.max, `maximum (${d.maxSource})`);
  if (d.max - d.min > 2n ** 40n) for (const v of U64_LANDMARKS) accept(v, 'around 2^32, 2^53 or 2^63');
  out.push({ value: toExactInteger(d.min - 1n), expect: 'reject', note: `below the minimum (${d.minSource})` });
  if (d.min !== d.typeMin) {
    out.push({ value: toExactInteger(d.typeMin - 1n), expect: 'reject', note: 'below the Rust type: fails to deserialize' });
  }
  if (d.limit?.name === 'max_total_tokens') {
    // Rule 15: input + min(max_new_tokens, 1024) ≤ max_total_tokens since v3.1.1, the full
    // value before: max_total_tokens itself is rejected by every version only when ≤ 1024.
    const total = BigInt(d.limit.value);
    out.push({
      value: toExactInteger(total),
      expect: total <= 1024n ? 'reject' : 'either',
      note: 'max_total_tokens: with any input over the total (rule 15; chunked since v3.1.1)',
    });
  }
  if (d.maxSource !== 'the maxNewTokens cap' && !d.maxSource.includes('max_total_tokens')) {
    out.push({ value: toExactInteger(d.max + 1n), expect: 'reject', note: `above the maximum (${d.maxSource})` });
  }
  out.push({ value: toExactInteger(d.typeMax + 1n), expect: 'reject', note: 'above the Rust type: fails to deserialize' });
  if (d.max > d.min) {
    out.push({ value: Number(d.min) + 0.5, expect: 'reject', note: 'not an integer: fails to deserialize' });
  }
  return out;
}

/** The shortest decimal that rounds (as f32) to `f` and stays in [lo, hi] as a double, when shorter than `f` itself. */
function shortestSpelling(f: number, lo: number, hi: number): number | undefined {
  for (let p = 1; p <= 17; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f && d >= lo && d <= hi) return d === f ? undefined : d;
  }
  return undefined;
}

/** A double on the other side of `bound` from `inside`'s direction that rounds to `bound` as f32. */
function roundsTo(bound: number, towardsInside: 1 | -1): number {
  const neighbour = towardsInside > 0 ? nextUpF32(bound) : nextDownF32(bound);
  return bound + (neighbour - bound) / 4;
}

function floatBoundaries(d: FloatDomain): BoundaryValue[] {
  const out: BoundaryValue[] = [];
  const up = d.f32 ? nextUpF32 : (x: number) => x + Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE);
  const down = (x: number): number => -up(-x);
  const sides = [
    { bound: d.lower, edge: d.lo, inward: 1 as const, name: 'minimum' },
    { bound: d.upper, edge: d.hi, inward: -1 as const, name: 'maximum' },
  ];
  for (const { bound, edge, inward, name } of sides) {
    if (bound === undefined) continue;
    const step = inward > 0 ? up : down;
    const back = inward > 0 ? down : up;
    const kind = bound.exclusive ? 'exclusive' : 'inclusive';
    out.push({ value: edge, expect: 'accept', note: `the ${name} (${kind} ${bound.value}), as f32` });
    out.push({ value: step(edge), expect: 'accept', note: `next to the ${name}, as f32` });
    const spelled = shortestSpelling(edge, d.lo, d.hi);
    if (spelled !== undefined) out.push({ value: spelled, expect: 'accept', note: `the ${name} spelled shortest, rounds to it as f32` });
    if (bound.exclusive) {
      out.push({ value: bound.value, expect: 'reject', note: `the exclusive ${name} itself` });
      out.push({ value: back(bound.value), expect: 'reject', note: `beyond the exclusive ${name}` });
      if (d.f32 && bound.value === 0) {
        out.push({ value: 2 ** -149, expect: 'either', note: 'the smallest subnormal f32: validation accepts it, accelerators may flush it to zero' });
        out.push({ value: F32_MIN_NORMAL / 2, expect: 'either', note: 'a subnormal f32' });
      }
      if (d.f32) {
        const x = roundsTo(bound.value, inward);
        out.push({ value: x, expect: 'either', note: `inside the exclusive ${name} as a double, on it as f32 (an f32 server rejects it)` });
        const nice = Number(x.toPrecision(8));
        if (Math.fround(nice) === bound.value && (inward > 0 ? nice > bound.value : nice < bound.value)) {
          out.push({ value: nice, expect: 'either', note: `inside the exclusive ${name} as a double, on it as f32` });
        }
      }
    } else {
      out.push({ value: back(bound.value), expect: 'reject', note: `beyond the inclusive ${name}, as f32` });
      out.push({ value: bound.value - inward, expect: 'reject', note: `well beyond the inclusive ${name}` });
      if (d.f32) {
        out.push({ value: roundsTo(bound.value, (-inward) as 1 | -1), expect: 'either', note: `beyond the inclusive ${name} as a double, on it as f32 (an f32 server accepts it)` });
      }
    }
  }
  return out;
}

/** Boundary values of one domain. */
export function domainBoundaries(d: ParameterDomain): BoundaryValue[] {
  const out: BoundaryValue[] = [];
  if (d.nullable) out.push({ value: null, expect: 'accept', note: 'null: the Rust field is an Option' });
  else out.push({ value: null, expect: 'reject', note: 'null on a non-Option field: text/plain 422 (verdict-policy item 3)' });
  switch (d.kind) {
    case 'boolean':
      for (const v of [false, true]) {
        const ok = d.values.includes(v);
        out.push({ value: v, expect: ok ? 'accept' : 'reject', note: ok ? 'a boolean' : 'not allowed on a stream (rule s2)' });
      }
      out.push({ value: 'true', expect: 'reject', note: 'a string: fails to deserialize' });
      break;
    case 'integer':
      out.push(...integerBoundaries(d));
      out.push({ value: String(d.min), expect: 'reject', note: 'a string: fails to deserialize' });
      break;
    case 'float':
      out.push(...floatBoundaries(d));
      out.push({ value: String(d.lo), expect: 'reject', note: 'a string: fails to deserialize' });
      break;
    case 'string-list':
      out.push({ value: [], expect: 'accept', note: 'no stop sequence' });
      if (d.maxItems <= 64) {
        const full = Array.from({ length: d.maxItems }, (_, i) => `stop${i}`);
        out.push({ value: full, expect: 'accept', note: `as many as allowed (${d.maxItemsSource})` });
        out.push({ value: [...full, 'one more'], expect: 'reject', note: `one more than allowed (${d.maxItemsSource})` });
      }
      out.push({ value: 'stop', expect: 'reject', note: 'a string instead of an array: fails to deserialize' });
      out.push({ value: [1], expect: 'reject', note: 'a number in the array: fails to deserialize' });
      break;
    case 'adapter-id':
      for (const id of d.values) out.push({ value: id, expect: 'accept', note: 'a known adapter' });
      out.push({ value: 1, expect: 'reject', note: 'a number: fails to deserialize' });
      break;
    case 'grammar': {
      const examples: ExactJson[] = [
        { type: 'regex', value: REGEX_EXAMPLES[0] ?? '[a-z]+' },
        { type: 'json', value: JSON_SCHEMA_EXAMPLE as { [k: string]: ExactJson } },
        { type: 'json', value: JSON.stringify(JSON_SCHEMA_EXAMPLE) },
        { type: 'json_object', value: JSON_SCHEMA_EXAMPLE as { [k: string]: ExactJson } },
        { type: 'json_schema', value: { name: 'person', schema: JSON_SCHEMA_EXAMPLE as { [k: string]: ExactJson } } },
      ];
      for (const g of examples) {
        out.push(
          d.enabled
            ? { value: g, expect: 'accept', note: 'a grammar the server compiles' }
            : { value: g, expect: 'reject', note: 'grammar support disabled (rule 17)' },
        );
      }
      out.push({ value: { type: 'json', value: 1 }, expect: 'reject', note: 'a json value neither object nor string (rule 17)' });
      out.push({ value: { type: 'json', value: '{not json' }, expect: 'reject', note: 'a json string that does not parse (rule 18)' });
      out.push({ value: { type: 'xml', value: '<a/>' }, expect: 'reject', note: 'an unknown grammar type: fails to deserialize' });
      out.push({ value: { type: 'regex', value: 1 }, expect: 'reject', note: 'a regex that is not a string: fails to deserialize' });
      break;
    }
  }
  return dedupe(out);
}

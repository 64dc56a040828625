/**
 * The boundary values of one request parameter: at and next to each bound (spec bound, Rust
 * type, server limit, §2c rule), after f32 rounding, each with what a conforming server must do
 * with it alone (`accept`, `reject`, or `either` where real servers differ for good reasons).
 * For the engine's boundary and negative cases.
 *
 * @see ../shared/reference/tgi-behavior.md §2a, §2c
 * @see ../shared/reference/verdict-policy.md items 1 (f32), 2 (u64 seeds), 3 (null), 5 (limits)
 */
import { domainBoundaries, type BoundaryValue } from './_internals/boundaries.js';
import { resolveContext, type ContextConstraints } from './_internals/context.js';
import { parameterDomain, type ParameterName } from './_internals/parameter-domains.js';

export type { BoundaryExpectation, BoundaryValue } from './_internals/boundaries.js';

export interface ParameterBoundariesConstraints extends ContextConstraints {
  /** The parameter, a property of the spec's GenerateParameters. */
  name: ParameterName;
}

/**
 * @example
 * parameterBoundaries({ name: 'top_p' })
 * // [{ value: null, expect: 'accept', … }, { value: 1.1754943508222875e-38, expect: 'accept', … },
 * //  …, { value: 0.9999999403953552, expect: 'accept', … }, { value: 1, expect: 'reject', … },
 * //  { value: 0.9999999850988388, expect: 'either', … }, …]
 */
export function parameterBoundaries(constraints: ParameterBoundariesConstraints): readonly BoundaryValue[] {
  const ctx = resolveContext(constraints, 'parameterBoundaries');
  return domainBoundaries(parameterDomain(constraints.name, ctx));
}

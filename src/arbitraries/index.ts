// Arbitraries: fast-check generators of requests, derived from the spec.
export { validGenerateRequest, ADDED_TOKENS_ALLOWANCE } from './valid-generate-request.js';
export type { GenerateRoute, ValidGenerateRequestConstraints } from './valid-generate-request.js';
export { parameterValue } from './parameter-value.js';
export type { ParameterName, ParameterValue, ParameterValueConstraints } from './parameter-value.js';
export { parameterBoundaries } from './parameter-boundaries.js';
export type { BoundaryExpectation, BoundaryValue, ParameterBoundariesConstraints } from './parameter-boundaries.js';
export { grammarType } from './grammar-type.js';
export type { GrammarTypeConstraints } from './grammar-type.js';
export { DEFAULT_SERVER_LIMITS, resolveServerLimits } from './server-limits.js';
export type { ServerLimits } from './server-limits.js';

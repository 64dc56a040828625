/**
 * The validating proxy (`tgc proxy`): forwards live traffic to a target unchanged and judges
 * every exchange with the checks `tgc validate exchanges` applies.
 */
export { startProxy, DEFAULT_MAX_BODY_BYTES } from './server.js';
export type { FindingEvent, ProxyOptions, ProxyServer } from './server.js';
export { routeOf, targetUrl } from './routes.js';
export type { NativeFlavour, RouteDecision } from './routes.js';
export { CLIENT_CHECK, CLIENT_CHECK_IDS, failingViolations, isClientFinding } from './judge.js';
export { SECRET_HEADERS, createSecretStore } from './secrets.js';

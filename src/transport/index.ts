/**
 * The transport: the only code in tgc that opens sockets. `send` performs one request under
 * limits and never rejects; `toRecordedExchange` turns its result into what checks read.
 */
export type { TransportFailureKind, TransportRequest, TransportResult } from './types.js';
export type { TransportLimits } from './limits.js';
export { DEFAULT_LIMITS, limitProblems, makeLimits } from './limits.js';
export { send } from './send.js';
export { createConnectionPool, type ConnectionPool, type ConnectionPoolOptions } from './connections.js';
export { toRecordedExchange } from './record.js';
export { MAX_JSON_DEPTH } from './body.js';

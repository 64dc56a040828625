/**
 * `createConnectionPool`: the kept-alive connections `send` reuses, one pool per run. Real clients
 * (browsers, undici, the official SDKs) reuse a connection for the next request once an answer
 * has been read to its end; a tester that opens one connection per request measures its own
 * handshakes, not the server.
 *
 * - Bounded: at most `maxSockets` connections per origin and in all (the run's concurrency),
 *   idle ones included; a request waits for one when all are busy.
 * - Only a clean exchange gives its connection back: `send` destroys the socket of any exchange
 *   that failed, hit a limit, left its body unread or partly read, was compressed, upgraded, or
 *   aborted. The server's `Connection: close` and a body delimited by the close are honoured.
 * - An idle connection is closed after `idleMs` (or before the server's `Keep-Alive: timeout=N`
 *   hint runs out, whichever is sooner), and never keeps the process alive.
 * - A request that meets a reused connection the server had closed meanwhile (ECONNRESET, EPIPE,
 *   "socket hang up" before any response byte) is sent once more on a fresh connection by `send`:
 *   the race every keep-alive client has. The pool notes when each connection fell idle
 *   (`idleMs`), so that a close after a short idle time, which is not that race but a server
 *   dropping requests on kept-alive connections, is still reported (response-completes).
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Resent } from './types.js';
import http from 'node:http';
import https from 'node:https';

export interface ConnectionPoolOptions {
  /** The most connections per origin and in all, idle ones included: the run's concurrency. */
  maxSockets: number;
  /**
   * An idle connection is closed after this long (the server's `Keep-Alive: timeout` hint, less
   * a second, when shorter). Node's server closes idle connections after 5 s; undici's default
   * is 4 s, like this one.
   * @defaultValue 4_000
   */
  idleMs?: number;
}

export interface ConnectionPool {
  /** The agent that holds the connections of a scheme. */
  agent(protocol: 'http:' | 'https:'): http.Agent;
  /** Connections opened so far (fresh TCP connections, retries included). */
  readonly opened: number;
  /**
   * How long `socket`, a connection of this pool handed to a request, had been idle before that
   * (since the pool got it back from the previous request); undefined for one never used before.
   */
  idleMs(socket: Socket): number | undefined;
  /** Closes every connection, idle or busy (requests in flight are cut). Idempotent. */
  close(): void;
}

/**
 * A pool of kept-alive connections for `send`.
 *
 * @example
 * ```ts
 * const pool = createConnectionPool({ maxSockets: 8 });
 * try {
 *   const result = await send({ method: 'GET', url: 'http://127.0.0.1:8080/info', headers: {} }, DEFAULT_LIMITS, undefined, pool);
 * } finally {
 *   pool.close();
 * }
 * ```
 */
export function createConnectionPool(options: ConnectionPoolOptions): ConnectionPool {
  if (!Number.isSafeInteger(options.maxSockets) || options.maxSockets < 1) {
    throw new RangeError(`maxSockets must be a positive integer, got ${String(options.maxSockets)}`);
  }
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxTotalSockets: options.maxSockets,
    maxFreeSockets: options.maxSockets,
    // The most recently used connection first: the least likely to have been closed by the server.
    scheduling: 'lifo',
    timeout: options.idleMs ?? 4_000,
  };
  let opened = 0;
  const counted = (agent: http.Agent): http.Agent => {
    const create = agent.createConnection.bind(agent) as typeof agent.createConnection;
    agent.createConnection = ((...args: Parameters<typeof create>) => {
      opened++;
      return create(...args);
    }) as typeof agent.createConnection;
    return agent;
  };
  const agents = {
    'http:': counted(new http.Agent(agentOptions)),
    'https:': counted(new https.Agent(agentOptions)),
  };
  const idleMs = idleClock(Object.values(agents));
  return {
    agent: (protocol) => agents[protocol],
    get opened() {
      return opened;
    },
    idleMs,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * Notes when each connection of `agents` fell idle (node's Agent emits 'free' as it takes one
 * back) and returns how long a connection had been idle since: for a reused connection handed to
 * a request, how long it sat in the pool; undefined for one never given back. Shared by the run's
 * pool and the proxy's forwarder, which both say how long a connection the server closed had been idle.
 */
export function idleClock(agents: readonly http.Agent[]): (socket: Socket) => number | undefined {
  const idleSince = new WeakMap<Socket, number>();
  for (const agent of agents) agent.on('free', (socket: Socket) => idleSince.set(socket, performance.now()));
  return (socket) => {
    const since = idleSince.get(socket);
    return since === undefined ? undefined : performance.now() - since;
  };
}

/** What a resend records (`timings.resent`, `ForwardOutcome.resent`): the idle time, to 0.1 ms, and what ended the connection. */
export function resentAfter(idleMs: number | undefined, error: unknown): Resent {
  const what = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : 'closed';
  return { idleMs: Math.round((idleMs ?? 0) * 10) / 10, error: what };
}

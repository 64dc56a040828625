import type { BaseExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';

/**
 * A kept-alive connection closed by the server, before any byte of an answer, after being idle
 * for less than this is reported (a warning): not the race every keep-alive client meets when a
 * server closes an idle connection at its keep-alive timeout (Node's is 5 s, uvicorn's 5 s,
 * nginx's 75 s), but a server dropping the requests it reads on kept-alive connections.
 */
export const KEPT_ALIVE_DROP_MS = 1000;

/**
 * Every request gets a whole answer within tgc's deadlines and limits, from the host it was sent
 * to. A server that accepts the connection and then hangs, stalls, resets, floods or redirects is
 * in violation (DESIGN.md, exit codes); a server that refuses the connection is not tested at all.
 *
 * Applies to every API: it judges only how the exchange went, never a body.
 */
export const responseCompletes: CheckDefinition<BaseExchangeView> = {
  id: 'response-completes',
  severity: 'violation',
  title: 'every request gets a complete answer in time',
  rule: `The server answers each request completely within the deadlines and limits (connect, first byte, body, stream idle and total time, body bytes, event count and size), in valid UTF-8, without resetting the connection or redirecting. A warning when it closed a kept-alive connection, idle for less than ${KEPT_ALIVE_DROP_MS} ms, without answering the request sent on it (tgc sends it again on a fresh connection; Node's fetch does not resend a POST).`,
  source: 'DESIGN.md (exit codes: a server that accepts the connection and then misbehaves is a violation); tgi-behavior.md §2c SSE framing (keep-alive every 15 s); RFC 9112 §9.3.1 (a connection may close at any time) and §9.6 (a server that closes sends "Connection: close"); nodejs/undici#3492 (fetch meets a closed kept-alive connection)',
  run(view) {
    const dropped = keptAliveDrop(view);
    if (dropped) return [...completion(view), dropped];
    return completion(view);
  },
};

/** The exchange's own completion: a redirect or a transport failure is a violation. */
function completion(view: BaseExchangeView): Finding[] {
  if (view.redirect) {
    return [
      {
        check: 'response-completes',
        severity: 'violation',
        kind: 'redirect',
        title: 'the server redirected the request',
        message: `${view.route} answered ${view.redirect.status} with Location ${JSON.stringify(view.redirect.location)}; tgc does not follow redirects (the Authorization header must not travel to another host)`,
      },
    ];
  }
  const failure = view.transportFailure;
  if (!failure) return [];
  return [
    {
      check: 'response-completes',
      severity: 'violation',
      kind: failure.kind,
      title: `the exchange did not complete: ${failure.kind}`,
      message: failure.message,
    },
  ];
}

/** The warning for a request the server dropped on a kept-alive connection, or undefined. */
function keptAliveDrop(view: BaseExchangeView): Finding | undefined {
  const resent: unknown = view.timings?.resent;
  if (resent === null || typeof resent !== 'object') return undefined;
  const { idleMs, error } = resent as { idleMs?: unknown; error?: unknown };
  if (typeof idleMs !== 'number' || !(idleMs >= 0) || idleMs >= KEPT_ALIVE_DROP_MS) return undefined;
  const what = typeof error === 'string' && error !== '' ? error : 'closed';
  return {
    check: 'response-completes',
    severity: 'warning',
    kind: 'kept-alive-dropped',
    title: 'the server closed a kept-alive connection instead of answering',
    message:
      `${view.route}: the request went on a kept-alive connection that had been idle ${idleMs} ms, and the server closed it (${what}) ` +
      'before any byte of an answer; tgc sent it again on a fresh connection, as browsers do, but Node\'s fetch (and so ' +
      '@huggingface/inference) does not resend a POST: its users see this request fail. A server that means to close a ' +
      'connection says so with "Connection: close" on the previous answer (RFC 9112 §9.6); one closed after ' +
      `${KEPT_ALIVE_DROP_MS} ms or more of idleness is the keep-alive timeout, and not reported`,
  };
}

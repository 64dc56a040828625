import type { BaseExchangeView } from '../core/exchange.js';
import type { CheckDefinition } from './check.js';

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
  rule: 'The server answers each request completely within the deadlines and limits (connect, first byte, body, stream idle and total time, body bytes, event count and size), in valid UTF-8, without resetting the connection or redirecting.',
  source: 'DESIGN.md (exit codes: a server that accepts the connection and then misbehaves is a violation); tgi-behavior.md §2c SSE framing (keep-alive every 15 s)',
  run(view) {
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
  },
};

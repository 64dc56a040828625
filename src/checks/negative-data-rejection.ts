import type { CheckDefinition } from './check.js';

/**
 * A request that breaks a settings-independent rule of the contract (a bound, a type, a null on a
 * non-Option field, a missing `inputs`) must be rejected: a 4xx, or on a stream an error event.
 * Judged after the f32 rounding servers apply (verdict-policy item 1): 2.00000001 is accepted as
 * a frequency_penalty of 2 by a correct server.
 */
export const negativeDataRejection: CheckDefinition = {
  id: 'negative-data-rejection',
  severity: 'violation',
  title: 'invalid requests are rejected',
  rule: 'A request that breaks the schema (after f32 rounding) gets a 4xx with the documented error body, or on a stream an error event; never a 2xx answer.',
  source: 'tgi-behavior.md §2a, §2c; verdict-policy items 1, 3, 6, 7',
  run(view) {
    const reasons = view.requestInvalidReasons ?? [];
    if (view.requestBody === undefined || reasons.length === 0) return { skip: 'the request is valid' };
    if (view.status < 200 || view.status >= 300) {
      if (view.status >= 500) {
        return [
          {
            check: 'negative-data-rejection',
            severity: 'violation',
            kind: 'server-error',
            title: 'invalid request answered with a server error',
            message: `the request is invalid (${reasons[0]?.message ?? ''}) and got ${view.status}; invalid input gets a 4xx`,
          },
        ];
      }
      return [];
    }
    if (view.bodyKind === 'sse' && view.streamError) return [];
    const first = reasons[0];
    return [
      {
        check: 'negative-data-rejection',
        severity: 'violation',
        kind: `accepted:${first?.kind ?? 'invalid'}`,
        title: 'invalid request accepted',
        message: `the request is invalid and every conforming server rejects it (${reasons
          .map((r) => r.message)
          .join('; ')}), yet it got ${view.status}${view.bodyKind === 'sse' ? ' and a stream without an error event' : ''}`,
        ...(first?.pointer !== undefined ? { pointer: first.pointer } : {}),
      },
    ];
  },
};

import type { Fault } from './fault.js';

/**
 * With an api key set, answers requests that carry no Authorization header at all (it checks a
 * token only when one is sent); a wrong token still gets 401.
 * @see tgi-behavior.md §2c (--api-key, server.rs:2213-2235); verdict-policy item 19
 */
export const authMissingKeyAccepted: Fault = {
  name: 'auth-missing-key-accepted',
  description: 'with --api-key, a request without Authorization is answered',
  detectedBy: 'auth-required',
  mockOptions: { apiKey: 'tgc-fault-key' },
  runOptions: { authRequired: true },
  authorize: (authorized, ctx) => authorized || ctx.authorization === null,
};

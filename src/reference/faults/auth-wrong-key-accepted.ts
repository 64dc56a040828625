import type { Fault } from './fault.js';

/**
 * With an api key set, answers any `Authorization: Bearer <anything>`: it checks that a token is
 * there, not that it is the key. A request without the header still gets 401.
 * @see tgi-behavior.md §2c (--api-key, server.rs:2213-2235); verdict-policy item 19
 */
export const authWrongKeyAccepted: Fault = {
  name: 'auth-wrong-key-accepted',
  description: 'with --api-key, any bearer token is accepted',
  detectedBy: 'auth-required',
  mockOptions: { apiKey: 'tgc-fault-key' },
  runOptions: { authRequired: true },
  authorize: (authorized, ctx) => authorized || /^bearer\s+\S+/i.test(ctx.authorization ?? ''),
};

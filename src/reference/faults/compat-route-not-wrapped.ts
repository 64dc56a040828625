import type { Fault } from './fault.js';

/**
 * TGI's `POST /` answers a bare object instead of the one-element array it wraps the response in
 * "to match api-inference" (server.rs:149); clients that index `[0]` break.
 * @see tgi-behavior.md §2a (Response), verdict-policy item 21
 */
export const compatRouteNotWrapped: Fault = {
  name: 'compat-route-not-wrapped',
  description: 'POST / answers an object instead of a one-element array',
  detectedBy: 'response-schema',
  transformResponseBody: (body, ctx) =>
    ctx.route === 'POST /' && ctx.status === 200 && Array.isArray(body) && body.length === 1 ? (body[0] ?? body) : body,
};

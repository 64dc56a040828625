import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject, mapDetails, mapResponses } from './_support.js';
import type { JsonObject } from './_support.js';
import type { Fault } from './fault.js';

/** The seed through a JavaScript number: beyond 2^53 it is rounded to the nearest double. */
function rounded(details: JsonObject): JsonObject {
  const seed = details['seed'];
  if (typeof seed !== 'bigint') return details;
  const approx = BigInt(Number(seed));
  // 2^64 − 1 rounds to 2^64, outside u64: keep such seeds below it, as a JS server clamping would.
  const max = (1n << 64n) - 2048n;
  return { ...details, seed: approx > max ? max : approx };
}

/**
 * Echoes u64 seeds above 2^53 rounded to the nearest double (18446744073709551557 becomes
 * 18446744073709549568), as a server that reads the request with JSON.parse does.
 * @see tgi-behavior.md §2a (seed u64), §2b N-10; verdict-policy trap 2
 */
export const seedRounded: Fault = {
  name: 'seed-rounded',
  description: 'details.seed above 2^53 is echoed rounded to a double',
  detectedBy: 'seed-consistency',
  transformResponseBody: (body, ctx) => mapResponses(body, ctx, (r) => mapDetails(r, rounded)),
  transformEvent: (event: ExactJson) =>
    isFinalEvent(event) && isObject(event['details']) ? [{ ...event, details: rounded(event['details']) }] : [event],
};

/** Turns what {@link send} observed into the `RecordedExchange` that checks and `--record` read. */
import type { RecordedExchange, RouteName } from '../core/exchange.js';
import { parseJson, type ExactJson } from '../core/json.js';
import { isJsonType, jsonDepth, MAX_JSON_DEPTH } from './body.js';
import type { TransportResult } from './types.js';

/**
 * The recorded exchange of a transport result: `undefined` when no response status arrived
 * (nothing to check; the caller reports `result.failure`).
 *
 * - `headers`: the response headers (lower-case). Request headers are never recorded here: they
 *   carry the token.
 * - A stream (`text/event-stream`): `stream` is the raw text received.
 * - Otherwise, a JSON-ish content type (`application/json`, `text/json`, `…+json`) whose body
 *   parses with `parseJson` (integers beyond 2^53 kept exactly, as bigint) and nests at most
 *   `MAX_JSON_DEPTH` levels: `response`. Any other body: `responseText` (an empty body too, and
 *   a body cut at `maxBodyBytes`, which is not parsed).
 * - `transportFailure` (kind and message) when `send` reported one; the body is then recorded as
 *   far as it came. `redirect` when the answer was a 3xx with a Location (never followed).
 *
 * @example
 * ```ts
 * const result = await send(request, DEFAULT_LIMITS);
 * const recorded = toRecordedExchange('POST /generate', parseJsonBody(request.body), result);
 * ```
 */
export function toRecordedExchange(
  route: RouteName,
  requestBody: ExactJson | undefined,
  result: TransportResult,
): RecordedExchange | undefined {
  if (result.status === undefined) return undefined;
  const recorded: RecordedExchange = { route, request: requestBody, status: result.status };
  if (result.headers) recorded.headers = { ...result.headers };
  if (result.stream) {
    recorded.stream = result.stream.raw;
  } else if (result.bodyText !== undefined) {
    const text = result.bodyText;
    // A body cut at maxBodyBytes is a prefix of what the server sent: never the JSON it meant.
    const whole = result.failure?.kind !== 'body-too-large';
    const parsed =
      whole && isJsonType(result.contentType) && jsonDepth(text, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH ? parseJson(text) : undefined;
    if (parsed?.ok) recorded.response = parsed.value;
    else recorded.responseText = text;
  }
  if (result.failure) recorded.transportFailure = { kind: result.failure.kind, message: result.failure.message };
  if (result.redirect) recorded.redirect = { ...result.redirect };
  return recorded;
}

/**
 * Pure helpers of the transport: response headers, media types, fatal UTF-8 decoding of a body
 * with the offset of the first bad byte, and a bound on JSON nesting.
 */
import type { SseEvent } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { decodeSse } from '../sse/index.js';
import { firstInvalidUtf8 } from '../sse/utf8.js';
import type { TransportLimits } from './limits.js';
import type { TransportResult } from './types.js';

/**
 * The deepest JSON nesting the transport lets through to `parseJson`. A correct response nests a
 * handful of levels; a body nested deeper parses (V8's JSON.parse is iterative) but breaks every
 * recursive consumer afterwards (`JSON.stringify` overflows the stack near 10,000 levels), so
 * {@link send} reports it and {@link toRecordedExchange} keeps it as text.
 */
export const MAX_JSON_DEPTH = 1_000;

/**
 * Response headers from node's `rawHeaders` (name, value, name, value…): names lower-cased,
 * repeated headers joined with ", " in arrival order (node's own `headers` drops repeats of some
 * names, such as a second `content-type`, which a conformance checker wants to see).
 */
export function joinHeaders(rawHeaders: readonly string[]): Record<string, string> {
  // Straight into the object (a Map then Object.fromEntries cost 5 µs for 16 headers, this 1.3 µs:
  // once per exchange, in every run and through the proxy).
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (Object.hasOwn(out, name)) out[name] = `${out[name]}, ${value}`;
    // An own data property, so that a header named `__proto__` is kept as data (not the prototype).
    else if (name === '__proto__') Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

/** The media type of a content-type value, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** `text/event-stream`, with or without parameters (`; charset=utf-8`). */
export function isEventStream(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'text/event-stream';
}

/** `application/json`, `text/json`, or any `…/…+json` (RFC 6839), with or without parameters. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type === 'text/json' || (type?.endsWith('+json') ?? false);
}

/** What {@link decodeUtf8Body} returns. */
export interface DecodedBody {
  /** The text: all of it, or what precedes the first invalid byte. */
  text: string;
  /** The byte offset of the first byte of the first ill-formed sequence, if any. */
  invalidAt?: number;
}

/**
 * Decodes a body as UTF-8, fatally: no replacement characters, a leading BOM kept (a JSON body
 * must not have one, so the checks should see it). `complete: false` (the body was cut off by a
 * limit or an error) tolerates a character cut by the end of `bytes`, which is dropped.
 *
 * @example
 * ```ts
 * decodeUtf8Body(Buffer.from([0x61, 0xff, 0x62]), true); // { text: 'a', invalidAt: 1 }
 * ```
 */
export function decodeUtf8Body(bytes: Uint8Array, complete: boolean): DecodedBody {
  // Never `decode(…, { stream: true })` here: on a large input that path (ICU's, in Node 20)
  // returns an external two-byte string, twice the body's size outside V8's heap, which the
  // garbage collector hardly sees and lets pile up (1 GB after 40 cut 10 MiB streams). The
  // one-shot decode below returns an ordinary heap string (one byte a character for ASCII).
  let end = bytes.length;
  if (!complete) end -= cutCharacter(bytes);
  const whole = end === bytes.length ? bytes : bytes.subarray(0, end);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(whole) };
  } catch {
    const at = firstInvalidUtf8(whole);
    if (at >= 0) return { text: validPrefix(whole, at), invalidAt: at };
    // Valid, but the body ends inside a multi-byte character: point at its first byte.
    const cut = end - cutCharacter(whole);
    return { text: validPrefix(whole, cut), invalidAt: cut };
  }
}

/**
 * Decodes a body as it arrives, to the same result as {@link decodeUtf8Body} on the whole: each
 * chunk becomes text at once (a character split between chunks is carried over) and its bytes
 * are let go. So a body is held once, as text (one byte a character for ASCII), never as bytes
 * and text together, and no whole-body copy of bytes is made. After an invalid byte the rest is
 * ignored. The text is a concatenation (a rope); V8 flattens it once, when it is first read.
 *
 * @example
 * ```ts
 * const body = createBodyDecoder();
 * body.feed(Buffer.from([0x68, 0xc3]));
 * body.feed(Buffer.from([0xa9]));
 * body.end(true); // { text: 'hé' }
 * ```
 */
export function createBodyDecoder(): { feed(chunk: Uint8Array): void; end(complete: boolean, keepChars?: number): DecodedBody } {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // The chunks' text, joined at the end: a body cut by a limit keeps only its beginning
  // (`keepChars`) without building the whole string first.
  const parts: string[] = [];
  let offset = 0;
  let carry: Uint8Array | undefined;
  let invalidAt: number | undefined;
  return {
    feed(chunk) {
      if (invalidAt !== undefined || chunk.length === 0) return;
      let bytes = chunk;
      if (carry !== undefined) {
        bytes = new Uint8Array(carry.length + chunk.length);
        bytes.set(carry, 0);
        bytes.set(chunk, carry.length);
      }
      const cut = cutCharacter(bytes);
      carry = cut > 0 ? bytes.slice(bytes.length - cut) : undefined;
      const whole = cut > 0 ? bytes.subarray(0, bytes.length - cut) : bytes;
      try {
        parts.push(decoder.decode(whole));
        offset += whole.length;
      } catch {
        const at = Math.max(0, firstInvalidUtf8(whole));
        parts.push(validPrefix(whole, at));
        invalidAt = offset + at;
        carry = undefined;
      }
    },
    end(complete, keepChars) {
      const text = joinPrefix(parts, keepChars ?? Infinity);
      if (invalidAt !== undefined) return { text, invalidAt };
      if (carry !== undefined && complete) return { text, invalidAt: offset };
      return { text };
    },
  };
}

/** The first `max` characters of the parts joined (never half of a surrogate pair), copying no more. */
function joinPrefix(parts: readonly string[], max: number): string {
  let length = 0;
  for (const p of parts) length += p.length;
  if (length <= max) return parts.join('');
  const kept: string[] = [];
  let n = 0;
  for (const p of parts) {
    if (n + p.length < max) {
      kept.push(p);
      n += p.length;
      continue;
    }
    let end = max - n;
    const last = p.charCodeAt(end - 1);
    if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
    kept.push(p.slice(0, end));
    break;
  }
  return kept.join('');
}

/** How many bytes at the end of `bytes` begin a multi-byte character they do not complete (0–3). */
function cutCharacter(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = bytes[n - k] ?? 0;
    if (b < 0x80) return 0;
    // A lead byte whose character needs more bytes than remain, and nothing invalid so far.
    if (b >= 0xc0) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k && firstInvalidUtf8(bytes.subarray(n - k)) === -1 ? k : 0;
  }
  return 0;
}

function validPrefix(bytes: Uint8Array, end: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, end));
  } catch {
    return '';
  }
}

/**
 * The nesting depth of JSON-looking text (brackets and braces outside strings), counting no
 * further than `stopAbove + 1`: linear, no recursion, and it does not validate the JSON.
 *
 * @example
 * ```ts
 * jsonDepth('{"a":[1,{"b":"]]]"}]}'); // 3
 * ```
 */
export function jsonDepth(text: string, stopAbove = Number.MAX_SAFE_INTEGER): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/**
 * The `stream` of a transport result. Its `events` are decoded again from `raw` on first read
 * (same decoder, same limits: the same events the live decoder delivered), not kept while the
 * stream arrives: the engine decodes the raw text itself, so keeping them too would hold every
 * event's text twice (a stream flooding up to `maxBodyBytes` held about 2.5× its bytes).
 */
export function streamRecord(
  raw: string,
  findings: Finding[],
  limits: Pick<TransportLimits, 'maxEvents' | 'maxEventBytes'>,
): NonNullable<TransportResult['stream']> {
  let events: SseEvent[] | undefined;
  return {
    raw,
    get events(): SseEvent[] {
      events ??= decodeSse(raw, { maxEvents: limits.maxEvents, maxEventBytes: limits.maxEventBytes }).events;
      return events;
    },
    findings,
  };
}

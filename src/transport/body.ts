/**
 * Pure helpers of the transport: response headers, media types, fatal UTF-8 decoding of a body
 * with the offset of the first bad byte, and a bound on JSON nesting.
 */
import { firstInvalidUtf8 } from '../sse/utf8.js';

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
  const joined = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    const seen = joined.get(name);
    joined.set(name, seen === undefined ? value : `${seen}, ${value}`);
  }
  // fromEntries defines own properties, so a header named `__proto__` is kept as data.
  return Object.fromEntries(joined);
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
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let text: string;
  try {
    text = decoder.decode(bytes, { stream: true });
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    return { text: validPrefix(bytes, at), invalidAt: at };
  }
  if (!complete) return { text };
  try {
    return { text: text + decoder.decode() };
  } catch {
    // The body ends inside a multi-byte character: point at its first byte.
    let at = bytes.length - 1;
    for (let k = 1; k <= 3 && bytes.length - k >= 0; k++) {
      if ((bytes[bytes.length - k] ?? 0) >= 0xc0) {
        at = bytes.length - k;
        break;
      }
    }
    return { text, invalidAt: at };
  }
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

/**
 * UTF-8 helpers for the SSE decoder. The WHATWG `TextDecoder` global exists in Node ≥ 11, Deno,
 * Bun and browsers, but this folder compiles under `tsconfig.pure.json` (no DOM, no node types),
 * so the one constructor used here is declared locally instead of importing `node:util`.
 */

interface Utf8TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

declare const TextDecoder: new (
  label: 'utf-8',
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => Utf8TextDecoder;

/**
 * @internal A fatal, streaming UTF-8 decoder. `ignoreBOM: true` keeps a leading U+FEFF in the
 * text, so that one rule (strip it at the very start of the stream) serves bytes and strings alike.
 */
export function createUtf8Decoder(): Utf8TextDecoder {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
}

/** @internal Decodes bytes that are known to be valid and complete UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}

/**
 * @internal The UTF-8 length of `s[start, end)`. A lone surrogate counts 2 bytes (it cannot come
 * from decoded bytes; only a caller's string can hold one).
 */
export function utf8Length(s: string, start: number, end: number): number {
  let n = end - start;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    // 2-byte chars add 1; 3-byte chars add 2; each half of a surrogate pair adds 1 (4 bytes a pair).
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * @internal Index of the first byte of the first ill-formed sequence (WHATWG UTF-8 decoder rules:
 * no overlongs, no surrogates, nothing above U+10FFFF), or -1. A sequence cut off by the end of
 * `bytes` is not ill-formed: more bytes may complete it.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1;
      const d = bytes[i + k] ?? 0;
      if (d < lo || d > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

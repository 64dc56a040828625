/**
 * UTF-8 encoding in pure code (the pure layers compile with `lib: ["ES2022"]`, which has no
 * TextEncoder). Lone surrogates encode as U+FFFD, as TextEncoder does.
 */

/** The UTF-8 bytes of a string. */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/**
 * True when a token's text stands for whole characters: no U+FFFD (a decoder's replacement for a
 * partial character) and no byte escapes (`\xe2\x80`, `bytes:\xe2`: how OpenAI spells the text of
 * a token that ends inside a character). Only such tokens' `bytes` can be compared with their text.
 */
export function isWholeText(token: string): boolean {
  return !token.includes('\uFFFD') && !/\\x[0-9a-fA-F]{2}/.test(token) && !token.startsWith('bytes:');
}

/** True for an array of integers 0..255. */
export function isByteArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);
}

export function sameBytes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

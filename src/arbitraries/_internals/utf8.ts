/** The UTF-8 byte length of a string (lone surrogates count as U+FFFD, 3 bytes). No TextEncoder: this folder compiles without DOM or Node types. */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** The longest prefix of `s`, cut between code points, whose UTF-8 length is at most `maxBytes`. */
export function truncateUtf8(s: string, maxBytes: number): string {
  let n = 0;
  let end = 0;
  for (const ch of s) {
    const size = utf8ByteLength(ch);
    if (n + size > maxBytes) break;
    n += size;
    end += ch.length;
  }
  return s.slice(0, end);
}

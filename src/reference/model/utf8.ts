/** UTF-8 by hand: the pure layer has no TextEncoder/TextDecoder (`"types": []`). */

export const REPLACEMENT = '\uFFFD';

/** The UTF-8 bytes of one code point. */
export function encodeCodePoint(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** How many bytes a sequence that starts with `lead` has; 0 when `lead` cannot start one. */
export function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * The range the next byte must fall in after the incomplete sequence `pending` (non-empty), per
 * RFC 3629's table: no overlongs, no surrogates, nothing above U+10FFFF.
 */
export function nextByteRange(pending: readonly number[]): [number, number] {
  const lead = pending[0] ?? 0;
  if (pending.length === 1) {
    if (lead === 0xe0) return [0xa0, 0xbf];
    if (lead === 0xed) return [0x80, 0x9f];
    if (lead === 0xf0) return [0x90, 0xbf];
    if (lead === 0xf4) return [0x80, 0x8f];
  }
  return [0x80, 0xbf];
}

export function decodeSequence(bytes: readonly number[]): string {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes;
  let cp: number;
  if (bytes.length === 1) cp = b0;
  else if (bytes.length === 2) cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  else if (bytes.length === 3) cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  else cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
  return String.fromCodePoint(cp);
}

/**
 * Decodes bytes as they arrive, one at a time: `push` returns the text completed by that byte
 * ("" while a sequence is incomplete, U+FFFD for a byte that cannot continue it).
 */
export class Utf8Decoder {
  private pending: number[] = [];

  /** The incomplete sequence so far (empty when none). */
  get pendingBytes(): readonly number[] {
    return this.pending;
  }

  push(byte: number): string {
    if (this.pending.length > 0) {
      const [lo, hi] = nextByteRange(this.pending);
      if (byte >= lo && byte <= hi) {
        this.pending.push(byte);
        const lead = this.pending[0] ?? 0;
        if (this.pending.length === sequenceLength(lead)) {
          const text = decodeSequence(this.pending);
          this.pending = [];
          return text;
        }
        return '';
      }
      this.pending = [];
      return REPLACEMENT + this.push(byte);
    }
    const length = sequenceLength(byte);
    if (length === 1) return String.fromCharCode(byte);
    if (length === 0) return REPLACEMENT;
    this.pending = [byte];
    return '';
  }

  /** Ends an incomplete sequence (before a non-byte token): U+FFFD if one was pending. */
  flush(): string {
    if (this.pending.length === 0) return '';
    this.pending = [];
    return REPLACEMENT;
  }
}

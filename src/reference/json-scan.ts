/**
 * Positions inside JSON text that already parsed: where each member's value starts and ends, so
 * that deserialization errors can say `at line L column C` as serde_json does, and so that an
 * integer field can tell `10` from `10.0` (serde rejects the latter for integer types).
 */

export interface Span {
  /** Offset of the value's first character. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

export interface Member extends Span {
  key: string;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  return i;
}

function skipString(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

/** The offset just past the value that starts at `i` (valid JSON assumed). */
export function skipValue(text: string, i: number): number {
  const c = text.charAt(i);
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < text.length) {
      const d = text.charAt(i);
      if (d === '"') {
        i = skipString(text, i);
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < text.length && !',}] \t\n\r'.includes(text.charAt(i))) i++;
  return i;
}

/** The span of the top-level value. */
export function rootSpan(text: string): Span {
  const start = skipWs(text, 0);
  return { start, end: skipValue(text, start) };
}

/** The members of the object at `span`, in document order. */
export function objectMembers(text: string, span: Span): Member[] {
  const members: Member[] = [];
  let i = skipWs(text, span.start + 1);
  while (i < span.end && text.charAt(i) === '"') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    i = skipWs(text, i + 1); // ':'
    const end = skipValue(text, i);
    members.push({ key, start: i, end });
    i = skipWs(text, end);
    if (text.charAt(i) === ',') i = skipWs(text, i + 1);
  }
  return members;
}

/** The elements of the array at `span`, in order. */
export function arrayElements(text: string, span: Span): Span[] {
  const elements: Span[] = [];
  let i = skipWs(text, span.start + 1);
  while (i < span.end && text.charAt(i) !== ']') {
    const end = skipValue(text, i);
    elements.push({ start: i, end });
    i = skipWs(text, end);
    if (text.charAt(i) === ',') i = skipWs(text, i + 1);
  }
  return elements;
}

/** serde_json's position: 1-based line, and 1-based column of the character at `offset`. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const limit = Math.min(offset, text.length);
  for (let i = 0; i < limit; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line} column ${offset - lineStart + 1}`;
}

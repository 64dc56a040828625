/**
 * Exact JSON parsing. Node 20's JSON.parse rounds integers beyond 2^53 (seeds are u64 and
 * often exceed it), and its reviver has no access to the source text (that arrives in V8 11.4,
 * Node 22). So a pre-pass finds integer literals of 16 digits or more outside strings; where
 * there are none (almost always) the text goes to JSON.parse unchanged, which keeps this as fast
 * as JSON.parse itself. Where there are, those literals that are not safe integers are parsed
 * as `bigint`. Hand-written rather than a library (lossless-json, json-bigint) because those
 * parse every document in JavaScript, several times slower than JSON.parse.
 */

/** A JSON value as parsed exactly: integers beyond Number.MAX_SAFE_INTEGER are bigint. */
export type ExactJson =
  | null
  | boolean
  | number
  | bigint
  | string
  | ExactJson[]
  | { [key: string]: ExactJson };

export type ParseJsonResult =
  | { ok: true; value: ExactJson; hasBigInt: boolean }
  | { ok: false; error: string; offset?: number };

/** Shortest digit run that can be an integer beyond 2^53 (9007199254740992 has 16 digits). */
const LONG_RUN = 16;
const SENTINEL = '\u0000tgc-bigint:';

/** Parses JSON text exactly. Never throws. */
export function parseJson(text: string): ParseJsonResult {
  try {
    if (!hasLongDigitRun(text)) {
      return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
    }
    const marked = markUnsafeIntegers(text);
    if (marked === text) {
      return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
    }
    const value = JSON.parse(marked, (_key, v: unknown) =>
      typeof v === 'string' && v.startsWith(SENTINEL) ? BigInt(v.slice(SENTINEL.length)) : v,
    ) as ExactJson;
    return { ok: true, value, hasBigInt: true };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(error);
    return m?.[1] !== undefined ? { ok: false, error, offset: Number(m[1]) } : { ok: false, error };
  }
}

/**
 * True when `text` has {@link LONG_RUN} ASCII digits in a row. Same answer as `/\d{16}/.test`,
 * several times faster: it reads the last character of each 16-character window and skips the
 * whole window when that is not a digit, so typical JSON is read one character in 16.
 */
function hasLongDigitRun(text: string): boolean {
  const n = text.length;
  let end = LONG_RUN - 1; // the last position of the window under test
  while (end < n) {
    const c = text.charCodeAt(end);
    if (c < 0x30 || c > 0x39) {
      end += LONG_RUN;
      continue;
    }
    let start = end - 1;
    const stop = end - LONG_RUN;
    while (start > stop) {
      const d = text.charCodeAt(start);
      if (d < 0x30 || d > 0x39) break;
      start--;
    }
    if (start === stop) return true; // digits from stop + 1 to end: LONG_RUN of them
    end = start + LONG_RUN; // a run must begin after the non-digit at `start`
  }
  return false;
}

/**
 * Rewrites each integer literal outside strings whose value is not a safe integer into a
 * sentinel string. Text that is not valid JSON is left for JSON.parse to reject (a string
 * containing the sentinel prefix cannot occur in valid input: U+0000 must be escaped in JSON).
 */
function markUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      if (c === 0x2d) i++;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const next = i < n ? text.charCodeAt(i) : -1;
      const isInteger = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45; /* E */
      if (!isInteger) {
        // skip the rest of the number literal
        while (i < n && /[0-9eE.+-]/.test(text[i] ?? '')) i++;
        continue;
      }
      const literal = text.slice(start, i);
      const digits = c === 0x2d ? literal.length - 1 : literal.length;
      // A leading zero makes the literal invalid JSON: leave it for JSON.parse to reject.
      if (digits >= 16 && !/^-?0\d/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(last, start) + `"\\u0000tgc-bigint:${literal}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Serialises a value parsed by {@link parseJson}, writing bigints exactly. */
export function stringifyJson(value: unknown, space?: number): string {
  if (!containsBigInt(value)) return JSON.stringify(value, null, space);
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') {
        marks.push(v.toString());
        return `${SENTINEL}${marks.length - 1}`;
      }
      return v;
    },
    space,
  );
  return text.replace(/"\\u0000tgc-bigint:(\d+)"/g, (_m, idx: string) => marks[Number(idx)] ?? '0');
}

/** True when the value holds a bigint anywhere. */
export function containsBigInt(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint';
  // Plain loops, and no call for a leaf: this walks every body tgc validates.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object' ? containsBigInt(v) : typeof v === 'bigint') return true;
    }
    return false;
  }
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object' ? containsBigInt(v) : typeof v === 'bigint') return true;
  }
  return false;
}

/** A copy with every bigint replaced by the nearest number, for validators that know no bigint. */
export function toApproximate(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toApproximate);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toApproximate(v)]));
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: ExactJson | undefined): value is { [key: string]: ExactJson } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

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
    // A walk over the parsed value rather than a reviver: V8 calls a reviver through its runtime
    // for every value, several times slower than JSON.parse itself.
    const value = reviveBigInts(JSON.parse(marked) as ExactJson);
    return { ok: true, value, hasBigInt: true };
  } catch (e) {
    return parseFailure(e);
  }
}

/**
 * {@link parseJson} for a text the caller knows has no run of {@link LONG_RUN} digits: a part of
 * a larger text that {@link hasLongDigitRun} cleared (each event's data of an SSE stream, whose
 * data lines are verbatim parts of the stream's text joined by LF). Same result, without the
 * scan: a stream of 256 events scanned once as a whole instead of event by event spared about 5%
 * of the nativeStream bench (the per-event scans read a sliced string, one call each).
 */
export function parseJsonWithoutLongRuns(text: string): ParseJsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
  } catch (e) {
    return parseFailure(e);
  }
}

function parseFailure(e: unknown): ParseJsonResult {
  const error = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(error);
  return m?.[1] !== undefined ? { ok: false, error, offset: Number(m[1]) } : { ok: false, error };
}

/**
 * True when `text` has {@link LONG_RUN} ASCII digits in a row. Same answer as `/\d{16}/.test`,
 * several times faster: it reads the last character of each 16-character window and skips the
 * whole window when that is not a digit, so typical JSON is read one character in 16.
 */
export function hasLongDigitRun(text: string): boolean {
  const n = text.length;
  let end = LONG_RUN - 1; // the last position of the window under test
  // `(c - 0x30) >>> 0 > 9`: c is not an ASCII digit, in one unsigned comparison.
  while (end < n) {
    if ((text.charCodeAt(end) - 0x30) >>> 0 > 9) {
      end += LONG_RUN;
      continue;
    }
    let start = end - 1;
    const stop = end - LONG_RUN;
    while (start > stop && (text.charCodeAt(start) - 0x30) >>> 0 <= 9) start--;
    if (start === stop) return true; // digits from stop + 1 to end: LONG_RUN of them
    end = start + LONG_RUN; // a run must begin after the non-digit at `start`
  }
  return false;
}

function sentinelBigInt(v: string): bigint | undefined {
  return v.charCodeAt(0) === 0 && v.startsWith(SENTINEL) ? BigInt(v.slice(SENTINEL.length)) : undefined;
}

/** Replaces, in place, each sentinel string of {@link markUnsafeIntegers} by its bigint. */
function reviveBigInts(value: ExactJson): ExactJson {
  if (typeof value === 'string') return sentinelBigInt(value) ?? value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as ExactJson;
      if (typeof v === 'string') {
        const b = sentinelBigInt(v);
        if (b !== undefined) value[i] = b;
      } else if (v !== null && typeof v === 'object') reviveBigInts(v);
    }
    return value;
  }
  for (const key in value) {
    const v = value[key] as ExactJson;
    if (typeof v === 'string') {
      const b = sentinelBigInt(v);
      if (b !== undefined) Object.defineProperty(value, key, { value: b, writable: true, enumerable: true, configurable: true });
    } else if (v !== null && typeof v === 'object') reviveBigInts(v);
  }
  return value;
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
      // To the closing quote: the next quote not escaped (preceded by an even run of backslashes).
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) {
          i = n;
          break;
        }
        let b = q - 1;
        while (b > i && text.charCodeAt(b) === 0x5c /* \ */) b--;
        if ((q - 1 - b) % 2 === 0) {
          i = q + 1;
          break;
        }
        from = q + 1;
      }
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
        while (i < n && isNumberChar(text.charCodeAt(i))) i++;
        continue;
      }
      const first = c === 0x2d ? start + 1 : start;
      const digits = i - first;
      // A leading zero makes the literal invalid JSON: leave it for JSON.parse to reject.
      if (digits >= 16 && text.charCodeAt(first) !== 0x30) {
        const literal = text.slice(start, i);
        if (!Number.isSafeInteger(Number(literal))) {
          out += text.slice(last, start) + `"\\u0000tgc-bigint:${literal}"`;
          last = i;
        }
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** `[0-9eE.+-]`: a character of a number literal. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
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

// The holder noted last: a line is parsed and then judged at once, so one entry is enough (and,
// unlike a WeakSet or a property defined on the holder, costs next to nothing per line).
let lastBigIntFree: object | undefined;

/**
 * Notes that the JSON values `holder` carries (an exchange parsed from one line) came from
 * {@link parseJson} with `hasBigInt: false`, so that validators need not look for bigints in them
 * again. Only the holder noted last is remembered; it and its values are read-only from then on.
 */
export function noteBigIntFree(holder: object): void {
  lastBigIntFree = holder;
}

/** True when `holder` is the one {@link noteBigIntFree} noted last. */
export function isNotedBigIntFree(holder: object): boolean {
  return holder === lastBigIntFree;
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
  // Plain loops (no entries arrays): this copies every body that holds a bigint.
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toApproximate(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = toApproximate((value as Record<string, unknown>)[key]);
    // As Object.fromEntries: an own data property even for "__proto__".
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/**
 * As {@link toApproximate}, for a reader that never writes (a validator): `value` itself where it
 * holds no bigint, else a copy of the objects and arrays on the way to each bigint only, the rest
 * shared. So `approximateShared(v) !== v` exactly when `v` holds a bigint: one walk answers both
 * "is there a bigint" and "what would a validator see".
 */
export function approximateShared(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'bigint' && (v === null || typeof v !== 'object')) continue;
      const a = approximateShared(v);
      if (a !== v) {
        out ??= value.slice();
        out[i] = a;
      }
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v !== 'bigint' && (v === null || typeof v !== 'object')) continue;
    const a = approximateShared(v);
    if (a !== v) {
      // toApproximate's own copy: own data properties in the same order ("__proto__" included).
      out ??= toApproximateShallow(value as Record<string, unknown>);
      Object.defineProperty(out, key, { value: a, writable: true, enumerable: true, configurable: true });
    }
  }
  return out ?? value;
}

/** A shallow copy with the same own enumerable data properties, in order ("__proto__" as an own key). */
function toApproximateShallow(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: value[key], writable: true, enumerable: true, configurable: true });
    else out[key] = value[key];
  }
  return out;
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: ExactJson | undefined): value is { [key: string]: ExactJson } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

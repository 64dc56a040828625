/**
 * Exact JSON parsing. Node 20's JSON.parse rounds integers beyond 2^53 (seeds are u64 and
 * often exceed it), and its reviver has no access to the source text (that arrives in V8 11.4,
 * Node 22). So a pre-pass looks for runs of 16 digits or more; where there are none (almost
 * always) the text goes to JSON.parse unchanged, which keeps this as fast as JSON.parse itself.
 * Where there are, the integer literals among them that are not safe integers are parsed as
 * `bigint`: JSON.parse reads the text and the numbers to replace are found in its value
 * (parseLocatingLiterals), or, where that cannot be sure, a scan of the whole text marks them
 * before JSON.parse (parseJsonByMarking). Hand-written rather than a library (lossless-json,
 * json-bigint) because those parse every document in JavaScript, several times slower than
 * JSON.parse.
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
/** What every mark starts with (see markPrefix). */
const MARK_STEM = '\u0000tgc-bigint';
/** The string a bigint is marked with while JSON.parse or JSON.stringify reads past it; `k` tildes lengthen it. */
function markPrefix(k = 0): string {
  return `${MARK_STEM}${'~'.repeat(k)}:`;
}
const SENTINEL = markPrefix();

/** Parses JSON text exactly. Never throws. */
export function parseJson(text: string): ParseJsonResult {
  const run = longRunStart(text, 0);
  if (run < 0) return parseJsonWithoutLongRuns(text);
  return parseLocatingLiterals(text, run) ?? parseJsonByMarking(text);
}

/**
 * The exact path of {@link parseJson} before {@link parseLocatingLiterals}, and still its
 * fallback wherever that one has any doubt: a JavaScript scan of the whole text marking each
 * unsafe integer literal, JSON.parse of the marked text, a walk reviving the marks. Exported for
 * the differential test only.
 * @internal
 */
export function parseJsonByMarking(text: string): ParseJsonResult {
  try {
    if (!hasLongDigitRun(text)) {
      return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
    }
    const sentinel = sentinelFor(text);
    const marked = markUnsafeIntegers(text, sentinel);
    if (marked === text) {
      return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
    }
    // A walk over the parsed value rather than a reviver: V8 calls a reviver through its runtime
    // for every value, several times slower than JSON.parse itself.
    const value = reviveBigInts(JSON.parse(marked) as ExactJson, sentinel);
    return { ok: true, value, hasBigInt: true };
  } catch (e) {
    return parseFailure(e);
  }
}

/**
 * {@link parseJsonByMarking}'s result for a text with a run of {@link LONG_RUN} digits starting at
 * `run`, without its JavaScript scan of the whole text; `undefined` where in doubt (the caller
 * then takes that path). The digit runs are found by the window scan of {@link hasLongDigitRun},
 * JSON.parse reads the text once, unmarked, and a walk over the parsed value finds the numbers to
 * make bigints.
 *
 * Why the result is the same. Invalid text, and any doubt below, go to the marking path itself,
 * so only valid JSON matters here. There the marking scan tells strings from literals exactly,
 * and revives R: the integer literals outside strings (no fraction, no exponent) of 16 digits or
 * more whose Number() is not a safe integer. Let A be the candidates kept below: maximal runs of
 * 16+ digits, preceded by `[` `,` `:` white space or the start of the text (a `-` between or
 * not), followed by none of `.` `e` `E`, not starting with 0, whose Number() is not a safe
 * integer, and that {@link surelyInString} does not place in a string.
 * 1. R ⊆ A: each literal of R is such a run (valid JSON has no integer of 16+ digits starting
 *    with 0), outside strings. So where A is empty, so is R, and the marking path gives
 *    JSON.parse(text) with `hasBigInt: false` (its scan changes nothing): so do we.
 * 2. Let V be the numbers of magnitude 2^53 or more in the parsed value (each such double is an
 *    integer or infinite), each from its own literal. That literal is in R: one whose integer
 *    part has 15 digits or fewer is below 10^15 in magnitude unless its exponent is positive,
 *    and then {@link POSITIVE_EXPONENT} matches (we fall back); one whose integer part has 16+
 *    digits and a fraction or an exponent has that run followed by `.` `e` or `E` (we fall back
 *    unless the run is surely in a string); the rest are integer literals of 16+ digits, in R
 *    where their Number() is not a safe integer. So V ⊆ R ⊆ A.
 * 3. The walk counts V; where |V| = |A|, V = R = A. A candidate in a string, or a literal that a
 *    later duplicate key drops from the parsed value, makes the counts differ: we fall back.
 * 4. Each number of V is then the Number() of its own literal, a candidate: where all candidates
 *    of that Number() have the same digits (else we fall back), BigInt(that candidate) is the
 *    literal's bigint, the marking path's. Where the text has `\u0000` (the only way valid JSON
 *    writes U+0000, so the only way a string of it can look like a mark) we leave it to that
 *    path, which chooses a mark no string of the text starts with (sentinelFor). Otherwise it
 *    revives in place the value JSON.parse gives for the unmarked text (same keys, same order),
 *    as here.
 * Exported for the differential test only.
 * @internal
 */
export function parseLocatingLiterals(text: string, run: number): ParseJsonResult | undefined {
  const n = text.length;
  let literals: string[] | undefined;
  let values: number[] | undefined;
  for (let start = run; start >= 0; ) {
    let end = start + LONG_RUN;
    while (end < n && (text.charCodeAt(end) - 0x30) >>> 0 <= 9) end++;
    const from = start > 0 && text.charCodeAt(start - 1) === 0x2d /* - */ ? start - 1 : start;
    if ((from === 0 || precedesValue(text.charCodeAt(from - 1))) && text.charCodeAt(start) !== 0x30) {
      const next = end < n ? text.charCodeAt(end) : -1;
      if (next === 0x2e /* . */ || next === 0x65 /* e */ || next === 0x45 /* E */) {
        if (!surelyInString(text, from)) return undefined;
      } else {
        const literal = text.slice(from, end);
        const value = Number(literal);
        if (!Number.isSafeInteger(value) && !surelyInString(text, from)) {
          (literals ??= []).push(literal);
          (values ??= []).push(value);
        }
      }
    }
    start = longRunStart(text, end + 1);
  }
  let parsed: ExactJson;
  try {
    if (literals === undefined || values === undefined) {
      return { ok: true, value: JSON.parse(text) as ExactJson, hasBigInt: false };
    }
    if (POSITIVE_EXPONENT.test(text) || text.includes('\\u0000')) return undefined;
    parsed = JSON.parse(text) as ExactJson;
  } catch {
    return undefined;
  }
  const found = new Unsafe();
  if (typeof parsed === 'number') {
    if (isUnsafe(parsed)) found.add(parsed, undefined, 0);
  }
  else if (parsed !== null && typeof parsed === 'object') {
    try {
      if (!collectUnsafe(parsed, 0, found)) return undefined;
    } catch {
      return undefined; // the stack ran out: the marking path reports it as it always did
    }
  }
  if (found.values.length !== literals.length) return undefined;
  const chosen = literalsOf(found.values, values, literals);
  if (chosen === undefined) return undefined;
  let value = parsed;
  for (let i = 0; i < chosen.length; i++) {
    const b = BigInt(chosen[i] as string);
    const holder = found.holders[i];
    const key = found.keys[i] as string | number;
    // An assignment, in objects too: `key` is an own writable data property of `holder` (JSON.parse
    // makes them so, "__proto__" included), so [[Set]] only changes its value, as reviveBigInts'
    // defineProperty does; and it costs less.
    if (holder === undefined) value = b;
    else (holder as Record<string | number, ExactJson>)[key] = b;
  }
  return { ok: true, value, hasBigInt: true };
}

/**
 * For each number found, the candidate literal of that Number(); undefined where there is none,
 * or where candidates of that Number() differ (then which one it was is unknown).
 */
function literalsOf(found: readonly number[], values: readonly number[], literals: readonly string[]): string[] | undefined {
  const chosen: string[] = [];
  if (values.length <= 8) {
    // The usual case: one or two candidates, no map.
    for (let i = 0; i < found.length; i++) {
      let literal: string | undefined;
      for (let j = 0; j < values.length; j++) {
        if (values[j] !== found[i]) continue;
        if (literal === undefined) literal = literals[j];
        else if (literal !== literals[j]) return undefined;
      }
      if (literal === undefined) return undefined;
      chosen.push(literal);
    }
    return chosen;
  }
  const byValue = new Map<number, string | null>(); // null: candidates of that Number() differ
  for (let j = 0; j < values.length; j++) {
    const v = values[j] as number;
    const had = byValue.get(v);
    if (had === undefined) byValue.set(v, literals[j] as string);
    else if (had !== literals[j]) byValue.set(v, null);
  }
  for (let i = 0; i < found.length; i++) {
    const literal = byValue.get(found[i] as number);
    if (literal === undefined || literal === null) return undefined;
    chosen.push(literal);
  }
  return chosen;
}

const TWO_53 = 2 ** 53;
/** Deeper values go to the marking path (whose walk is recursive too). */
const MAX_DEPTH = 1000;

/** Of magnitude 2^53 or more (or NaN): a number JSON.parse may have rounded. */
function isUnsafe(v: number): boolean {
  return !(v > -TWO_53 && v < TWO_53);
}

/** The numbers of magnitude 2^53 or more found in a parsed value, each with its holder and key. */
class Unsafe {
  readonly values: number[] = [];
  /** undefined: the number is the whole value. */
  readonly holders: (object | undefined)[] = [];
  readonly keys: (string | number)[] = [];

  /** `value`: of magnitude 2^53 or more (the callers test it: {@link isUnsafe}). */
  add(value: number, holder: object | undefined, key: string | number): void {
    this.values.push(value);
    this.holders.push(holder);
    this.keys.push(key);
  }
}

/**
 * Collects into `found` the numbers of magnitude 2^53 or more in `value` (own enumerable keys, as
 * reviveBigInts reads them); false beyond {@link MAX_DEPTH}.
 */
function collectUnsafe(value: object, depth: number, found: Unsafe): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (isUnsafe(v)) found.add(v, value, i);
      } else if (v !== null && typeof v === 'object' && !collectUnsafe(v, depth + 1, found)) return false;
    }
    return true;
  }
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v === 'number') {
      if (isUnsafe(v)) found.add(v, value, key);
    } else if (v !== null && typeof v === 'object' && !collectUnsafe(v, depth + 1, found)) return false;
  }
  return true;
}

/**
 * Where the text may have a number literal with a non-negative exponent: a digit, `e` or `E`, an
 * optional `+` and a digit, after digits and dots that follow, with an optional `-` between, a
 * character that can precede a JSON value (as {@link precedesValue}) or the start of the text.
 * Over-approximates (it also matches in strings); the lookbehind spares hex ids ("8ff411e54b9").
 */
const POSITIVE_EXPONENT = /\d[eE]\+?\d(?<=(?:^|[ \t\n\r:,[])-?[\d.]+[eE]\+?\d)/;

/** A character that can come just before a JSON value: `[` `,` `:` or JSON white space. */
function precedesValue(c: number): boolean {
  return c === 0x3a || c === 0x2c || c === 0x20 || c === 0x5b || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * 1 for each ASCII character that valid JSON can have outside strings: white space, `{}[]:,`,
 * the characters of numbers and those of `true`, `false`, `null`.
 */
const OUTSIDE_STRINGS = new Uint8Array(128);
for (const c of ' \t\n\r{}[]:,-+.0123456789eEtrufalsn') OUTSIDE_STRINGS[c.charCodeAt(0)] = 1;

/**
 * True when, in valid JSON, position `at` is surely inside a string, from what precedes it back
 * to the nearest quote (at most 32 characters): a quote escaped by an odd run of backslashes, or a
 * character that cannot occur outside strings; either is inside a string that no quote closes
 * before `at`. False means "not known" (the count of parseLocatingLiterals decides).
 */
function surelyInString(text: string, at: number): boolean {
  const stop = Math.max(-1, at - 33);
  for (let j = at - 1; j > stop; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x22 /* " */) {
      let b = j - 1;
      while (b >= 0 && text.charCodeAt(b) === 0x5c /* \ */) b--;
      return (j - 1 - b) % 2 === 1;
    }
    if (c >= 128 || OUTSIDE_STRINGS[c] === 0) return true;
  }
  return false;
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
 * several times faster (see {@link longRunStart}).
 */
export function hasLongDigitRun(text: string): boolean {
  return longRunStart(text, 0) >= 0;
}

/**
 * Where the first run of {@link LONG_RUN} ASCII digits or more at or after `from` starts (`from`
 * being 0 or just after a non-digit), or -1. It reads the last character of each 16-character
 * window and skips the whole window when that is not a digit, so typical JSON is read one
 * character in 16.
 */
function longRunStart(text: string, from: number): number {
  const n = text.length;
  let end = from + LONG_RUN - 1; // the last position of the window under test
  // `(c - 0x30) >>> 0 > 9`: c is not an ASCII digit, in one unsigned comparison.
  while (end < n) {
    if ((text.charCodeAt(end) - 0x30) >>> 0 > 9) {
      end += LONG_RUN;
      continue;
    }
    let start = end - 1;
    const stop = end - LONG_RUN;
    while (start > stop && (text.charCodeAt(start) - 0x30) >>> 0 <= 9) start--;
    if (start === stop) return stop + 1; // digits from stop + 1 to end: LONG_RUN of them
    end = start + LONG_RUN; // a run must begin after the non-digit at `start`
  }
  return -1;
}

/**
 * The mark for the bigints of `text`: a string value that no string of the text's own value starts
 * with. Valid JSON writes U+0000 in a string only as the escape `\u0000` (a raw one is refused),
 * so without that escape no string of the value can start with {@link SENTINEL}. With it (a text
 * may write "\u0000tgc-bigint:5" or have a key drop a mark and keep such a string), the strings
 * of the unmarked value are read and the mark lengthened (`tgc-bigint~:`, `tgc-bigint~~:`…) until
 * none starts with it. Marking keeps a text valid or invalid (an integer in value position
 * becomes a string), so the unmarked text parses whenever the marked one does.
 */
function sentinelFor(text: string): string {
  if (!text.includes('\\u0000')) return SENTINEL;
  const taken: string[] = [];
  try {
    collectMarkLike(JSON.parse(text) as ExactJson, taken);
  } catch {
    return SENTINEL; // invalid either way: JSON.parse of the marked text says why
  }
  let sentinel = SENTINEL;
  for (let k = 1; taken.some((t) => t.startsWith(sentinel)); k++) sentinel = markPrefix(k);
  return sentinel;
}

/** The string values under `value` that start as a mark does (U+0000, then `tgc-bigint`). */
function collectMarkLike(value: ExactJson, out: string[]): void {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) === 0 && value.startsWith(MARK_STEM)) out.push(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) for (const v of value) collectMarkLike(v, out);
  else for (const key in value) collectMarkLike(value[key] as ExactJson, out);
}

function sentinelBigInt(v: string, sentinel: string): bigint | undefined {
  return v.charCodeAt(0) === 0 && v.startsWith(sentinel) ? BigInt(v.slice(sentinel.length)) : undefined;
}

/** Replaces, in place, each `sentinel` string of {@link markUnsafeIntegers} by its bigint. */
function reviveBigInts(value: ExactJson, sentinel: string): ExactJson {
  if (typeof value === 'string') return sentinelBigInt(value, sentinel) ?? value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as ExactJson;
      if (typeof v === 'string') {
        const b = sentinelBigInt(v, sentinel);
        if (b !== undefined) value[i] = b;
      } else if (v !== null && typeof v === 'object') reviveBigInts(v, sentinel);
    }
    return value;
  }
  for (const key in value) {
    const v = value[key] as ExactJson;
    if (typeof v === 'string') {
      const b = sentinelBigInt(v, sentinel);
      if (b !== undefined) Object.defineProperty(value, key, { value: b, writable: true, enumerable: true, configurable: true });
    } else if (v !== null && typeof v === 'object') reviveBigInts(v, sentinel);
  }
  return value;
}

/**
 * Rewrites each integer literal outside strings whose value is not a safe integer into a string,
 * `sentinel` then its digits ({@link sentinelFor} chooses one no string of the text starts with).
 * Text that is not valid JSON is left for JSON.parse to reject: a literal in a key's place
 * (followed by `:`) is left as it is, since a string there would make the text valid.
 */
function markUnsafeIntegers(text: string, sentinel: string): string {
  const escaped = `\\u0000${sentinel.slice(1)}`;
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
        if (!Number.isSafeInteger(Number(literal)) && !beforeColon(text, i)) {
          out += text.slice(last, start) + `"${escaped}${literal}"`;
          last = i;
        }
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Whether the first character from `i` on that is not JSON white space is `:`. */
function beforeColon(text: string, i: number): boolean {
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
  return c === 0x3a;
}

/** `[0-9eE.+-]`: a character of a number literal. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** Serialises a value parsed by {@link parseJson}, writing bigints exactly. */
export function stringifyJson(value: unknown, space?: number): string {
  if (!containsBigInt(value)) return JSON.stringify(value, null, space);
  // Each bigint is written as a string mark, then the marks are replaced by the digits. A string
  // of the value may look like a mark: then the marks are lengthened (`tgc-bigint~:`…) until only
  // the value's bigints match.
  for (let k = 0; ; k++) {
    const prefix = markPrefix(k);
    const marks: string[] = [];
    const text = JSON.stringify(
      value,
      (_k, v: unknown) => {
        if (typeof v === 'bigint') {
          marks.push(v.toString());
          return `${prefix}${marks.length - 1}`;
        }
        return v;
      },
      space,
    );
    // As JSON.stringify writes it: U+0000 escaped.
    const mark = new RegExp(`"\\\\u0000${prefix.slice(1)}(\\d+)"`, 'g');
    let found = 0;
    for (const _ of text.matchAll(mark)) found++;
    if (found === marks.length) return text.replace(mark, (_m, idx: string) => marks[Number(idx)] ?? '0');
  }
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

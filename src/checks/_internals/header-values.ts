/** Reading TGI's response headers (N-13): counts and times as text, leniently. */

/**
 * A header's value. A header sent twice reaches tgc joined with ", " (fetch `Headers.get`):
 * repeats of one value count once; differing repeats are returned whole, so they fail to parse.
 */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((part) => part.trim());
  const first = parts[0] ?? '';
  return parts.every((part) => part === first) ? first : raw.trim();
}

// Rust writes integers and `f64::to_string` decimals (never an exponent); other servers may.
const DECIMAL = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A non-negative finite number written in decimal; `undefined` for anything else. */
export function nonNegativeNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A non-negative integer ("12", also "12.0"); `undefined` for anything else. */
export function nonNegativeInteger(text: string): number | undefined {
  const value = nonNegativeNumber(text);
  return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
}

/** True when the request header `name` (any letter case) is a true boolean: `true` or `1`. */
export function requestHeaderIsTrue(headers: Readonly<Record<string, string>> | undefined, name: string): boolean {
  if (headers === undefined) return false;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return value !== undefined && /^(?:true|1)$/i.test(value.trim());
}

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { containsBigInt, hasLongDigitRun, parseJson, parseJsonWithoutLongRuns, stringifyJson, toApproximate } from './json.js';

describe('parseJson', () => {
  it.each([
    ['a seed of 2^64-1 stays exact', '{"seed":18446744073709551615}', { seed: 18446744073709551615n }],
    ['2^53+1 stays exact', '{"seed":9007199254740993}', { seed: 9007199254740993n }],
    ['a safe 16-digit integer stays a number', '{"seed":1234567890123456}', { seed: 1234567890123456 }],
    ['digits inside strings are left alone', '{"t":"12345678901234567890"}', { t: '12345678901234567890' }],
    ['escaped quotes in strings', '{"t":"a\\"18446744073709551615","n":18446744073709551615}', { t: 'a"18446744073709551615', n: 18446744073709551615n }],
    ['long floats stay numbers', '{"x":12345678901234567890.5,"y":1.2345678901234567e+25}', { x: 12345678901234567890.5, y: 1.2345678901234567e25 }],
    ['negative big integers', '[-18446744073709551615]', [-18446744073709551615n]],
    ['in arrays, nested', '[[1,{"a":[99999999999999999999]}]]', [[1, { a: [99999999999999999999n] }]]],
  ])('%s', (_name, text, want) => {
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(want);
  });

  it.each([
    ['not JSON', '{"a":'],
    ['a leading zero', '{"seed":01234567890123456789}'],
    ['empty', ''],
    ['a raw NUL in a string', '{"a":"\u0000tgc-bigint:1"}'],
  ])('rejects %s without throwing', (_name, text) => {
    const r = parseJson(text);
    expect(r.ok).toBe(false);
  });

  test.prop([fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })])('u64 values round-trip exactly', (n) => {
    const text = `{"details":{"seed":${n}},"s":"${n}"}`;
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const seed = (r.value as { details: { seed: number | bigint } }).details.seed;
    expect(BigInt(seed)).toBe(n);
    expect(stringifyJson(r.value)).toBe(text);
  });

  test.prop([fc.jsonValue()])('agrees with JSON.parse wherever JSON.parse is exact', (value) => {
    const text = JSON.stringify(value);
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.stringify(toApproximate(r.value))).toBe(text);
  });
});

describe('helpers', () => {
  it('containsBigInt and toApproximate', () => {
    expect(containsBigInt({ a: [1, { b: 2n }] })).toBe(true);
    expect(containsBigInt({ a: [1, { b: 2 }] })).toBe(false);
    expect(toApproximate({ a: [2n ** 60n] })).toEqual({ a: [2 ** 60] });
  });
});

describe('parseJson on mixed documents', () => {
  // Strings full of quotes, backslashes and digit runs beside long integer literals: the pre-pass
  // must tell literals from string contents, and revive exactly the unsafe integers.
  const item = fc.oneof(
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.string({ unit: fc.constantFrom('"', '\\', '1', '9', '0', 'a', ' ', '\u00e9'), maxLength: 40 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  test.prop([fc.array(item, { maxLength: 12 })])('revives exactly the integers beyond 2^53', (items) => {
    const text = `{"xs":[${items.map((x) => (typeof x === 'bigint' ? x.toString() : JSON.stringify(x))).join(',')}],"seed":12345678901234567890}`;
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // A double whose text is an integer literal beyond 2^53 (JSON.stringify(-(2 ** 53))) reads as
    // that integer, exactly: the text cannot tell it from one.
    const exact = (t: string): unknown => (/^-?\d+$/.test(t) && !Number.isSafeInteger(Number(t)) ? BigInt(t) : JSON.parse(t));
    const want = items.map((x) => (typeof x === 'bigint' ? (Number.isSafeInteger(Number(x)) ? Number(x) : x) : exact(JSON.stringify(x))));
    expect(r.value).toEqual({ xs: want, seed: 12345678901234567890n });
  });
});

// parseJsonWithoutLongRuns is parseJson without the scan, for texts known to need none: the same
// result wherever the scan would find nothing (valid JSON or not).
describe('parseJsonWithoutLongRuns', () => {
  const digitsOrJson = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.stringMatching(/^[-0-9.eE{}[\]":, a-z]{0,40}$/),
    fc.string({ maxLength: 40 }),
  );

  test.prop([digitsOrJson], { numRuns: 2000 })('hasLongDigitRun is /\d{16}/', (text) => {
    expect(hasLongDigitRun(text)).toBe(/[0-9]{16}/.test(text));
  });

  test.prop([digitsOrJson], { numRuns: 2000 })('is parseJson where there is no run of 16 digits', (text) => {
    fc.pre(!hasLongDigitRun(text));
    expect(parseJsonWithoutLongRuns(text)).toEqual(parseJson(text));
  });

  it.each([['{"a":'], [''], ['{"seed":012}'], ['[1,2,]'], ['{"index":1,"token":{"id":5,"text":"a","logprob":-0.25,"special":false}}']])(
    'gives parseJson\'s result for %j',
    (text) => {
      expect(parseJsonWithoutLongRuns(text)).toEqual(parseJson(text));
    },
  );
});

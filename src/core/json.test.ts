import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  containsBigInt,
  hasLongDigitRun,
  parseJson,
  parseJsonByMarking,
  parseJsonWithoutLongRuns,
  parseLocatingLiterals,
  stringifyJson,
  toApproximate,
} from './json.js';

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

  it('rejects an unsafe integer in a key\'s place, as JSON.parse would (marking it made it a key)', () => {
    expect(parseJson('{18446744073709551615:1}').ok).toBe(false);
    expect(parseJson('{"a":1,18446744073709551615 :1}').ok).toBe(false);
  });

  it('keeps a string of the text that looks like a bigint mark a string', () => {
    const r = parseJson('{"a":"\\u0000tgc-bigint:5","b":18446744073709551615,"c":["\\u0000tgc-bigint~:6"]}');
    expect(r.ok && r.value).toEqual({ a: '\u0000tgc-bigint:5', b: 18446744073709551615n, c: ['\u0000tgc-bigint~:6'] });
    // A duplicate key drops the literal's mark and keeps a mark-like string: still a string.
    const d = parseJson('{"a":18446744073709551615,"a":"\\u0000tgc-bigint:7"}');
    expect(d.ok && d.value).toEqual({ a: '\u0000tgc-bigint:7' });
  });

  it('writes a string that looks like a bigint mark as that string', () => {
    const value = { a: '\u0000tgc-bigint:0', b: 18446744073709551615n, c: 'x","\u0000tgc-bigint:0' };
    const text = stringifyJson(value);
    expect(text).toBe('{"a":"\\u0000tgc-bigint:0","b":18446744073709551615,"c":"x\\",\\"\\u0000tgc-bigint:0"}');
    const back = parseJson(text);
    expect(back.ok && back.value).toEqual(value);
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

// parseJson finds the integers to make bigints without the marking scan (parseLocatingLiterals),
// and falls back to that scan (parseJsonByMarking, the former parseJson) where in doubt: the same
// result for every text, valid or not. Texts rich in what could fool it: long integers (u64, near
// 2^53, negative, some rounding to the same double), 16-25 digit runs in strings and keys after
// `: `, `,`, `[`, `-` or an escaped quote, floats with long fractions or long integer parts,
// exponents, `\u0000tgc-bigint:` strings, duplicate keys, `__proto__` and integer-like keys.
describe('parseJson against the marking path', () => {
  const digitRun = fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 24 }))
    .map(([first, rest]) => `${first}${rest.join('')}`);
  const longInteger = fc.oneof(
    fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
    fc.constantFrom(9007199254740993n, 9007199254740992n, 18446744073709551615n, 18446744073709551616n, -9007199254740993n, 1234567890123456n),
  ).map(String);
  const numberLiteral = fc.oneof(
    { weight: 4, arbitrary: longInteger },
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.tuple(fc.integer({ min: -99, max: 99 }), digitRun).map(([i, f]) => `${i}.${f}`),
    fc.tuple(longInteger.filter((s) => !s.startsWith('-0')), fc.constantFrom('.0', '.5', 'e0', 'E+2', 'e-3', '.25e1')).map(([i, t]) => `${i}${t}`),
    fc.constantFrom('1e20', '1E+16', '-2.5e17', '9007199254740993e0', '1234567890123456789e-2', '1e400', '-0', '0', '1.8446744073709552e19', '18446744073709552000'),
  );
  // String sources (escapes written as such), with long digit runs behind what can precede a value.
  const stringPiece = fc.oneof(
    digitRun,
    longInteger,
    fc.constantFrom(': ', ',', '[', '-', ' ', '\\"seed\\":', '\\"', '\\\\', '\\u0031', '\\u00312', '\\u0000tgc-bigint:', 'tgc-bigint:', 'e', 'E+', '.', 'abc', '\\n', '\u00e9'),
  );
  const stringSource = fc.array(stringPiece, { maxLength: 6 }).map((parts) => `"${parts.join('')}"`);
  const key = fc.oneof(fc.constantFrom('"seed"', '"a"', '"__proto__"', '"0"', '"7"', '"18446744073709551615"', '"se\\u0065d"'), stringSource);
  const ws = fc.constantFrom('', '', ' ', '\n', '\t', '\r\n  ');
  // A literal the parsed value lacks (in a string, or dropped by a duplicate key) beside a number
  // of the same double that is no integer literal: counts and values match, yet no bigint is due.
  const twin = fc
    .tuple(longInteger, fc.constantFrom('e', '.0', '0e-1'), fc.boolean())
    .map(([n, form, inString]) => {
      const double = form === 'e' ? Number(n).toExponential() : `${n}${form}`;
      return inString ? `{"t":": ${n}","f":${double}}` : `{"a":${n},"a":${double}}`;
    });
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      numberLiteral,
      twin,
      stringSource,
      fc.constantFrom('true', 'false', 'null'),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 5 }).map((xs) => `[${xs.map(([a, v, b]) => a + v + b).join(',')}]`),
    object: fc
      .array(fc.tuple(ws, key, ws, tie('value'), ws), { maxLength: 5 })
      .map((ms) => `{${ms.map(([a, k, b, v, c]) => `${a}${k}${b}:${v}${c}`).join(',')}}`),
  }));
  const text = fc.tuple(ws, value, ws).map(([a, v, b]) => a + v + b);

  /** Every detail of a parsed value: types, -0, bigints, own keys in order with their attributes, prototypes. */
  function describeValue(v: unknown): string {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v !== 'object' || v === null) return JSON.stringify(v);
    const proto = Object.getPrototypeOf(v) === (Array.isArray(v) ? Array.prototype : Object.prototype) ? '' : '(other prototype)';
    const members = Reflect.ownKeys(v).map((k) => {
      const d = Object.getOwnPropertyDescriptor(v, k) as PropertyDescriptor;
      const flags = `${d.writable ? 'w' : ''}${d.enumerable ? 'e' : ''}${d.configurable ? 'c' : ''}`;
      return `${String(k)}[${flags}]=${'value' in d ? describeValue(d.value) : 'accessor'}`;
    });
    return `${Array.isArray(v) ? 'A' : 'O'}${proto}{${members.join(';')}}`;
  }

  function expectSame(t: string): ReturnType<typeof parseJson> {
    const got = parseJson(t);
    const want = parseJsonByMarking(t);
    if (got.ok && want.ok) {
      expect(got.hasBigInt).toBe(want.hasBigInt);
      expect(describeValue(got.value)).toBe(describeValue(want.value));
      expect(stringifyJson(got.value)).toBe(stringifyJson(want.value));
      if (got.value !== null && typeof got.value === 'object') expect(Object.keys(got.value)).toEqual(Object.keys(want.value as object));
    } else expect(got).toEqual(want);
    return got;
  }

  it('gives the marking path\'s result on generated texts, and takes the fast path on many', () => {
    let fast = 0;
    let fastBigInt = 0;
    let withLongRun = 0;
    fc.assert(
      fc.property(text, (t) => {
        expectSame(t);
        const run = /\d{16}/.exec(t);
        if (run === null) return;
        withLongRun++;
        const r = parseLocatingLiterals(t, run.index);
        if (r === undefined) return;
        fast++;
        if (r.ok && r.hasBigInt) fastBigInt++;
        expect(r).toEqual(parseJsonByMarking(t));
      }),
      { numRuns: 3000 },
    );
    // The generator exercises the fast path itself, not only the fallback.
    expect(withLongRun).toBeGreaterThan(1500);
    expect(fast).toBeGreaterThan(withLongRun / 4);
    expect(fastBigInt).toBeGreaterThan(withLongRun / 10);
  });

  test.prop([text, fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '-', '0', '9', 'e', '.', ' ', '\\', '{1', '12345678901234567890')], { numRuns: 2000 })(
    'gives the marking path\'s result on texts cut or altered anywhere (mostly invalid)',
    (t, at, insert) => {
      const i = at % (t.length + 1);
      expectSame(t.slice(0, i) + insert + t.slice(i + 1));
      expectSame(t.slice(0, i));
    },
  );

  it.each([
    ['a u64 seed', '{"seed": 14663482367758619000, "x": 1}', true],
    ['a seed inside a recorded stream (an escaped quote before it)', '{"stream":"data: {\\"seed\\":9313781139405380000}\\n"}', true],
    ['1e20 is a number', '{"a":1e20,"b":"x 12345678901234567890"}', true],
    ['a long integer part with a fraction is a number', '{"a":12345678901234567890.0}', false],
    ['a duplicate key drops a literal', '{"a":18446744073709551615,"a":1}', false],
    ['a duplicate key and a float of the same value', '{"a":18446744073709551615,"a":1.8446744073709552e19}', false],
    ['a digit run in a string after ": "', '{"a":": 18446744073709551615","b":18446744073709551615}', false],
    ['two literals rounding to one double', '[9007199254740993,9007199254740992]', false],
    ['the same literal twice', '[9007199254740993,{"b":9007199254740993}]', true],
    ['a sentinel-like string', '{"a":"\\u0000tgc-bigint:5","b":18446744073709551615}', false],
    ['a __proto__ key', '{"__proto__":18446744073709551615,"0":-18446744073709551615}', true],
    ['a bare integer', ' 18446744073709551615 ', true],
    ['a key without quotes (invalid)', '{18446744073709551615:1}', false],
    ['nesting deeper than the walk goes', `${'['.repeat(1200)}18446744073709551615${']'.repeat(1200)}`, false],
    ['nesting the walk takes', `${'[{"a":'.repeat(400)}18446744073709551615${'}]'.repeat(400)}`, true],
  ])('%s', (_name, t, fastPath) => {
    expectSame(t);
    const run = /\d{16}/.exec(t);
    expect(run !== null && parseLocatingLiterals(t, run.index) !== undefined).toBe(fastPath);
  });
});

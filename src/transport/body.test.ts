import { describe, expect, it } from 'vitest';
import { createBodyDecoder, decodeUtf8Body, isEventStream, isJsonType, joinHeaders, jsonDepth, mediaType } from './body.js';

describe('joinHeaders', () => {
  it('lower-cases names and joins repeats with ", " in arrival order', () => {
    expect(
      joinHeaders(['Content-Type', 'application/json', 'X-A', '1', 'content-type', 'text/html', 'x-a', '2']),
    ).toEqual({ 'content-type': 'application/json, text/html', 'x-a': '1, 2' });
  });

  it('keeps a header named __proto__ as data', () => {
    const headers = joinHeaders(['__proto__', 'x']);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.keys(headers)).toEqual(['__proto__']);
  });

  it('names of Object.prototype members are headers like any other, repeats joined', () => {
    const headers = joinHeaders(['constructor', 'a', 'toString', 'b', '__proto__', 'x', '__Proto__', 'y', 'hasOwnProperty', 'z']);
    expect(Object.entries(headers)).toEqual([
      ['constructor', 'a'],
      ['tostring', 'b'],
      ['__proto__', 'x, y'],
      ['hasownproperty', 'z'],
    ]);
  });
});

describe('media types', () => {
  it('reads the type without parameters', () => {
    expect(mediaType(' Text/Event-Stream ; charset=utf-8')).toBe('text/event-stream');
    expect(mediaType(undefined)).toBeUndefined();
    expect(mediaType('')).toBeUndefined();
  });

  it('tells streams and JSON', () => {
    expect(isEventStream('text/event-stream; charset=utf-8')).toBe(true);
    expect(isEventStream('text/plain')).toBe(false);
    expect(isJsonType('application/json')).toBe(true);
    expect(isJsonType('application/problem+json; charset=utf-8')).toBe(true);
    expect(isJsonType('text/json')).toBe(true);
    expect(isJsonType('text/html')).toBe(false);
    expect(isJsonType(undefined)).toBe(false);
  });
});

describe('decodeUtf8Body', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it('decodes valid UTF-8 and keeps a BOM', () => {
    expect(decodeUtf8Body(bytes('h\u00e9 \u{1F600}'), true)).toEqual({ text: 'h\u00e9 \u{1F600}' });
    expect(decodeUtf8Body(bytes([0xef, 0xbb, 0xbf], '{}'), true).text).toBe('\uFEFF{}');
  });

  it('points at the first byte of the first ill-formed sequence', () => {
    expect(decodeUtf8Body(bytes('ab', [0xff], 'c'), true)).toEqual({ text: 'ab', invalidAt: 2 });
    expect(decodeUtf8Body(bytes('a', [0xe2, 0x28, 0xa1]), true)).toEqual({ text: 'a', invalidAt: 1 });
    // An overlong encoding and a surrogate are ill-formed.
    expect(decodeUtf8Body(bytes([0xc0, 0xaf]), true).invalidAt).toBe(0);
    expect(decodeUtf8Body(bytes('x', [0xed, 0xa0, 0x80]), true).invalidAt).toBe(1);
  });

  it('a character cut by the end: invalid when the body is complete, dropped when it was cut off', () => {
    expect(decodeUtf8Body(bytes('ab', [0xe2, 0x82]), true)).toEqual({ text: 'ab', invalidAt: 2 });
    expect(decodeUtf8Body(bytes('ab', [0xe2, 0x82]), false)).toEqual({ text: 'ab' });
    expect(decodeUtf8Body(bytes('ab', [0xe2, 0x82, 0xac]), false)).toEqual({ text: 'ab\u20ac' });
  });
});

describe('jsonDepth', () => {
  it('counts brackets and braces outside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"]]]"}]}')).toBe(3);
    expect(jsonDepth('"[[[\\"[["')).toBe(0);
    expect(jsonDepth('42')).toBe(0);
    expect(jsonDepth('[[],[[]]]')).toBe(3);
  });

  it('stops counting above the bound, without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(deep)).toBe(100_000);
    expect(jsonDepth(deep, 1_000)).toBe(1_001);
  });
});

describe('decodeUtf8Body on a cut body', () => {
  it('drops only a character the cut left unfinished, at any cut', () => {
    const whole = Buffer.from('h\u00e9 \u{1F600} \u20ac');
    for (let i = 0; i <= whole.length; i++) {
      const cut = decodeUtf8Body(whole.subarray(0, i), false);
      expect(cut.invalidAt).toBeUndefined();
      expect(whole.toString('utf8').startsWith(cut.text)).toBe(true);
      expect(Buffer.byteLength(cut.text)).toBeGreaterThan(i - 4);
    }
  });
});

describe('createBodyDecoder', () => {
  const split = (b: Uint8Array, at: number[]): Uint8Array[] => {
    const out: Uint8Array[] = [];
    let from = 0;
    for (const i of [...at, b.length]) {
      out.push(b.subarray(from, i));
      from = i;
    }
    return out;
  };
  const run = (parts: Uint8Array[], complete: boolean) => {
    const d = createBodyDecoder();
    for (const p of parts) d.feed(p);
    return d.end(complete);
  };

  it('keeps only the first keepChars characters when asked, never half of a surrogate pair', () => {
    const d = createBodyDecoder();
    d.feed(Buffer.from('ab'));
    d.feed(Buffer.from('c\u{1F600}d'));
    d.feed(Buffer.from('efgh'));
    expect(d.end(false, 3).text).toBe('abc');
    expect(d.end(false, 4).text).toBe('abc'); // 'abc' + the high half of U+1F600: dropped
    expect(d.end(false, 5).text).toBe('abc\u{1F600}');
    expect(d.end(false, 100).text).toBe('abc\u{1F600}defgh');
    expect(d.end(true).text).toBe('abc\u{1F600}defgh');
  });

  it('gives what decodeUtf8Body gives on the whole, wherever the chunks split', () => {
    const samples = [
      Buffer.from('h\u00e9 \u{1F600} \u20ac done'),
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
      Buffer.concat([Buffer.from('ab'), Buffer.from([0xff]), Buffer.from('c')]),
      Buffer.concat([Buffer.from('a'), Buffer.from([0xe2, 0x28, 0xa1])]),
      Buffer.concat([Buffer.from('x\u00e9'), Buffer.from([0xed, 0xa0, 0x80])]),
      Buffer.concat([Buffer.from('ab'), Buffer.from([0xe2, 0x82])]),
      Buffer.concat([Buffer.from('\u{1F600}'), Buffer.from([0xf0, 0x9f])]),
      Buffer.concat([Buffer.from('ok'), Buffer.from([0xf5])]),
    ];
    for (const b of samples) {
      for (const complete of [true, false]) {
        const whole = decodeUtf8Body(b, complete);
        for (let i = 0; i <= b.length; i++) {
          for (let j = i; j <= b.length; j++) {
            expect(run(split(b, [i, j]), complete), `${b.toString('hex')} at ${i},${j}`).toEqual(whole);
          }
        }
      }
    }
  });
});

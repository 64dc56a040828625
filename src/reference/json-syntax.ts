/**
 * Where and why JSON text fails to parse, worded as serde_json words it ("expected value at
 * line 1 column 1", "EOF while parsing an object at line 1 column 9", "trailing comma at ..."):
 * V8's messages differ and often carry no position. Also catches what JSON.parse accepts but
 * serde_json rejects: a lone surrogate in a `\u` escape. Used only on the error path.
 */
import { lineColumn } from './json-scan.js';

class SyntaxFailure {
  readonly reason: string;
  readonly offset: number;

  constructor(reason: string, offset: number) {
    this.reason = reason;
    this.offset = offset;
  }
}

class Checker {
  private i = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  run(): void {
    this.ws();
    this.value();
    this.ws();
    if (this.i < this.text.length) throw new SyntaxFailure('trailing characters', this.i);
  }

  private eof(what: string): SyntaxFailure {
    return new SyntaxFailure(`EOF while parsing ${what}`, Math.max(0, this.text.length - 1));
  }

  private ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.i))) this.i++;
  }

  private value(): void {
    const c = this.text.charAt(this.i);
    if (c === '') throw this.eof('a value');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (word.startsWith(c)) {
        for (let k = 0; k < word.length; k++) {
          if (this.i + k >= this.text.length) throw this.eof('a value');
          if (this.text.charAt(this.i + k) !== word.charAt(k)) throw new SyntaxFailure('expected ident', this.i + k);
        }
        this.i += word.length;
        return;
      }
    }
    throw new SyntaxFailure('expected value', this.i);
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.text.charAt(this.i) === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const c = this.text.charAt(this.i);
      if (c === '') throw this.eof('an object');
      if (c === '}') throw new SyntaxFailure('trailing comma', this.i);
      if (c !== '"') throw new SyntaxFailure('key must be a string', this.i);
      this.string();
      this.ws();
      if (this.i >= this.text.length) throw this.eof('an object');
      if (this.text.charAt(this.i) !== ':') throw new SyntaxFailure('expected `:`', this.i);
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const d = this.text.charAt(this.i);
      if (d === '') throw this.eof('an object');
      this.i++;
      if (d === '}') return;
      if (d !== ',') throw new SyntaxFailure('expected `,` or `}`', this.i - 1);
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.text.charAt(this.i) === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const c = this.text.charAt(this.i);
      if (c === '') throw this.eof('a list');
      if (c === ']') throw new SyntaxFailure('trailing comma', this.i);
      this.value();
      this.ws();
      const d = this.text.charAt(this.i);
      if (d === '') throw this.eof('a list');
      this.i++;
      if (d === ']') return;
      if (d !== ',') throw new SyntaxFailure('expected `,` or `]`', this.i - 1);
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.text.length) throw this.eof('a string');
      const c = this.text.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c < 0x20) throw new SyntaxFailure('control character (\\u0000-\\u001F) found while parsing a string', this.i);
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      const e = this.text.charAt(this.i + 1);
      if (e === '') throw this.eof('a string');
      if ('"\\/bfnrt'.includes(e)) {
        this.i += 2;
        continue;
      }
      if (e !== 'u') throw new SyntaxFailure('invalid escape', this.i + 1);
      const unit = this.hex(this.i + 2);
      this.i += 6;
      if (unit >= 0xdc00 && unit <= 0xdfff) throw new SyntaxFailure('lone leading surrogate in hex escape', this.i - 1);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (this.text.slice(this.i, this.i + 2) !== '\\u') throw new SyntaxFailure('unexpected end of hex escape', this.i);
        const low = this.hex(this.i + 2);
        if (low < 0xdc00 || low > 0xdfff) throw new SyntaxFailure('lone leading surrogate in hex escape', this.i + 5);
        this.i += 6;
      }
    }
  }

  private hex(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (digits.length < 4) throw this.eof('a string');
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new SyntaxFailure('invalid escape', at);
    return parseInt(digits, 16);
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!m || m[0] === '-') throw new SyntaxFailure('invalid number', this.i);
    this.i += m[0].length;
    const next = this.text.charAt(this.i);
    if (next === '.' || next === 'e' || next === 'E') throw new SyntaxFailure('invalid number', this.i);
  }
}

/** serde_json's message for text that is not JSON (or has a lone surrogate); undefined when fine. */
export function jsonSyntaxError(text: string): string | undefined {
  try {
    new Checker(text).run();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return `${e.reason} at ${lineColumn(text, e.offset)}`;
    throw e;
  }
}

/** True when the text has a `\u` escape of a surrogate, the one case worth the slow check. */
export function mayHaveLoneSurrogate(text: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(text);
}

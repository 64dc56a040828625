/**
 * A regex grammar as TGI's outlines backend reads it (the whole output must match), reduced to
 * what this reference server can draw from: a small parser and a random-walk generator.
 *
 * Supported: literals and escaped metacharacters; `.`; classes `[...]` with ranges and negation;
 * `\d \D \w \W \s \S`, `\n \t \r \f \v \0`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`; groups `(...)`,
 * `(?:...)`, `(?P<name>...)`, `(?<name>...)`; alternation `|`; quantifiers `* + ? {n} {n,} {n,m}
 * {,m}` with lazy `?` or possessive `+` suffixes; `^` and `$` (ignored: the match is whole).
 * Unsupported, as in outlines (interegular): lookarounds, backreferences, inline flags, word
 * boundaries and other zero-width escapes. They raise {@link RegexGrammarError}.
 */
import type { SplitMix64 } from '../prng.js';

export type RegexNode =
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; options: RegexNode[] }
  | { t: 'char'; cp: number }
  | { t: 'class'; ranges: Array<[number, number]>; negated: boolean }
  | { t: 'repeat'; node: RegexNode; min: number; max: number };

/** A regex this server cannot use: malformed, or a construct outside the supported subset. */
export class RegexGrammarError extends Error {
  override name = 'RegexGrammarError';
}

const DIGIT: Array<[number, number]> = [[0x30, 0x39]];
const WORD: Array<[number, number]> = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Array<[number, number]> = [[0x09, 0x0d], [0x20, 0x20]];
const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, '0': 0, a: 7 };
const UNSUPPORTED_ESCAPES = 'bBAZzG';
/** How many repetitions an unbounded quantifier adds at most beyond its minimum. */
const EXTRA_REPEATS = 4;

class Parser {
  private i = 0;

  private readonly src: string;

  constructor(src: string) {
    this.src = src;
  }

  parse(): RegexNode {
    const node = this.alternation();
    if (this.i < this.src.length) this.fail(`unbalanced parenthesis at position ${this.i}`);
    return node;
  }

  private fail(message: string): never {
    throw new RegexGrammarError(message);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): RegexNode {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as RegexNode) : { t: 'alt', options };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      if (c === '^' || c === '$') {
        this.i++;
        continue;
      }
      if ('*+?'.includes(c)) this.fail(`nothing to repeat at position ${this.i}`);
      if (c === '{' && this.quantifierAhead()) this.fail(`nothing to repeat at position ${this.i}`);
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? (items[0] as RegexNode) : { t: 'seq', items };
  }

  private quantifierAhead(): boolean {
    return /^\{(\d*)(,(\d*))?\}/.test(this.src.slice(this.i)) && !/^\{,?\}/.test(this.src.slice(this.i));
  }

  private quantified(node: RegexNode): RegexNode {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && this.quantifierAhead()) {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
        min = m[1] ? Number(m[1]) : 0;
        max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
        if (max < min) this.fail(`min repeat greater than max repeat at position ${this.i}`);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.peek() === '?' || this.peek() === '+') this.i++;
      node = { t: 'repeat', node, min, max };
    }
  }

  private atom(): RegexNode {
    const c = this.peek() as string;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.i++;
      return { t: 'class', ranges: [[10, 10]], negated: true };
    }
    if (c === '\\') return this.escape(false);
    const cp = this.src.codePointAt(this.i) ?? 0;
    this.i += cp > 0xffff ? 2 : 1;
    return { t: 'char', cp };
  }

  private group(): RegexNode {
    this.i++;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i);
      const named = /^\?P?<([A-Za-z_]\w*)>/.exec(rest);
      if (rest.startsWith('?:')) this.i += 2;
      else if (named) this.i += named[0].length;
      else if (/^\?(=|!|<=|<!)/.test(rest)) this.fail('lookaround assertions are not supported');
      else if (rest.startsWith('?P=') || rest.startsWith('?(')) this.fail('backreferences are not supported');
      else this.fail(`unsupported group syntax (?${rest.charAt(1)} (inline flags are not supported)`);
    }
    const inner = this.alternation();
    if (this.peek() !== ')') this.fail('missing ), unterminated subpattern');
    this.i++;
    return inner;
  }

  /** One escape; inside a class, returns a class or a char usable as a range bound. */
  private escape(inClass: boolean): RegexNode {
    this.i++;
    const e = this.peek();
    if (e === undefined) this.fail('bad escape (end of pattern)');
    this.i++;
    switch (e) {
      case 'd':
      case 'D':
        return { t: 'class', ranges: DIGIT, negated: e === 'D' };
      case 'w':
      case 'W':
        return { t: 'class', ranges: WORD, negated: e === 'W' };
      case 's':
      case 'S':
        return { t: 'class', ranges: SPACE, negated: e === 'S' };
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return this.hexEscape(8);
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) return { t: 'char', cp: simple };
    if (e === 'b' && inClass) return { t: 'char', cp: 8 };
    if (UNSUPPORTED_ESCAPES.includes(e)) this.fail(`zero-width escape \\${e} is not supported`);
    if (/[1-9]/.test(e)) this.fail('backreferences are not supported');
    if (/[A-Za-z]/.test(e)) this.fail(`bad escape \\${e}`);
    return { t: 'char', cp: e.codePointAt(0) ?? 0 };
  }

  private hexEscape(digits: number): RegexNode {
    const hex = this.src.slice(this.i, this.i + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) this.fail(`incomplete escape \\x${hex}`);
    this.i += digits;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) this.fail(`bad escape: code point ${hex} out of range`);
    return { t: 'char', cp };
  }

  private charClass(): RegexNode {
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Array<[number, number]> = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated character set');
      if (c === ']' && !first) break;
      first = false;
      const lo = this.classItem();
      if (lo.t === 'class') {
        if (lo.negated) this.fail('negated escapes (\\D, \\W, \\S) inside a class are not supported');
        ranges.push(...lo.ranges);
        continue;
      }
      if (lo.t !== 'char') this.fail('bad character class');
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classItem();
        if (hi.t !== 'char') this.fail('bad character range');
        if (hi.cp < lo.cp) this.fail('bad character range');
        ranges.push([lo.cp, hi.cp]);
      } else ranges.push([lo.cp, lo.cp]);
    }
    this.i++;
    return { t: 'class', ranges, negated };
  }

  private classItem(): RegexNode {
    if (this.peek() === '\\') return this.escape(true);
    const cp = this.src.codePointAt(this.i) ?? 0;
    this.i += cp > 0xffff ? 2 : 1;
    return { t: 'char', cp };
  }
}

/** Parses a regex of the supported subset; throws {@link RegexGrammarError}. */
export function parseRegex(source: string): RegexNode {
  return new Parser(source).parse();
}

function inRanges(cp: number, ranges: ReadonlyArray<[number, number]>): boolean {
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

function withoutSurrogates(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of ranges) {
    if (hi < 0xd800 || lo > 0xdfff) out.push([lo, hi]);
    else {
      if (lo < 0xd800) out.push([lo, 0xd7ff]);
      if (hi > 0xdfff) out.push([0xe000, hi]);
    }
  }
  return out;
}

function drawFromRanges(ranges: ReadonlyArray<[number, number]>, rng: SplitMix64): number {
  // Prefer printable ASCII where the class has some; never a lone surrogate.
  const printable = ranges
    .map(([lo, hi]): [number, number] => [Math.max(lo, 0x20), Math.min(hi, 0x7e)])
    .filter(([lo, hi]) => lo <= hi);
  const pool = withoutSurrogates(printable.length > 0 ? printable : ranges);
  const total = pool.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  if (total === 0) throw new RegexGrammarError('empty character class');
  let k = rng.nextInt(total);
  for (const [lo, hi] of pool) {
    const size = hi - lo + 1;
    if (k < size) return lo + k;
    k -= size;
  }
  return pool[0]?.[0] ?? 0x20;
}

const NEGATED_POOLS: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa1, 0x17f],
];

function drawNegated(ranges: ReadonlyArray<[number, number]>, rng: SplitMix64): number {
  for (const [lo, hi] of NEGATED_POOLS) {
    const allowed: number[] = [];
    for (let cp = lo; cp <= hi; cp++) if (!inRanges(cp, ranges)) allowed.push(cp);
    if (allowed.length > 0) return rng.pick(allowed);
  }
  throw new RegexGrammarError('negated character class excludes every drawable character');
}

/** Draws a string that the whole regex matches. */
export function drawRegex(node: RegexNode, rng: SplitMix64): string {
  switch (node.t) {
    case 'char':
      return String.fromCodePoint(node.cp);
    case 'class':
      return String.fromCodePoint(node.negated ? drawNegated(node.ranges, rng) : drawFromRanges(node.ranges, rng));
    case 'seq':
      return node.items.map((item) => drawRegex(item, rng)).join('');
    case 'alt':
      return drawRegex(rng.pick(node.options), rng);
    case 'repeat': {
      const max = Math.min(node.max, node.min + EXTRA_REPEATS);
      const count = rng.nextRange(node.min, max);
      let out = '';
      for (let k = 0; k < count; k++) out += drawRegex(node.node, rng);
      return out;
    }
  }
}

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SplitMix64 } from '../prng.js';
import { drawRegex, parseRegex, RegexGrammarError } from './regex.js';

/** The same pattern in JavaScript syntax, anchored. */
function jsRegex(source: string): RegExp {
  return new RegExp(`^(?:${source.replace(/\(\?P</g, '(?<')})$`, 'u');
}

const SUPPORTED = [
  '[0-9]{3}-[0-9]{4}',
  '(yes|no|maybe)',
  '\\d+\\.\\d{2}',
  '[A-Za-z_][A-Za-z0-9_]*',
  '(?P<word>\\w{1,8})( \\w{1,8}){0,3}',
  '(?:ab|cd)*e?',
  '[^aeiou\\s]{4}',
  '.{5}',
  '\\s?\\S+',
  '^[a-c]+$',
  'x{2,}y{0,2}',
  '[α-ω]{3}',
  '\\u00e9\\x41',
  'a+?b*?',
  '(\\{"a": \\d\\})',
];

describe('regex grammar', () => {
  test.prop([fc.constantFrom(...SUPPORTED), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })])('draws strings the regex matches', (source, seed) => {
    const drawn = drawRegex(parseRegex(source), new SplitMix64(seed));
    expect(drawn).toMatch(jsRegex(source));
  });

  it('reads {,m} as {0,m}, as Python does', () => {
    const drawn = drawRegex(parseRegex('y{,2}'), new SplitMix64(5n));
    expect(drawn).toMatch(/^y{0,2}$/);
  });

  const unsupported: [string, string][] = [
    ['lookahead', '(?=a)b'],
    ['negative lookbehind', '(?<!a)b'],
    ['backreference', '(a)\\1'],
    ['named backreference', '(?P<x>a)(?P=x)'],
    ['inline flags', '(?i)abc'],
    ['word boundary', '\\bword\\b'],
    ['unbalanced', '(ab'],
    ['nothing to repeat', '*a'],
    ['bad range', '[z-a]'],
  ];
  it.each(unsupported)('rejects %s', (_name, source) => {
    expect(() => parseRegex(source)).toThrow(RegexGrammarError);
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { TokenStreamDecoder, decode, encode, tokenText } from './tokenizer.js';
import { BOS_ID, EOS_ID, VOCAB, VOCAB_SIZE, isSpecial } from './vocabulary.js';

describe('vocabulary', () => {
  it('has a few hundred tokens, the three specials first, and unique pieces', () => {
    expect(VOCAB_SIZE).toBeGreaterThan(500);
    expect(VOCAB_SIZE).toBeLessThan(1500);
    expect(VOCAB.slice(0, 3).map((e) => e.piece)).toEqual(['<pad>', '<s>', '</s>']);
    expect(new Set(VOCAB.map((e) => e.piece)).size).toBe(VOCAB_SIZE);
    expect(VOCAB.filter((e) => e.special).map((e) => e.id)).toEqual([0, 1, 2]);
    expect(VOCAB.some((e) => e.piece === ' the') && VOCAB.some((e) => e.piece === 'the')).toBe(true);
  });
});

describe('encode / decode', () => {
  const cases: [string, { given: string; want: string[] }][] = [
    ['words with their leading space', { given: 'Hello world', want: ['<s>', 'He', 'l', 'l', 'o', ' world'] }],
    ['special token strings', { given: 'a</s>', want: ['<s>', 'a', '</s>'] }],
    ['byte fallback for an emoji', { given: '😀', want: ['<s>', '<0xF0>', '<0x9F>', '<0x98>', '<0x80>'] }],
    ['byte fallback for a control character', { given: '\u0001', want: ['<s>', '<0x01>'] }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(encode(given).map((id) => VOCAB[id]?.piece)).toEqual(want);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 60 })])('any Unicode text round-trips', (text) => {
    const ids = encode(text, false);
    expect(ids.every((id) => id >= 0 && id < VOCAB_SIZE)).toBe(true);
    expect(decode(ids, false)).toBe(text);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 40 })])('incremental texts concatenate to the decoded text', (text) => {
    const ids = encode(text);
    const decoder = new TokenStreamDecoder();
    const pieces = ids.map((id) => (isSpecial(id) ? (decoder.push(id), '') : decoder.push(id)));
    expect(pieces.join('')).toBe(decode(ids, true));
  });

  it('skips special tokens with skip_special, as generated_text does', () => {
    expect(decode([BOS_ID, ...encode('ok', false), EOS_ID], true)).toBe('ok');
    expect(decode([BOS_ID, ...encode('ok', false), EOS_ID], false)).toBe('<s>ok</s>');
  });

  it('gives byte tokens their own text: the ASCII character, or U+FFFD alone', () => {
    const [, f0] = encode('😀');
    expect(tokenText(f0 as number)).toBe('\uFFFD');
    expect(tokenText(encode('\u0001')[1] as number)).toBe('\u0001');
  });
});

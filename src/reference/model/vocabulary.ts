/**
 * The simulated model's fixed vocabulary, laid out like a Llama/SentencePiece one: three special
 * tokens, 256 byte-fallback tokens (so that any Unicode text tokenizes: what no piece covers is
 * spelled as its UTF-8 bytes), one token per printable ASCII character, then words and subwords,
 * each word also with its leading-space variant.
 */

export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
/** `<0x00>` is BYTE_BASE, `<0xFF>` is BYTE_BASE + 255. */
export const BYTE_BASE = 3;
export const BYTE_END = BYTE_BASE + 256;

const SPECIALS = ['<pad>', '<s>', '</s>'] as const;

const WORDS = [
  // function words, roughly by frequency: the model prefers the earlier ones
  'the', 'of', 'and', 'to', 'a', 'in', 'is', 'that', 'for', 'it', 'as', 'was', 'with', 'be', 'by',
  'on', 'not', 'he', 'this', 'are', 'or', 'his', 'from', 'at', 'which', 'but', 'have', 'an', 'had',
  'they', 'you', 'were', 'their', 'one', 'all', 'we', 'can', 'her', 'has', 'there', 'been', 'if',
  'more', 'when', 'will', 'would', 'who', 'so', 'no', 'she', 'other', 'its', 'may', 'these', 'what',
  'them', 'than', 'some', 'him', 'time', 'into', 'only', 'do', 'two', 'then', 'first', 'any', 'new',
  'my', 'our', 'your', 'could', 'also', 'how', 'after', 'over', 'most', 'very', 'should', 'where',
  'just', 'because', 'each', 'made', 'many', 'before', 'must', 'through', 'back', 'years', 'much',
  'way', 'well', 'down', 'great', 'such', 'between', 'own', 'under', 'never', 'same', 'another',
  // content words
  'world', 'people', 'life', 'day', 'work', 'part', 'place', 'water', 'house', 'light', 'story',
  'model', 'text', 'answer', 'question', 'number', 'word', 'system', 'data', 'test', 'robot',
  'machine', 'language', 'city', 'river', 'night', 'music', 'book', 'game', 'idea', 'fish', 'sea',
  'friend', 'family', 'science', 'history', 'power', 'moment', 'reason', 'server', 'request',
  'token', 'stream', 'contract', 'value', 'sentence', 'image', 'garden', 'mountain', 'forest',
  'know', 'make', 'think', 'see', 'come', 'take', 'want', 'use', 'find', 'give', 'tell', 'call',
  'try', 'ask', 'need', 'feel', 'become', 'leave', 'write', 'read', 'learn', 'build', 'run', 'say',
  'said', 'went', 'found', 'came', 'good', 'small', 'large', 'long', 'little', 'old', 'young',
  'big', 'high', 'different', 'important', 'simple', 'quick', 'brown', 'fox', 'lazy', 'dog',
  'hello', 'yes', 'maybe', 'always', 'often', 'here', 'now', 'today', 'still', 'again', 'together',
] as const;

const SUBWORDS = [
  'ing', 'ed', 'er', 'ly', 'es', 's', 'tion', 'ment', 'ness', 'able', 'al', 'ity', 'ous', 'ful',
  'est', 're', 'un', 'pre', "'s", "n't", "'re", "'ll", '...', '\n\n', '  ', '    ', '",', '."',
] as const;

const PUNCTUATION_WITH_SPACE = ['(', '"', "'", '-', '1', '2', '3', '10', '100', '2024'] as const;

/** Classes that shape the pseudo-logits (what tends to follow what). */
export type TokenClass = 'special' | 'byte' | 'letter' | 'digit' | 'punct' | 'space' | 'word' | 'subword';

export interface VocabEntry {
  id: number;
  /** The text this token stands for (for byte tokens: `<0xNN>`, decoded through UTF-8). */
  piece: string;
  special: boolean;
  cls: TokenClass;
  /** The piece starts with a space. */
  spaced: boolean;
  /** Rank among words (0 = most frequent), for the model's prior; -1 elsewhere. */
  rank: number;
}

function classOfChar(ch: string): TokenClass {
  if (/[A-Za-z]/.test(ch)) return 'letter';
  if (/[0-9]/.test(ch)) return 'digit';
  if (ch === ' ' || ch === '\n' || ch === '\t') return 'space';
  return 'punct';
}

function buildVocabulary(): VocabEntry[] {
  const entries: VocabEntry[] = [];
  const seen = new Set<string>();
  const add = (piece: string, cls: TokenClass, rank = -1): void => {
    if (seen.has(piece)) return;
    seen.add(piece);
    entries.push({ id: entries.length, piece, special: false, cls, spaced: piece.startsWith(' '), rank });
  };
  for (const s of SPECIALS) {
    entries.push({ id: entries.length, piece: s, special: true, cls: 'special', spaced: false, rank: -1 });
    seen.add(s);
  }
  for (let b = 0; b < 256; b++) {
    const piece = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
    entries.push({ id: entries.length, piece, special: false, cls: 'byte', spaced: false, rank: -1 });
    seen.add(piece);
  }
  add('\n', 'space');
  add('\t', 'space');
  for (let c = 0x20; c <= 0x7e; c++) {
    const ch = String.fromCharCode(c);
    add(ch, classOfChar(ch));
  }
  WORDS.forEach((w, rank) => {
    add(` ${w}`, 'word', rank);
    add(w, 'word', rank);
    const cap = w.charAt(0).toUpperCase() + w.slice(1);
    if (cap !== w && rank < 40) {
      add(` ${cap}`, 'word', rank + 20);
      add(cap, 'word', rank + 20);
    }
  });
  for (const s of SUBWORDS) add(s, 'subword');
  for (const p of PUNCTUATION_WITH_SPACE) add(` ${p}`, /[0-9]/.test(p) ? 'digit' : 'punct');
  return entries;
}

export const VOCAB: readonly VocabEntry[] = buildVocabulary();
export const VOCAB_SIZE: number = VOCAB.length;

/** The ids that are special tokens (TGI's `special: true`). */
export function isSpecial(id: number): boolean {
  return id === PAD_ID || id === BOS_ID || id === EOS_ID;
}

export function isByteToken(id: number): boolean {
  return id >= BYTE_BASE && id < BYTE_END;
}

/** The words of the vocabulary, for drawing plausible strings (grammar instances). */
export const DICTIONARY_WORDS: readonly string[] = WORDS;

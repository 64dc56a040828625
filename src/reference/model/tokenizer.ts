/**
 * Encoding and decoding over the fixed vocabulary: greedy longest match over the pieces (special
 * token strings included, as Hugging Face tokenizers match added tokens), UTF-8 byte fallback for
 * everything else, and TGI's decoding: `skip_special_tokens` for generated_text, incremental
 * `decode_token` for the text of each generated token.
 */
import { Utf8Decoder, encodeCodePoint } from './utf8.js';
import { BOS_ID, BYTE_BASE, VOCAB, isByteToken, isSpecial } from './vocabulary.js';

interface TrieNode {
  id: number;
  next: Map<number, TrieNode>;
}

function buildTrie(): TrieNode {
  const root: TrieNode = { id: -1, next: new Map() };
  for (const entry of VOCAB) {
    if (entry.cls === 'byte') continue;
    let node = root;
    for (let i = 0; i < entry.piece.length; i++) {
      const c = entry.piece.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) {
        child = { id: -1, next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    node.id = entry.id;
  }
  return root;
}

const TRIE = buildTrie();

/** The longest piece at `text[start..]`: [id, length in UTF-16 units], or undefined. */
export function longestPiece(text: string, start: number): [number, number] | undefined {
  let node: TrieNode | undefined = TRIE;
  let best: [number, number] | undefined;
  for (let i = start; i < text.length; i++) {
    node = node.next.get(text.charCodeAt(i));
    if (!node) break;
    if (node.id >= 0) best = [node.id, i - start + 1];
  }
  return best;
}

/**
 * Every piece that is a prefix of `text[start..]`, shortest first: the tokens a grammar allows
 * next when `text` is what must still be produced.
 */
export function prefixPieces(text: string, start: number): number[] {
  const ids: number[] = [];
  let node: TrieNode | undefined = TRIE;
  for (let i = start; i < text.length; i++) {
    node = node.next.get(text.charCodeAt(i));
    if (!node) break;
    if (node.id >= 0) ids.push(node.id);
  }
  return ids;
}

/** The byte tokens that spell the code point at `text[start..]`, and its UTF-16 length. */
export function byteTokensAt(text: string, start: number): [number[], number] {
  const cp = text.codePointAt(start) ?? 0xfffd;
  return [encodeCodePoint(cp).map((b) => BYTE_BASE + b), cp > 0xffff ? 2 : 1];
}

/** Tokenizes `text`; with `addBos`, `<s>` first (add_special_tokens, as Llama tokenizers do). */
export function encode(text: string, addBos = true): number[] {
  const ids: number[] = addBos ? [BOS_ID] : [];
  let i = 0;
  while (i < text.length) {
    const piece = longestPiece(text, i);
    if (piece) {
      ids.push(piece[0]);
      i += piece[1];
      continue;
    }
    const [bytes, width] = byteTokensAt(text, i);
    ids.push(...bytes);
    i += width;
  }
  return ids;
}

/** The text of one token decoded on its own (prefill and top_tokens texts). */
export function tokenText(id: number): string {
  if (isByteToken(id)) {
    const decoder = new Utf8Decoder();
    return decoder.push(id - BYTE_BASE) + decoder.flush();
  }
  return VOCAB[id]?.piece ?? '';
}

/**
 * Incremental decoding, one generated token at a time, as TGI's `decode_token`: a byte token
 * that leaves a character incomplete has the text "", the one that completes it carries it.
 */
export class TokenStreamDecoder {
  private readonly bytes = new Utf8Decoder();

  /** The text this token adds. */
  push(id: number): string {
    if (isByteToken(id)) return this.bytes.push(id - BYTE_BASE);
    return this.bytes.flush() + (VOCAB[id]?.piece ?? '');
  }

  /** The bytes of a character still incomplete. */
  get pendingBytes(): readonly number[] {
    return this.bytes.pendingBytes;
  }
}

/** Decodes ids; with `skipSpecial`, special tokens contribute no text (TGI's generated_text). */
export function decode(ids: readonly number[], skipSpecial: boolean): string {
  const decoder = new TokenStreamDecoder();
  let out = '';
  for (const id of ids) {
    const text = decoder.push(id);
    if (!(skipSpecial && isSpecial(id))) out += text;
  }
  return out;
}

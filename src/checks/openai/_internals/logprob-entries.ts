/**
 * The log-probabilities of one choice, read from its `logprobs` values (one for a response, one
 * per chunk for a stream) in either route's shape, and the comparison of the content with the
 * tokens' text. Values of any JSON type are tolerated: the schema may leave them open.
 */
import { pointer } from '../../_internals/pointer.js';
import { isRecord, type LogprobsPart, type Place } from './choices.js';
import { isByteArray, isWholeText, utf8Bytes } from './utf8.js';

/** `chat`: `{content: [...]}`; `completions`: `{tokens, token_logprobs, …}`; `other`: neither. */
export type LogprobsShape = 'chat' | 'completions' | 'other';

const COMPLETION_KEYS = ['tokens', 'token_logprobs', 'top_logprobs', 'text_offset'] as const;

export function shapeOf(value: unknown): LogprobsShape {
  if (!isRecord(value)) return 'other';
  if (Object.hasOwn(value, 'content') && !Object.hasOwn(value, 'tokens') && !Object.hasOwn(value, 'token_logprobs')) return 'chat';
  if (COMPLETION_KEYS.some((k) => Object.hasOwn(value, k))) return 'completions';
  if (Object.hasOwn(value, 'content') || Object.hasOwn(value, 'refusal')) return 'chat';
  return 'other';
}

/** One chat entry (`content[k]`) or one of its `top_logprobs`. */
export interface ChatEntry {
  raw: Record<string, unknown>;
  place: Place;
  /** The entry's alternatives, when it is a top-level entry. */
  top?: unknown;
}

/** Every entry of a choice's chat-shaped logprobs, in order. */
export function chatEntries(parts: readonly LogprobsPart[]): ChatEntry[] {
  const out: ChatEntry[] = [];
  for (const part of parts) {
    if (shapeOf(part.value) !== 'chat') continue;
    const content = (part.value as Record<string, unknown>).content;
    if (!Array.isArray(content)) continue;
    content.forEach((raw: unknown, k) => {
      if (!isRecord(raw)) return;
      const place: Place = { pointer: pointer(part.place.pointer, 'content', k) };
      if (part.place.event !== undefined) place.event = part.place.event;
      out.push({ raw, place, top: raw.top_logprobs });
    });
  }
  return out;
}

/** One position of a choice's completions-shaped logprobs. */
export interface CompletionPosition {
  token: unknown;
  logprob: unknown;
  top: unknown;
  /** Points at `logprobs` of the chunk or response that carried it; `k` is the position there. */
  place: Place;
  k: number;
}

/** Every position of a choice's completions-shaped logprobs, in order (`tokens` giving the count). */
export function completionPositions(parts: readonly LogprobsPart[]): CompletionPosition[] {
  const out: CompletionPosition[] = [];
  for (const part of parts) {
    if (shapeOf(part.value) !== 'completions') continue;
    const v = part.value as Record<string, unknown>;
    const tokens = Array.isArray(v.tokens) ? (v.tokens as unknown[]) : [];
    const values = Array.isArray(v.token_logprobs) ? (v.token_logprobs as unknown[]) : [];
    const tops = Array.isArray(v.top_logprobs) ? (v.top_logprobs as unknown[]) : [];
    const n = Math.max(tokens.length, values.length);
    for (let k = 0; k < n; k++) out.push({ token: tokens[k], logprob: values[k], top: tops[k], place: part.place, k });
  }
  return out;
}

/** A piece of the tokens' text: a token's text, with its `bytes` where given. */
export interface TextPiece {
  text: unknown;
  bytes?: unknown;
}

export type PrefixResult =
  | { match: 'prefix' }
  /** The content is a prefix once leading whitespace is ignored on both sides. */
  | { match: 'leading-whitespace' }
  | { match: 'different'; byte: number; tokensText: string };

const isSpaceByte = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

function trimStart(bytes: readonly number[]): readonly number[] {
  let i = 0;
  while (i < bytes.length && isSpaceByte(bytes[i])) i++;
  return bytes.slice(i);
}

/**
 * Where `content` stops being a prefix of the tokens' bytes, or undefined when it is one.
 * `complete`: the tokens' bytes are known to the end (else only the common length is compared).
 */
function firstDifference(content: readonly number[], tokens: readonly number[], complete: boolean): number | undefined {
  const n = Math.min(content.length, tokens.length);
  for (let i = 0; i < n; i++) if (content[i] !== tokens[i]) return i;
  return complete && content.length > tokens.length ? tokens.length : undefined;
}

/**
 * Whether `content` is a prefix of the concatenated tokens (which may run past it: EOS or stop
 * tokens). Compared as UTF-8 bytes: a token's text where it is whole characters, else its
 * `bytes`; at the first token that is neither, the comparison stops there (a partial character
 * spelled as `\xe2` or U+FFFD cannot be compared).
 */
export function contentPrefix(content: string, pieces: readonly TextPiece[]): PrefixResult {
  const tokenBytes: number[] = [];
  const shown: string[] = [];
  let complete = true;
  for (const piece of pieces) {
    if (typeof piece.text === 'string' && isWholeText(piece.text)) {
      tokenBytes.push(...utf8Bytes(piece.text));
      shown.push(piece.text);
    } else if (isByteArray(piece.bytes)) {
      tokenBytes.push(...piece.bytes);
      shown.push(typeof piece.text === 'string' ? piece.text : '');
    } else {
      complete = false;
      break;
    }
  }
  const contentBytes = utf8Bytes(content);
  const byte = firstDifference(contentBytes, tokenBytes, complete);
  if (byte === undefined) return { match: 'prefix' };
  if (firstDifference(trimStart(contentBytes), trimStart(tokenBytes), complete) === undefined) return { match: 'leading-whitespace' };
  return { match: 'different', byte, tokensText: shown.join('') };
}

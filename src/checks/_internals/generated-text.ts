/**
 * Comparing a `generated_text` with the text of its tokens, with the prompt prefix stripped where
 * `return_full_text` asks for it (N-4, N-11, N-12). Shared by the non-stream and stream checks.
 */
import type { EffectiveParameters } from './effective-parameters.js';
import { concatNonSpecialText } from './token-text.js';

/**
 * How the prompt may prefix a `generated_text`: `none` (it must not), `required` (it must: the
 * full original inputs), `optional` (unset on `POST /`: either), `unknown` (the request is unknown).
 */
export type PromptPrefix =
  | { mode: 'none' }
  | { mode: 'required' | 'optional'; inputs: string }
  | { mode: 'unknown' };

export function promptPrefix(params: EffectiveParameters | undefined): PromptPrefix {
  if (params === undefined) return UNKNOWN_PREFIX;
  if (params.returnFullText === true) return { mode: 'required', inputs: params.inputs };
  if (params.returnFullText === 'either') return { mode: 'optional', inputs: params.inputs };
  return NO_PREFIX;
}

// Shared (a prefix is read, never changed): asked for by two checks on every exchange.
const UNKNOWN_PREFIX: PromptPrefix = Object.freeze({ mode: 'unknown' });
const NO_PREFIX: PromptPrefix = Object.freeze({ mode: 'none' });

/**
 * The generated part(s) of a text: the text without the prompt where the prompt is (or may be)
 * there. A `required` prefix that is missing leaves the text whole: return-full-text reports that.
 */
function generatedParts(text: string, prefix: PromptPrefix): string[] {
  switch (prefix.mode) {
    case 'none':
    case 'unknown':
      return [text];
    case 'required':
      return text.startsWith(prefix.inputs) ? [text.slice(prefix.inputs.length)] : [text];
    case 'optional':
      return text.startsWith(prefix.inputs) ? [text.slice(prefix.inputs.length), text] : [text];
  }
}

export type TextComparison =
  | { match: 'exact' }
  /** Equal once leading whitespace is trimmed (encoder-decoder models: mt0, t5). */
  | { match: 'leading-whitespace'; seen: string }
  /** The tokens end inside a multi-byte character (byte-fallback tokens have text ""). */
  | { match: 'incomplete-character'; seen: string }
  | { match: 'different'; seen: string };

const REPLACEMENT_TAIL = /\uFFFD+$/;

/**
 * Compares a `generated_text` with the concatenated non-special token texts. With an unknown
 * request the text may carry any prompt, so it only has to end with the token texts.
 *
 * When the tokens end inside a multi-byte character, TGI's incremental decoder gives the partial
 * byte tokens the text "" and, decoding the whole output the same way, returns "" as the whole
 * generated_text (decode_token withholds text ending in U+FFFD, F:2342); a plain decode shows the
 * replacement character instead.
 */
export function compareGeneratedText(
  text: string,
  tokens: readonly { text: string; special: boolean }[],
  prefix: PromptPrefix,
): TextComparison {
  // The common case, decided without building the token text (the same answer as below).
  if (spelledExactly(text, tokens, prefix)) return EXACT;
  const tokenText = concatNonSpecialText(tokens);
  const parts = generatedParts(text, prefix);
  if (parts.includes(tokenText)) return { match: 'exact' };
  if (prefix.mode === 'unknown' && text.endsWith(tokenText)) return { match: 'exact' };
  const trimmed = tokenText.trimStart();
  const loose = parts.find((part) => part.trimStart() === trimmed);
  if (loose !== undefined) return { match: 'leading-whitespace', seen: loose };
  if (prefix.mode === 'unknown' && text.endsWith(trimmed)) return { match: 'leading-whitespace', seen: text };
  const lastText = tokens.filter((t) => !t.special).at(-1)?.text;
  const partial = parts.find(
    (part) =>
      (part === '' && lastText === '') ||
      (REPLACEMENT_TAIL.test(part) && part.replace(REPLACEMENT_TAIL, '').trimStart() === trimmed),
  );
  if (partial !== undefined) return { match: 'incomplete-character', seen: partial };
  return { match: 'different', seen: parts[0] ?? text };
}

const EXACT: TextComparison = Object.freeze({ match: 'exact' });

/**
 * Whether `text` from `start` to its end is the concatenation of the non-special token texts
 * (`text.slice(start) === concatNonSpecialText(tokens)`), read in place.
 */
function spells(text: string, start: number, tokens: readonly { text: string; special: boolean }[]): boolean {
  let pos = start;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as { text: string; special: boolean };
    if (token.special) continue;
    const piece = token.text;
    if (!text.startsWith(piece, pos)) return false;
    pos += piece.length;
  }
  return pos === text.length;
}

/** compareGeneratedText's `exact` outcome: some generated part is the token text (or, unknown, ends it). */
function spelledExactly(text: string, tokens: readonly { text: string; special: boolean }[], prefix: PromptPrefix): boolean {
  switch (prefix.mode) {
    case 'none':
      return spells(text, 0, tokens);
    case 'unknown': {
      if (spells(text, 0, tokens)) return true;
      let length = 0;
      for (const token of tokens) if (!token.special) length += token.text.length;
      return length <= text.length && spells(text, text.length - length, tokens);
    }
    case 'required':
      return spells(text, text.startsWith(prefix.inputs) ? prefix.inputs.length : 0, tokens);
    case 'optional':
      return (text.startsWith(prefix.inputs) && spells(text, prefix.inputs.length, tokens)) || spells(text, 0, tokens);
  }
}

const EXCERPT = 60;

function excerpt(text: string, from: number): string {
  const start = Math.max(0, from - 10);
  const slice = text.slice(start, start + EXCERPT);
  return `${start > 0 ? '…' : ''}${JSON.stringify(slice)}${start + EXCERPT < text.length ? '…' : ''}`;
}

/** "expected X but saw Y (first difference at character N)", with short excerpts around it. */
export function describeTextDifference(expected: string, seen: string): string {
  let i = 0;
  while (i < expected.length && i < seen.length && expected[i] === seen[i]) i++;
  return (
    `expected ${excerpt(expected, i)} (${expected.length} characters) but saw ${excerpt(seen, i)} ` +
    `(${seen.length} characters); first difference at character ${i}`
  );
}

/** A short quoted excerpt of a text, for messages. */
export function quote(text: string): string {
  return text.length <= EXCERPT ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, EXCERPT))}…`;
}

/** Concatenation of the token texts the server decodes into `generated_text` (N-4). */

/** Concatenates the `text` of every token that is not `special` (skip_special_tokens=True, F:2342). */
export function concatNonSpecialText(tokens: readonly { text: string; special: boolean }[]): string {
  let out = '';
  for (const token of tokens) if (!token.special) out += token.text;
  return out;
}

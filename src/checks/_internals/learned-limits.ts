/**
 * Server limits that a 422 states (verdict-policy item 5): TGI's validation messages carry the
 * setting that rejected the request (tgi-behavior.md §2c rules b1, b2, 9, 11, 13, 15, 16, 17), so
 * a rejection of a request tgc believed valid teaches the limit; the engine learns it and retests.
 */

/** A server setting read off an error message, named as the engine's `KnownServerLimits`. */
export type LearnedLimit =
  | { name: 'maxStopSequences' | 'maxTopNTokens' | 'maxBestOf' | 'maxInputTokens' | 'maxTotalTokens'; value: number }
  | { name: 'grammarSupported'; value: boolean };

type NumericLimit = Extract<LearnedLimit, { value: number }>['name'];

// Matched anywhere in the text, so that the "Input validation error: " prefix (and a gateway's
// wrapping) does not matter; backticks are optional for servers that drop them.
const NUMERIC: readonly [RegExp, NumericLimit][] = [
  [/`?stop`? supports up to (\d+) stop sequences/, 'maxStopSequences'], // rule 9, V:289
  [/`?top_n_tokens`? must be >= 0 and <= (\d+)/, 'maxTopNTokens'], // rule 11, V:309
  [/`?best_of`? must be > 0 and <= (\d+)/, 'maxBestOf'], // rule b2, V:456
  [/`?inputs`? tokens \+ `?max_new_tokens`? must be <= (\d+)/, 'maxTotalTokens'], // rule 15, V:173
  // "less than" is TGI's wording; the check is `truncate > max_input_tokens` (V:324), so the
  // number is max_input_tokens itself. Rule 16 allows equality the same way (V:182).
  [/`?truncate`? must be strictly positive and less than (\d+)/, 'maxInputTokens'], // rule 13
  [/`?inputs`? must have less than (\d+) tokens/, 'maxInputTokens'], // rule 16
];

/**
 * The limit an error message states, or `undefined` when it states none. Pure: the engine calls
 * it on the `error` of a 422 (or of a stream's error event) answering a request tgc believed
 * valid, and retests with the learned value.
 *
 * @example
 * learnLimit('Input validation error: `stop` supports up to 2 stop sequences. Given: 3');
 * // { name: 'maxStopSequences', value: 2 }
 */
export function learnLimit(message: string): LearnedLimit | undefined {
  // Rule b1 (V:452): max_best_of is 1.
  if (/`?best_of`? != 1 is not allowed for this endpoint/.test(message)) return { name: 'maxBestOf', value: 1 };
  // Rule 17 (V:351): --disable-grammar-support. The same text answers a json grammar whose value
  // is neither an object nor a string (V:362); the engine only learns from valid requests.
  if (/\bgrammar is not supported\b/.test(message)) return { name: 'grammarSupported', value: false };
  for (const [pattern, name] of NUMERIC) {
    const digits = pattern.exec(message)?.[1];
    if (digits === undefined) continue;
    const value = Number(digits);
    return Number.isSafeInteger(value) ? { name, value } : undefined;
  }
  return undefined;
}

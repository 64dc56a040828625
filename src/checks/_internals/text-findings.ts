/**
 * The N-4 judgement of a `generated_text` against its token texts, shared by the non-stream
 * check (text-matches-tokens) and the stream check (stream-text).
 */
import type { Finding } from '../../core/finding.js';
import type { CheckKind } from '../check.js';
import { findingReporter } from './findings.js';
import { compareGeneratedText, describeTextDifference, type PromptPrefix } from './generated-text.js';
import { concatNonSpecialText } from './token-text.js';

export const TEXT_KINDS = {
  'text-differs-from-tokens': {
    severity: 'violation',
    title: 'generated_text is not the concatenation of its non-special token texts',
  },
  // Encoder-decoder models (mt0, t5) decode the first token without its leading space (11 of
  // 299 snapshots); decoder-only tokenizers may clean up spaces too (tgi-behavior.md N-4).
  'text-differs-in-leading-whitespace': {
    severity: 'warning',
    title: 'generated_text differs from its token texts only in leading whitespace',
  },
  // Real TGI: when the output ends inside a multi-byte character (byte-fallback tokenizers cut
  // by max_new_tokens), generated_text is "" (or, elsewhere, ends with U+FFFD).
  'text-incomplete-character': {
    severity: 'warning',
    title: 'generated_text differs from its token texts because they end inside a character',
  },
} as const satisfies Record<string, CheckKind>;

export interface TextToJudge {
  /** For messages: "the response", "best_of_sequences[1]", "the final event". */
  label: string;
  text: string;
  /** The tokens, special ones included (their text is left out). */
  tokens: readonly { text: string; special: boolean }[];
  prefix: PromptPrefix;
  pointer: string;
  event?: number;
}

export function textJudge(check: string): (input: TextToJudge) => Finding[] {
  const report = findingReporter(check, TEXT_KINDS);
  return ({ label, text, tokens, prefix, pointer, event }) => {
    const result = compareGeneratedText(text, tokens, prefix);
    if (result.match === 'exact') return [];
    const where = { pointer, event };
    const stripped = result.seen.length < text.length && text.endsWith(result.seen) ? ' (minus the prompt)' : '';
    const tokenText = concatNonSpecialText(tokens);
    if (result.match === 'incomplete-character') {
      return [
        report('text-incomplete-character', {
          message: `${label}: the last token ends inside a multi-byte character (its text is "" or U+FFFD), and generated_text${stripped} differs from the concatenated non-special token texts accordingly: ${describeTextDifference(tokenText, result.seen)}`,
          ...where,
        }),
      ];
    }
    if (result.match === 'leading-whitespace') {
      return [
        report('text-differs-in-leading-whitespace', {
          message: `${label}: generated_text${stripped} differs from the concatenated non-special token texts only in leading whitespace: ${describeTextDifference(tokenText, result.seen)}`,
          ...where,
        }),
      ];
    }
    return [
      report('text-differs-from-tokens', {
        message: `${label}: generated_text${stripped} must equal the concatenated non-special token texts: ${describeTextDifference(tokenText, result.seen)}`,
        ...where,
      }),
    ];
  };
}

import fc from 'fast-check';
import { truncateUtf8 } from '../utf8.js';

const WORDS = [
  'What', 'is', 'Deep', 'Learning', '?', 'Pour', 'déguster', 'un', 'ortolan', 'the', 'capital', 'of',
  'France', 'My', 'name', 'is', 'Olivier', 'and', 'I', 'def', 'print_hello', '():', '日本語', 'テスト',
  '🤗', 'Once', 'upon', 'a', 'time', '\n', 'Test', 'request',
] as const;

const FALLBACK = 'Hello';

/**
 * A prompt of at most `maxBytes` UTF-8 bytes with at least one non-whitespace character: a
 * whitespace-only prompt passes validation but may tokenize to nothing, which some models fail
 * on. Lone surrogates never occur (serde_json rejects them in a JSON string).
 */
export function inputs(maxBytes: number): fc.Arbitrary<string> {
  const raw = fc.oneof(
    { arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(' ')), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), weight: 2 },
    { arbitrary: fc.constantFrom('a', 'Hi', FALLBACK), weight: 1 },
  );
  return raw.map((s) => {
    const cut = truncateUtf8(s, maxBytes);
    return cut.trim().length > 0 ? cut : truncateUtf8(FALLBACK, maxBytes) || 'a';
  });
}

import fc from 'fast-check';

const COMMON_STOPS = ['\n', '.', '###', 'test', ' the', 'photographer', '</s>', 'Question:'] as const;

/**
 * A non-empty stop sequence. The empty string is valid too, but it stops after the first token
 * on every server, which only makes the generated cases less useful.
 */
export function stopSequence(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...COMMON_STOPS), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), weight: 1 },
  );
}

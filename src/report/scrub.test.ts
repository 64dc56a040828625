import { describe, expect, it } from 'vitest';
import { createScrubber } from './scrub.js';

describe('createScrubber', () => {
  it('replaces the token in every form it may take in tgc output', () => {
    const scrub = createScrubber(['hf_a"b/c']);
    expect(scrub('Bearer hf_a"b/c')).toBe('Bearer $HF_TOKEN');
    expect(scrub(JSON.stringify({ echoed: 'hf_a"b/c' }))).toBe('{"echoed":"$HF_TOKEN"}');
    expect(scrub('q=hf_a%22b%2Fc')).toBe('q=$HF_TOKEN');
  });

  it('leaves text alone without a token', () => {
    expect(createScrubber([undefined])('Bearer x')).toBe('Bearer x');
  });
});

/**
 * 32-bit floats as the server sees them: TGI reads temperature, top_p, typical_p and the
 * penalties as f32 and writes logprobs as f32 (verdict-policy trap 1).
 */

/** Rounds to the nearest f32 value. */
export function f32(x: number): number {
  return Math.fround(x);
}

/**
 * The f32 nearest to `x`, as the shortest decimal that reads back as that f32: what serde
 * writes for an f32 (`-1.7822266`, not `-1.7822265625`). NaN and ±Infinity pass through.
 */
export function f32Shortest(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f === 0) return f === 0 ? 0 : f;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return Number(f.toPrecision(9));
}

/**
 * IEEE-754 binary32 helpers. TGI reads temperature, top_p, typical_p and the penalties as
 * Rust `f32`: serde parses the JSON number as f64 and casts it (round to nearest, ties to even),
 * which is exactly `Math.fround` (verdict-policy item 1).
 */

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The smallest positive normal f32, 2^-126. Subnormals may be flushed to zero on accelerators. */
export const F32_MIN_NORMAL = 2 ** -126;
/** The next f32 above `x` (x is rounded to f32 first). */
export function nextUpF32(x: number): number {
  const f = Math.fround(x);
  if (Number.isNaN(f) || f === Infinity) return f;
  if (f === 0) return 2 ** -149;
  F32[0] = f;
  U32[0] = f > 0 ? (U32[0] ?? 0) + 1 : (U32[0] ?? 0) - 1;
  return F32[0] ?? Number.NaN;
}

/** The next f32 below `x` (x is rounded to f32 first). */
export function nextDownF32(x: number): number {
  return -nextUpF32(-x);
}

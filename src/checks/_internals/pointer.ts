/**
 * JSON pointers (RFC 6901). Non-stream pointers are relative to the response object (unwrapped
 * from the one-element array of `POST /`); stream pointers are relative to the event's data.
 */

function escapeSegment(segment: string | number): string {
  if (typeof segment === 'number') return String(segment);
  // Most segments are plain keys: no regex for them (pointers are built on hot paths).
  if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends segments to a pointer: `pointer('/details', 'tokens', 3)` is `/details/tokens/3`. */
export function pointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (let i = 0; i < segments.length; i++) out += `/${escapeSegment(segments[i] as string | number)}`;
  return out;
}

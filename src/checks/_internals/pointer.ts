/**
 * JSON pointers (RFC 6901). Non-stream pointers are relative to the response object (unwrapped
 * from the one-element array of `POST /`); stream pointers are relative to the event's data.
 */

function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends segments to a pointer: `pointer('/details', 'tokens', 3)` is `/details/tokens/3`. */
export function pointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${escapeSegment(s)}`).join('');
}

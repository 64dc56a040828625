/**
 * Errors that stop tgc before it can test anything: bad usage, unreadable input. They print one
 * line on stderr and exit 2, never a stack trace.
 */
export class TgcInputError extends Error {
  override readonly name = 'TgcInputError';
  readonly exitCode = 2;
}

export const EXIT = {
  ok: 0,
  violations: 1,
  cannotTest: 2,
  interrupted: 130,
  terminated: 143,
} as const;

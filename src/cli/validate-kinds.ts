/** What `tgc validate` reads: its first argument's choices (apart from ./validate.ts, which loads every API). */
export const VALIDATE_KINDS = ['request', 'response', 'stream', 'exchanges'] as const;
export type ValidateKind = (typeof VALIDATE_KINDS)[number];

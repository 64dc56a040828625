import { resolveServerLimits, type ServerLimits } from '../server-limits.js';
import type { DomainContext } from './parameter-domains.js';

/** The cap on max_new_tokens when the caller gives none: a handful of tokens keeps runs fast. */
export const DEFAULT_MAX_NEW_TOKENS = 16;

export interface ContextConstraints {
  limits?: Partial<ServerLimits>;
  stream?: boolean;
  maxNewTokens?: number;
  adapterIds?: readonly string[];
}

/** Validates the option bag eagerly, naming the bad value. */
export function resolveContext(c: ContextConstraints, who: string): DomainContext {
  const maxNewTokens = c.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
  if (!Number.isSafeInteger(maxNewTokens) || maxNewTokens < 1) {
    throw new Error(`[tgc] ${who}: maxNewTokens must be an integer >= 1, got ${String(c.maxNewTokens)}`);
  }
  const adapterIds = c.adapterIds ?? [];
  if (adapterIds.some((id) => typeof id !== 'string')) {
    throw new Error(`[tgc] ${who}: adapterIds must be strings`);
  }
  return { limits: resolveServerLimits(c.limits), stream: c.stream ?? false, maxNewTokens, adapterIds };
}

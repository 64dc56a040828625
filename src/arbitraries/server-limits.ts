/**
 * The server settings that bound a valid request (TGI launcher flags). The spec marks each
 * bounded property with `x-tgc-limit: {name, default, in_info}`; the defaults here come from
 * there where the spec has one, and from the conservative values below where the setting
 * depends on the model (`default: null`).
 *
 * @see ../shared/reference/tgi-behavior.md §2c (rules b1, b2, 9, 11, 13, 15, 16, 17)
 */
import { specParameters } from './_internals/spec-reader.js';

export interface ServerLimits {
  /** `--max-best-of` (in GET /info). @defaultValue the spec's x-tgc-limit default (2) */
  maxBestOf: number;
  /** `--max-stop-sequences` (in GET /info). @defaultValue the spec's x-tgc-limit default (4) */
  maxStopSequences: number;
  /** `--max-top-n-tokens` (not in GET /info). @defaultValue the spec's x-tgc-limit default (5) */
  maxTopNTokens: number;
  /** `--max-input-tokens` (in GET /info; model dependent). @defaultValue 256 */
  maxInputTokens: number;
  /** `--max-total-tokens` (in GET /info; model dependent). @defaultValue 512 */
  maxTotalTokens: number;
  /** false when the server runs with `--disable-grammar-support` (rule 17). @defaultValue true */
  grammarSupported: boolean;
}

/** @internal The numeric settings, by their `x-tgc-limit` name. */
export const LIMIT_NAMES = {
  max_best_of: 'maxBestOf',
  max_stop_sequences: 'maxStopSequences',
  max_top_n_tokens: 'maxTopNTokens',
  max_input_tokens: 'maxInputTokens',
  max_total_tokens: 'maxTotalTokens',
} as const satisfies Record<string, keyof ServerLimits>;

/**
 * Used where the spec's default is null (model dependent). Small enough for any model that
 * serves this API (gpt2 has 1024 positions, flan-t5 512).
 */
const MODEL_DEPENDENT_DEFAULTS = { maxInputTokens: 256, maxTotalTokens: 512 } as const;

function specDefault(limitName: keyof typeof LIMIT_NAMES): number | undefined {
  for (const p of specParameters.values()) {
    if (p.limit?.name === limitName && p.limit.default !== null) return p.limit.default;
  }
  return undefined;
}

/** The limits a request is generated for when the caller gives none. */
export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxBestOf: specDefault('max_best_of') ?? 2,
  maxStopSequences: specDefault('max_stop_sequences') ?? 4,
  maxTopNTokens: specDefault('max_top_n_tokens') ?? 5,
  maxInputTokens: specDefault('max_input_tokens') ?? MODEL_DEPENDENT_DEFAULTS.maxInputTokens,
  maxTotalTokens: specDefault('max_total_tokens') ?? MODEL_DEPENDENT_DEFAULTS.maxTotalTokens,
  grammarSupported: true,
});

/** Fills in the defaults and rejects impossible settings, naming the bad value. */
export function resolveServerLimits(limits: Partial<ServerLimits> | undefined): ServerLimits {
  const out: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...stripUndefined(limits ?? {}) };
  for (const key of ['maxBestOf', 'maxStopSequences', 'maxTopNTokens', 'maxInputTokens', 'maxTotalTokens'] as const) {
    const v = out[key];
    const min = key === 'maxBestOf' || key === 'maxInputTokens' || key === 'maxTotalTokens' ? 1 : 0;
    if (!Number.isSafeInteger(v) || v < min) {
      throw new Error(`[tgc] limits.${key} must be an integer >= ${min}, got ${String(v)}`);
    }
  }
  if (out.maxInputTokens >= out.maxTotalTokens) {
    throw new Error(
      `[tgc] limits.maxInputTokens (${out.maxInputTokens}) must be less than limits.maxTotalTokens (${out.maxTotalTokens})`,
    );
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

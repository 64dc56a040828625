/**
 * The options of a conformance run, as `tgc run` and the vitest suites pass them, with the
 * gentle defaults README states.
 */
import type { ApiName } from '../core/exchange.js';
import type { TransportLimits } from '../transport/index.js';

/** The surface under test (`--api`); each is one declaration in src/apis/. */
export type Api = ApiName;

export interface RunOptions {
  /** The target. With api tgi: the base URL; with api hf: the one endpoint URL. */
  url: string;
  /** @defaultValue 'tgi' */
  api: Api;
  /** The model to name in requests that carry one (the OpenAI-compatible routes); default: the first the server lists. */
  model?: string;
  /** Sent as `Authorization: Bearer <token>`; never written anywhere. */
  token?: string;
  /** The server must reject a missing or a wrong token (401 or 403). */
  authRequired: boolean;
  /** Extra request headers. */
  headers: Record<string, string>;
  /** @defaultValue a random 31-bit integer, printed so that the run can be repeated */
  seed: number;
  /** Random cases per generated group (positive requests per route). @defaultValue 20 */
  maxExamples: number;
  /** Check ids to run (all when empty). */
  checks: readonly string[];
  excludeChecks: readonly string[];
  /** Requests in flight at once. @defaultValue 4 */
  concurrency: number;
  /** Requests started per second (0: no limit). @defaultValue 20 */
  rate: number;
  /** The most requests in all, retries and shrinking included. @defaultValue 2000 */
  maxRequests: number;
  limits: TransportLimits;
  /**
   * `limits.maxEvents` holds for every stream as given (`--max-events` on the command line).
   * Otherwise a stream is also held to the events its request allows (src/engine/case-limits.ts),
   * while `maxEvents` is the default.
   */
  fixedMaxEvents?: boolean;
  /**
   * `limits.maxBodyBytes` holds for every body as given (`--max-body-bytes` on the command line).
   * Otherwise a 2xx body is also held to the bytes its request allows (src/engine/case-limits.ts),
   * while `maxBodyBytes` is the default.
   */
  fixedMaxBodyBytes?: boolean;
  /**
   * Server limits given by the user; /info and 422 messages fill in the others
   * (verdict-policy item 5).
   */
  serverLimits: Partial<KnownServerLimits>;
  /**
   * `--shard I/N`: run only the I-th (1-based) of N deterministic slices of the plan: the cases
   * whose id is I-1 modulo N, and the scenario checks assigned to that slice. `maxRequests` is
   * then this slice's share. `tgc merge` joins the slices' reports into the unsharded one.
   */
  shard?: ShardSpec;
}

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

export interface KnownServerLimits {
  maxBestOf: number;
  maxStopSequences: number;
  maxTopNTokens: number;
  maxInputTokens: number;
  maxTotalTokens: number;
  grammarSupported: boolean;
}

/** TGI's launcher defaults, used where neither the user, /info nor a 422 says otherwise. */
export const TGI_DEFAULT_LIMITS: Readonly<KnownServerLimits> = {
  maxBestOf: 2,
  maxStopSequences: 4,
  maxTopNTokens: 5,
  maxInputTokens: 1024,
  maxTotalTokens: 2048,
  grammarSupported: true,
};

export const RUN_DEFAULTS = {
  api: 'tgi' as Api,
  maxExamples: 20,
  concurrency: 4,
  rate: 20,
  maxRequests: 2000,
};

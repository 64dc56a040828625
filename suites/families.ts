/**
 * The checks in families, one suite file each (`suites/<family>.test.ts`), so that
 * `vitest --shard=I/N` spreads the files over machines. Every check of `tgc checks` (native API)
 * is in exactly one family; `familyChecks` throws otherwise, so a new check cannot go untested.
 */
import { ALL_CHECK_IDS } from './target.js';

export const CHECK_FAMILIES = {
  /** The exchange itself: it completes, its status and media type, its headers. */
  exchange: ['response-completes', 'response-kind', 'response-headers'],
  /** The planned cases: valid ones accepted, invalid ones rejected as TGI does, auth, serverless. */
  cases: ['positive-data-acceptance', 'negative-data-rejection', 'stream-error-status', 'error-message-exact', 'auth-required', 'serverless-headers'],
  /** The schemas of requests, responses and error bodies. */
  schemas: ['request-schema', 'response-schema', 'error-body-schema'],
  /** Streams: framing, events, indices, the final event, the text. */
  streams: ['stream-framing', 'stream-event-schema', 'stream-index', 'stream-final-event', 'stream-text'],
  /** Tokens, finish reasons and text (N-1 … N-5, N-11), and grammar adherence. */
  text: ['tokens-count', 'finish-reason-length', 'finish-reason-eos', 'text-matches-tokens', 'stop-sequence-suffix', 'return-full-text', 'grammar-adherence'],
  /** Log-probabilities and sampling (N-6 … N-10). */
  sampling: ['prefill-consistency', 'logprob-range', 'top-tokens-shape', 'best-of-sequences', 'seed-consistency'],
  /** The checks over several exchanges: determinism, stream vs non-stream, incremental streaming. */
  scenarios: ['determinism', 'stream-equivalence', 'stream-incremental'],
} as const satisfies Record<string, readonly string[]>;

export type CheckFamily = keyof typeof CHECK_FAMILIES;

/** The check ids of a family, after checking that the families list every check once. */
export function familyChecks(family: CheckFamily): readonly string[] {
  const listed = Object.values(CHECK_FAMILIES).flat() as string[];
  const missing = ALL_CHECK_IDS.filter((id) => !listed.includes(id));
  const unknown = listed.filter((id) => !ALL_CHECK_IDS.includes(id));
  const twice = listed.filter((id, i) => listed.indexOf(id) !== i);
  if (missing.length + unknown.length + twice.length > 0) {
    throw new Error(`suites/families.ts is out of date: not listed ${JSON.stringify(missing)}, unknown ${JSON.stringify(unknown)}, twice ${JSON.stringify(twice)}`);
  }
  return CHECK_FAMILIES[family];
}

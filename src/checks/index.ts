/**
 * Every check, in the order `tgc checks` lists them: first the exchange-level rules (schema,
 * framing, status), then the response invariants (tgi-behavior.md §2b N-1…N-12). Listed
 * explicitly: no check registers itself by being imported.
 */
import { createRegistry, type CheckDefinition, type ScenarioCheck } from './check.js';
import { authRequired } from './auth-required.js';
import { determinism } from './determinism.js';
import { errorBodySchema } from './error-body-schema.js';
import { errorMessageExact } from './error-message-exact.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { requestSchema } from './request-schema.js';
import { responseCompletes } from './response-completes.js';
import { responseHeaders } from './response-headers.js';
import { responseKind } from './response-kind.js';
import { responseSchema } from './response-schema.js';
import { serverlessHeaders } from './serverless-headers.js';
import { streamEquivalence } from './stream-equivalence.js';
import { streamErrorStatus } from './stream-error-status.js';
import { streamEventSchema } from './stream-event-schema.js';
import { streamFraming } from './stream-framing.js';
import { streamIncremental } from './stream-incremental.js';
import { bestOfSequences } from './best-of-sequences.js';
import { finishReasonEos } from './finish-reason-eos.js';
import { finishReasonLength } from './finish-reason-length.js';
import { grammarAdherence } from './grammar-adherence.js';
import { logprobRange } from './logprob-range.js';
import { prefillConsistency } from './prefill-consistency.js';
import { returnFullText } from './return-full-text.js';
import { seedConsistency } from './seed-consistency.js';
import { stopSequenceSuffix } from './stop-sequence-suffix.js';
import { streamFinalEvent } from './stream-final-event.js';
import { streamIndex } from './stream-index.js';
import { streamText } from './stream-text.js';
import { textMatchesTokens } from './text-matches-tokens.js';
import { tokensCount } from './tokens-count.js';
import { topTokensShape } from './top-tokens-shape.js';

/** Rules about the exchange as a whole: what was sent back, its shape and its framing. */
export const exchangeChecks: readonly CheckDefinition[] = [
  // the exchange itself, then status and media type
  responseCompletes,
  responseKind,
  // planned cases: valid ones accepted, invalid ones rejected as TGI does, tokens, serverless
  positiveDataAcceptance,
  negativeDataRejection,
  streamErrorStatus,
  errorMessageExact,
  authRequired,
  serverlessHeaders,
  // schemas
  requestSchema,
  responseSchema,
  errorBodySchema,
  // headers (N-13)
  responseHeaders,
  // the output follows the request's grammar (§2a grammar), where the generation completed it
  grammarAdherence,
  // streams
  streamFraming,
  streamEventSchema,
];

export const invariantChecks: readonly CheckDefinition[] = [
  // tokens and finish reasons (N-1, N-2, N-3)
  tokensCount,
  finishReasonLength,
  finishReasonEos,
  // text (N-4, N-5, N-11)
  textMatchesTokens,
  stopSequenceSuffix,
  returnFullText,
  // log-probabilities (N-6, N-7, N-8)
  prefillConsistency,
  logprobRange,
  topTokensShape,
  // sampling (N-9, N-10)
  bestOfSequences,
  seedConsistency,
  // streams (N-12, with N-4 for the text)
  streamIndex,
  streamFinalEvent,
  streamText,
];

/** The invariant checks keyed by id; building it fails on a duplicate id. */
export const invariantRegistry: ReadonlyMap<string, CheckDefinition> = createRegistry(invariantChecks);

/** Every check, in order. */
export const allChecks: readonly CheckDefinition[] = [...exchangeChecks, ...invariantChecks];

/** Every check keyed by id; building it fails on a duplicate id. */
export const checkRegistry: ReadonlyMap<string, CheckDefinition> = createRegistry(allChecks);

/**
 * Rules over several exchanges: each plans the requests it needs and assesses the recorded
 * answers (verdict-policy item 9).
 */
export const scenarioChecks: readonly ScenarioCheck[] = [determinism, streamEquivalence, streamIncremental];

/**
 * The fault catalogue, in the order `tgc mock --list-faults` prints it: one deliberate contract
 * violation per file, each naming the check expected to catch it (`detectedBy`) and, where the
 * mock or the run needs more than the defaults, `mockOptions` and `runOptions`.
 */
import type { Fault } from './fault.js';
import { authMissingKeyAccepted } from './auth-missing-key-accepted.js';
import { authWrongKeyAccepted } from './auth-wrong-key-accepted.js';
import { bestOfSequencesMissing } from './best-of-sequences-missing.js';
import { compatRouteNotWrapped } from './compat-route-not-wrapped.js';
import { detailsMissingGeneratedTokens } from './details-missing-generated-tokens.js';
import { emptyInputsAccepted } from './empty-inputs-accepted.js';
import { errorBodyWithoutErrorType } from './error-body-without-error-type.js';
import { finishReasonEosOnLength } from './finish-reason-eos-on-length.js';
import { finishReasonWrongEnum } from './finish-reason-wrong-enum.js';
import { frequencyPenaltyThreeAccepted } from './frequency-penalty-three-accepted.js';
import { generatedTextDropsLastToken } from './generated-text-drops-last-token.js';
import { generatedTextRenamed } from './generated-text-renamed.js';
import { generatedTokensAsString } from './generated-tokens-as-string.js';
import { generatedTokensOffByOne } from './generated-tokens-off-by-one.js';
import { grammarOutputOverruns } from './grammar-output-overruns.js';
import { greedySampled } from './greedy-sampled.js';
import { hfLoadingWithoutEstimatedTime } from './hf-loading-without-estimated-time.js';
import { hfWaitForModelIgnored } from './hf-wait-for-model-ignored.js';
import { logprobPositive } from './logprob-positive.js';
import { maxNewTokensExceeded } from './max-new-tokens-exceeded.js';
import { maxNewTokensZeroAccepted } from './max-new-tokens-zero-accepted.js';
import { openaiChoiceIndexFromOne } from './openai-choice-index-from-one.js';
import { openaiChoiceIndexTokenCounter } from './openai-choice-index-token-counter.js';
import { openaiEmptyMessagesAccepted } from './openai-empty-messages-accepted.js';
import { openaiErrorBodyDetail } from './openai-error-body-detail.js';
import { openaiFinishReasonEmpty } from './openai-finish-reason-empty.js';
import { openaiFinishReasonEos } from './openai-finish-reason-eos.js';
import { openaiFinishReasonEosToken } from './openai-finish-reason-eos-token.js';
import { openaiFinishReasonMissing } from './openai-finish-reason-missing.js';
import { openaiFinishReasonNotLast } from './openai-finish-reason-not-last.js';
import { openaiFinishReasonStopSequence } from './openai-finish-reason-stop-sequence.js';
import { openaiLogprobPositive } from './openai-logprob-positive.js';
import { openaiLogprobsCompletionsShape } from './openai-logprobs-completions-shape.js';
import { openaiModelsEmptyId } from './openai-models-empty-id.js';
import { openaiModelsWithoutData } from './openai-models-without-data.js';
import { openaiObjectChatTextCompletion } from './openai-object-chat-text-completion.js';
import { openaiObjectChunkChatCompletion } from './openai-object-chunk-chat-completion.js';
import { openaiObjectMissing } from './openai-object-missing.js';
import { openaiResponseFormatNotJson } from './openai-response-format-not-json.js';
import { openaiSeedIgnored } from './openai-seed-ignored.js';
import { openaiStreamDataAfterDone } from './openai-stream-data-after-done.js';
import { openaiStreamDoneMissing } from './openai-stream-done-missing.js';
import { openaiStreamRoleMissing } from './openai-stream-role-missing.js';
import { openaiToolArgumentsObject } from './openai-tool-arguments-object.js';
import { openaiToolCallWhenNone } from './openai-tool-call-when-none.js';
import { openaiToolDeltaNoIndex } from './openai-tool-delta-no-index.js';
import { openaiToolNameNotOffered } from './openai-tool-name-not-offered.js';
import { openaiUsageChunkMissing } from './openai-usage-chunk-missing.js';
import { openaiUsageEveryChunk } from './openai-usage-every-chunk.js';
import { openaiUsageOverMaxTokens } from './openai-usage-over-max-tokens.js';
import { openaiUsageTotalMismatch } from './openai-usage-total-mismatch.js';
import { openaiValidationErrorInStream } from './openai-validation-error-in-stream.js';
import { parametersNullAccepted } from './parameters-null-accepted.js';
import { prefillFirstLogprobSet } from './prefill-first-logprob-set.js';
import { returnFullTextIgnored } from './return-full-text-ignored.js';
import { seedIgnored } from './seed-ignored.js';
import { seedRounded } from './seed-rounded.js';
import { seedZeroRejected } from './seed-zero-rejected.js';
import { stopOverLimitAccepted } from './stop-over-limit-accepted.js';
import { stopSequenceReportedOnLength } from './stop-sequence-reported-on-length.js';
import { streamBestOfAccepted } from './stream-best-of-accepted.js';
import { streamConnectionReset } from './stream-connection-reset.js';
import { streamDataFieldMisnamed } from './stream-data-field-misnamed.js';
import { streamDetailsTooEarly } from './stream-details-too-early.js';
import { streamErrorAsHttpStatus } from './stream-error-as-http-status.js';
import { streamEventAfterFinal } from './stream-event-after-final.js';
import { streamFinalEventMissing } from './stream-final-event-missing.js';
import { streamFinalTextDuplicatesLastToken } from './stream-final-text-duplicates-last-token.js';
import { streamHeldBack } from './stream-held-back.js';
import { streamIndexFromZero } from './stream-index-from-zero.js';
import { streamIndexGap } from './stream-index-gap.js';
import { streamInvalidJson } from './stream-invalid-json.js';
import { streamJsonContentType } from './stream-json-content-type.js';
import { streamMissingBlankLine } from './stream-missing-blank-line.js';
import { streamSamplingDiffers } from './stream-sampling-differs.js';
import { streamStalls } from './stream-stalls.js';
import { streamTokenMissingSpecial } from './stream-token-missing-special.js';
import { temperatureZeroAccepted } from './temperature-zero-accepted.js';
import { topKZeroAccepted } from './top-k-zero-accepted.js';
import { topPOneAccepted } from './top-p-one-accepted.js';
import { topTokensListMissing } from './top-tokens-list-missing.js';
import { validationError400 } from './validation-error-400.js';
import { validationError500 } from './validation-error-500.js';
import { xComputeCharactersBytes } from './x-compute-characters-bytes.js';
import { xComputeCharactersUtf16 } from './x-compute-characters-utf16.js';
import { xGeneratedTokensOffByOne } from './x-generated-tokens-off-by-one.js';

export const faults: readonly Fault[] = [
  // validation: invalid input accepted (negative-data-rejection), one class each
  topPOneAccepted,
  temperatureZeroAccepted,
  topKZeroAccepted,
  frequencyPenaltyThreeAccepted,
  maxNewTokensZeroAccepted,
  streamBestOfAccepted,
  stopOverLimitAccepted,
  emptyInputsAccepted,
  parametersNullAccepted,
  // validation: valid input rejected; rejections in the wrong form
  seedZeroRejected,
  validationError400,
  validationError500,
  errorBodyWithoutErrorType,
  streamErrorAsHttpStatus,
  // response schema
  generatedTextRenamed,
  detailsMissingGeneratedTokens,
  generatedTokensAsString,
  finishReasonWrongEnum,
  compatRouteNotWrapped,
  // response invariants N-1 … N-11 (N-12: the stream faults below)
  generatedTokensOffByOne,
  maxNewTokensExceeded,
  finishReasonEosOnLength,
  generatedTextDropsLastToken,
  stopSequenceReportedOnLength,
  prefillFirstLogprobSet,
  logprobPositive,
  topTokensListMissing,
  bestOfSequencesMissing,
  seedRounded,
  returnFullTextIgnored,
  grammarOutputOverruns,
  // streams: framing, schema, events (N-12), media type, delivery
  streamMissingBlankLine,
  streamDataFieldMisnamed,
  streamInvalidJson,
  streamTokenMissingSpecial,
  streamIndexFromZero,
  streamIndexGap,
  streamEventAfterFinal,
  streamFinalEventMissing,
  streamDetailsTooEarly,
  streamFinalTextDuplicatesLastToken,
  streamJsonContentType,
  streamHeldBack,
  // the exchange does not complete
  streamStalls,
  streamConnectionReset,
  // headers (N-13)
  xGeneratedTokensOffByOne,
  xComputeCharactersUtf16,
  xComputeCharactersBytes,
  // auth (mock with an api key, run with --auth-required)
  authMissingKeyAccepted,
  authWrongKeyAccepted,
  // the serverless endpoint (mock --profile hf, run --api hf)
  hfLoadingWithoutEstimatedTime,
  hfWaitForModelIgnored,
  // determinism and stream vs non-stream
  seedIgnored,
  greedySampled,
  streamSamplingDiffers,
  // ── the OpenAI-compatible routes (/v1/chat/completions, /v1/completions, /v1/models): run with
  // --api openai; each acts on those routes only, native runs are untouched ─────────────────────
  // openai: finish_reason
  openaiFinishReasonEosToken,
  openaiFinishReasonEos,
  openaiFinishReasonStopSequence,
  openaiFinishReasonEmpty,
  openaiFinishReasonNotLast,
  openaiFinishReasonMissing,
  // openai: object labels
  openaiObjectChatTextCompletion,
  openaiObjectChunkChatCompletion,
  openaiObjectMissing,
  // openai: streams: [DONE], role, choice index
  openaiStreamDoneMissing,
  openaiStreamDataAfterDone,
  openaiStreamRoleMissing,
  openaiChoiceIndexFromOne,
  openaiChoiceIndexTokenCounter,
  // openai: usage
  openaiUsageTotalMismatch,
  openaiUsageOverMaxTokens,
  openaiUsageChunkMissing,
  openaiUsageEveryChunk,
  // openai: tool calls, response_format, logprobs
  openaiToolArgumentsObject,
  openaiToolDeltaNoIndex,
  openaiToolCallWhenNone,
  openaiToolNameNotOffered,
  openaiResponseFormatNotJson,
  openaiLogprobsCompletionsShape,
  openaiLogprobPositive,
  // openai: errors and rejections
  openaiErrorBodyDetail,
  openaiValidationErrorInStream,
  openaiEmptyMessagesAccepted,
  // openai: the model list; determinism
  openaiModelsWithoutData,
  openaiModelsEmptyId,
  openaiSeedIgnored,
];

/** The fault named `name`, if any. */
export function findFault(name: string): Fault | undefined {
  return faults.find((f) => f.name === name);
}

export { composeFaults } from './fault.js';
export type { Fault, FaultContext, FaultMockOptions, FaultRunOptions, StreamFaultContext } from './fault.js';

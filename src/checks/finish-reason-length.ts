import type { Details, FinishReason, GenerateResponse, StreamEvent } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'finish-reason-length';

/** Above this, TGI ≥3.1.1 generates in 1024-token chunks, which may stop short or overshoot (V:158, I:164-190). */
const CHUNK = 1024;

const KINDS = {
  'generated-tokens-exceed-max': {
    severity: 'violation',
    title: 'More tokens generated than max_new_tokens',
  },
  'length-before-max-new-tokens': {
    severity: 'violation',
    title: 'finish_reason "length" before max_new_tokens was reached',
  },
  // TGI tests the length before the end-of-sequence token and stop strings (T:169 vs T:175), so
  // reaching the limit reports "length" even when the last token is EOS. Look-alike servers may
  // test in the other order, which breaks no client: a warning.
  'limit-reached-without-length': {
    severity: 'warning',
    title: 'max_new_tokens reached but finish_reason is not "length"',
  },
} as const;

const report = findingReporter(ID, KINDS);

interface Outcome {
  label: string;
  finishReason: FinishReason;
  generatedTokens: number;
  detailsPointer: string;
  event?: number;
}

/** The finding on one sequence or the final event, if any (most have none: no array for them). */
function judge(outcome: Outcome, max: number): Finding | undefined {
  const { label, finishReason, generatedTokens: generated, detailsPointer, event } = outcome;
  const at = (field: string) => ({ pointer: pointer(detailsPointer, field), event });
  if (generated > max) {
    return report('generated-tokens-exceed-max', {
      message: `${label}: expected at most ${max} tokens (max_new_tokens) but generated_tokens is ${generated}`,
      ...at('generated_tokens'),
    });
  }
  if (finishReason === 'length' && generated < max) {
    return report('length-before-max-new-tokens', {
      message: `${label}: finish_reason "length" requires generated_tokens == max_new_tokens (${max}) but generated_tokens is ${generated}`,
      ...at('finish_reason'),
    });
  }
  if (finishReason !== 'length' && generated === max) {
    return report('limit-reached-without-length', {
      message: `${label}: generated_tokens reached max_new_tokens (${max}); TGI then reports "length" (also when the last token is EOS) but finish_reason is "${finishReason}"`,
      ...at('finish_reason'),
    });
  }
  return undefined;
}

/** Each sequence of a non-stream response, against `max` (max_new_tokens). */
function judgeSequences(_details: Details, response: GenerateResponse, max: number): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    const finding = judge(
      {
        label: s.label,
        finishReason: s.details.finish_reason,
        generatedTokens: s.details.generated_tokens,
        detailsPointer: s.detailsPointer,
      },
      max,
    );
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/** A stream's final event, against `max` (max_new_tokens). */
function judgeStream(events: readonly StreamEvent[], view: ExchangeView, max: number): CheckResult {
  const final = finalEvent(view, events);
  if (final === undefined) return { skip: noFinalEventReason(view) };
  if (final.details === undefined) return { skip: 'the final event has no details (not requested)' };
  const finding = judge(
    {
      label: 'the final event',
      finishReason: final.details.finish_reason,
      generatedTokens: final.details.generated_tokens,
      detailsPointer: '/details',
      event: final.position,
    },
    max,
  );
  return finding === undefined ? [] : [finding];
}

// Defined once (requires.ts ExchangeHandlers says why); the context is max_new_tokens.
const HANDLERS: ExchangeHandlers<number> = {
  response: (response, _view, max) => withDetails(response, judgeSequences, max),
  stream: judgeStream,
};
const UNKNOWN_REQUEST = Object.freeze({ skip: 'the request is unknown or invalid; the rule depends on max_new_tokens' });
const NO_MAX = Object.freeze({ skip: 'max_new_tokens is unset: the server generates in 1024-token chunks' });

/**
 * N-2: `finish_reason == "length"` ⇒ `generated_tokens == max_new_tokens`, and
 * `generated_tokens ≤ max_new_tokens`, asserted only where max_new_tokens is set and ≤ 1024
 * (larger values are generated in chunks). An EOS produced as the last allowed token reports
 * `length` (the mt0 fixture), so a special last token never contradicts `length`
 * (tgi-behavior.md §2b N-2; verdict-policy item 12; TGI server/text_generation_server/utils/tokens.py:169, :175).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/utils/tokens.py#L169
 */
export const finishReasonLength: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'finish_reason "length" means max_new_tokens was reached',
  rule:
    'Where max_new_tokens is set and ≤ 1024: generated_tokens ≤ max_new_tokens, and finish_reason "length" implies generated_tokens == max_new_tokens (an EOS as the last allowed token reports "length").',
  source: 'tgi-behavior.md §2b N-2; verdict-policy item 12; TGI server/text_generation_server/utils/tokens.py:169 (length) before :175 (EOS)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    if (params === undefined) return UNKNOWN_REQUEST;
    const max = params.maxNewTokens;
    if (max === undefined) return NO_MAX;
    if (max > CHUNK) return { skip: `max_new_tokens ${max} > ${CHUNK}: the server generates in chunks` };
    return onExchange(view, HANDLERS, max);
  },
};

import type { Details, GenerateResponse } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters, type EffectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';

const ID = 'prefill-consistency';

const KINDS = {
  'prefill-first-logprob-not-null': {
    severity: 'violation',
    title: 'The first prefill token has a logprob',
  },
  'prefill-longer-than-truncate': {
    severity: 'violation',
    title: 'prefill is longer than truncate',
  },
  // Real TGI servers do this: the recorded bloom-560m and mt0-base `_load` exchanges (non-flash
  // models) return a full prefill with decoder_input_details false. So it cannot be a violation.
  'prefill-unrequested': {
    severity: 'warning',
    title: 'Non-empty prefill without decoder_input_details',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** Each sequence's prefill, against the request's truncate and decoder_input_details. */
function judgeSequences(_details: Details, response: GenerateResponse, params: EffectiveParameters | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    const prefill = s.details.prefill;
    const first = prefill[0];
    if (first === undefined) continue;
    const at = pointer(s.detailsPointer, 'prefill');
    if (first.logprob !== null) {
      findings.push(
        report('prefill-first-logprob-not-null', {
          message: `${s.label}: the first prefill token has no preceding context, so its logprob must be null, but it is ${first.logprob}`,
          pointer: pointer(at, 0, 'logprob'),
        }),
      );
    }
    if (params?.truncate !== undefined && prefill.length > params.truncate) {
      findings.push(
        report('prefill-longer-than-truncate', {
          message: `${s.label}: expected at most ${params.truncate} prefill tokens (truncate) but prefill has ${prefill.length}`,
          pointer: at,
        }),
      );
    }
    if (params !== undefined && !params.decoderInputDetails) {
      findings.push(
        report('prefill-unrequested', {
          message: `${s.label}: prefill has ${prefill.length} tokens but decoder_input_details was not requested`,
          pointer: at,
        }),
      );
    }
  }
  return findings;
}

// Defined once (requires.ts ExchangeHandlers says why); the context is the effective parameters.
const HANDLERS: ExchangeHandlers<EffectiveParameters | undefined> = {
  response: (response, _view, params) => withDetails(response, judgeSequences, params),
};

/**
 * N-6: prefill may be `[]` even when asked for (flash models compute no prefill logprobs unless
 * launched with `--enable-prefill-logprobs`). When it is not empty: the first token has no
 * logprob (`null`, 37/37 snapshots), and with `truncate` set it has at most `truncate` entries
 * (decoder-only: the last `truncate` input ids; encoder-decoder: the decoder start only). Its
 * length is not compared with the input tokens: that is model-dependent (tgi-behavior.md §2b
 * N-6; verdict-policy item 13; TGI server/text_generation_server/models/flash_causal_lm.py:285,
 * router/src/validation.rs:190).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/validation.rs#L190
 */
export const prefillConsistency: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'prefill starts without a logprob and respects truncate',
  rule:
    'A non-empty prefill has prefill[0].logprob null and, when truncate is set, at most truncate entries; prefill [] is always allowed; a non-empty prefill without decoder_input_details is a warning.',
  source: 'tgi-behavior.md §2b N-6; verdict-policy item 13; TGI server/text_generation_server/models/flash_causal_lm.py:285, router/src/validation.rs:190',
  appliesTo: 'non-stream',
  kinds: KINDS,
  run(view) {
    const params = effectiveParameters(view);
    return onExchange(view, HANDLERS, params);
  },
};

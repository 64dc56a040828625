import type { Details, ExactInteger, GenerateResponse } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters, type EffectiveParameters } from './_internals/effective-parameters.js';
import { formatInteger, sameInteger } from './_internals/exact-integer.js';
import { findingReporter } from './_internals/findings.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'seed-consistency';

/*
 * Severities. A reported seed that differs from the user's seed defeats the one purpose of a
 * seed, reproducing a sample, and no server has a reason to do it: a violation. Whether a seed
 * is reported at all is TGI's habit (F:2348 `seed if do_sample else None`), tied to its own
 * notion of "sampling" (a warper counts; temperature 1.0 alone does not): look-alike servers
 * echo the user's seed on greedy requests or report none while sampling, which breaks no client,
 * so both are warnings (verdict-policy: "a TGI habit that look-alike servers may not share").
 */
const KINDS = {
  'seed-not-echoed': {
    severity: 'violation',
    title: 'details.seed is not the seed the request set',
  },
  'seed-null-when-sampling': {
    severity: 'warning',
    title: 'details.seed is null although the request samples',
  },
  'seed-on-greedy': {
    severity: 'warning',
    title: 'details.seed is set although the request is greedy',
  },
} as const;

const report = findingReporter(ID, KINDS);

function judge(
  params: EffectiveParameters,
  seen: ExactInteger | null | undefined,
  where: { pointer: string; event?: number; label: string },
): Finding[] {
  // Not `{ label, ...at } = where`: a rest object per call, where most calls report nothing.
  const { label } = where;
  const reported = seen !== undefined && seen !== null;
  if (!params.sampling) {
    return reported
      ? [
          report('seed-on-greedy', {
            message: `${label}: the request is greedy (no do_sample, temperature 1 or unset, no top_k/top_p/typical_p warper), so TGI reports seed null, but it is ${formatInteger(seen)}`,
            pointer: where.pointer,
            event: where.event,
          }),
        ]
      : [];
  }
  if (!reported) {
    return [
      report('seed-null-when-sampling', {
        message: `${label}: the request samples, so TGI reports the seed it used${params.seed === undefined ? '' : ` (${formatInteger(params.seed)})`}, but seed is ${formatInteger(seen)}`,
        pointer: where.pointer,
        event: where.event,
      }),
    ];
  }
  // `undefined`: one side is a number beyond 2^53, already rounded; never compare it.
  if (params.seed !== undefined && sameInteger(params.seed, seen) === false) {
    return [
      report('seed-not-echoed', {
        message: `${label}: expected the request's seed ${formatInteger(params.seed)} echoed exactly but seed is ${formatInteger(seen)}`,
        pointer: where.pointer,
        event: where.event,
      }),
    ];
  }
  return [];
}

const RESPONSE_SEED = Object.freeze({ pointer: '/details/seed', label: 'the response' });
const UNKNOWN_REQUEST = Object.freeze({ skip: 'the request is unknown or invalid; the rule depends on its sampling parameters' });

function judgeResponse(details: Details, _response: GenerateResponse, params: EffectiveParameters): Finding[] {
  return judge(params, details.seed, RESPONSE_SEED);
}

// Defined once (requires.ts ExchangeHandlers says why); the context is the effective parameters.
const HANDLERS: ExchangeHandlers<EffectiveParameters> = {
  response: (response, _view, params) => withDetails(response, judgeResponse, params),
  stream: (events, view, params) => {
    const final = finalEvent(view, events);
    if (final === undefined) return { skip: noFinalEventReason(view) };
    if (final.details === undefined) return { skip: 'the final event has no details (not requested)' };
    return judge(params, final.details.seed, { pointer: '/details/seed', event: final.position, label: 'the final event' });
  },
};

/**
 * N-10: when details are returned, a sampling request reports its seed (the user's, echoed
 * exactly, compared as exact integers: seeds are u64, verdict-policy trap 2; else a random one),
 * and a greedy request reports `null`. Sampling is `do_sample` (true when `parameters` is
 * absent) or any of temperature ≠ 1, top_k ≠ 0, top_p < 1, typical_p < 1 after f32 rounding;
 * temperature 1.0 alone is greedy (tgi-behavior.md §2b N-10; TGI
 * server/text_generation_server/utils/tokens.py:290-307,
 * server/text_generation_server/models/flash_causal_lm.py:2348).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/models/flash_causal_lm.py#L2348
 */
export const seedConsistency: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'details.seed echoes the request\'s seed',
  rule:
    'When details are returned and the request samples, a user seed is echoed exactly in details.seed; a null seed while sampling, or a seed on a greedy request, is a warning.',
  source: 'tgi-behavior.md §2b N-10; verdict-policy trap 2; TGI server/text_generation_server/utils/tokens.py:290-307, server/text_generation_server/models/flash_causal_lm.py:2348',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    if (params === undefined) return UNKNOWN_REQUEST;
    return onExchange(view, HANDLERS, params);
  },
};

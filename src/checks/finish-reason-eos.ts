import type { Details, GenerateResponse, StreamEvent } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'finish-reason-eos';

const KINDS = {
  'eos-last-token-not-special': {
    severity: 'violation',
    title: 'finish_reason "eos_token" but the last token is not special',
  },
  'eos-without-tokens': {
    severity: 'violation',
    title: 'finish_reason "eos_token" but no token was generated',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** Each sequence that ends on eos_token: its last token. */
function judgeSequences(_details: Details, response: GenerateResponse): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    if (s.details.finish_reason !== 'eos_token') continue;
    const last = s.details.tokens.length - 1;
    const token = s.details.tokens[last];
    if (token === undefined) {
      findings.push(
        report('eos-without-tokens', {
          message: `${s.label}: finish_reason is "eos_token" but details.tokens is empty`,
          pointer: pointer(s.detailsPointer, 'tokens'),
        }),
      );
    } else if (token.special !== true) {
      findings.push(
        report('eos-last-token-not-special', {
          message: `${s.label}: finish_reason is "eos_token", so the last token must be special, but tokens[${last}] (id ${token.id}) has special: ${String(token.special)}`,
          pointer: pointer(s.detailsPointer, 'tokens', last, 'special'),
        }),
      );
    }
  }
  return findings;
}

/** The final event of a stream that ends on eos_token: its token. */
function judgeStream(events: readonly StreamEvent[], view: ExchangeView): CheckResult {
  const final = finalEvent(view, events);
  if (final === undefined) return { skip: noFinalEventReason(view) };
  if (final.details === undefined) return { skip: 'the final event has no details (not requested)' };
  if (final.details.finish_reason !== 'eos_token') return [];
  if (final.event.token.special === true) return [];
  return [
    report('eos-last-token-not-special', {
      message: `the final event: finish_reason is "eos_token", so its token must be special, but token (id ${final.event.token.id}) has special: ${String(final.event.token.special)}`,
      pointer: '/token/special',
      event: final.position,
    }),
  ];
}

// Defined once (requires.ts ExchangeHandlers says why).
const HANDLERS: ExchangeHandlers = {
  response: (response) => withDetails(response, judgeSequences),
  stream: judgeStream,
};

/**
 * N-3: `finish_reason == "eos_token"` ⇒ the last generated token has `special: true` (28/28
 * snapshots). The converse does not hold: an EOS as the last allowed token reports `length`
 * (N-2), and special tokens may appear mid-sequence (tgi-behavior.md §2b N-3; TGI
 * server/text_generation_server/utils/tokens.py:175).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/utils/tokens.py#L175
 */
export const finishReasonEos: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'finish_reason "eos_token" ends on a special token',
  rule: 'finish_reason "eos_token" implies the last generated token (details.tokens, or the final stream event\'s token) has special: true.',
  source: 'tgi-behavior.md §2b N-3; TGI server/text_generation_server/utils/tokens.py:175',
  appliesTo: 'both',
  kinds: KINDS,
  run: (view) => onExchange(view, HANDLERS),
};

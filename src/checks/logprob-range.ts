import type { Details, GenerateResponse, StreamEvent, Token } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';

const ID = 'logprob-range';

/** Float rounding may leave a log-probability of 0 slightly positive (verdict-policy item 15). */
const EPSILON = 1e-6;

const KINDS = {
  'token-logprob-positive': {
    severity: 'violation',
    title: 'A generated token has a positive logprob',
  },
  'prefill-logprob-positive': {
    severity: 'violation',
    title: 'A prefill token has a positive logprob',
  },
  'top-token-logprob-positive': {
    severity: 'violation',
    title: 'A top token has a positive logprob',
  },
} as const;

type Kind = keyof typeof KINDS;

const report = findingReporter(ID, KINDS);

const NAMES: Record<Kind, string> = {
  'token-logprob-positive': 'token',
  'prefill-logprob-positive': 'prefill token',
  'top-token-logprob-positive': 'top token',
};

interface Place {
  pointer: string;
  event?: number;
}

/** Counts the offenders of each kind, keeping the first; one finding per kind and scope. */
class Offenders {
  // Made at the first offender: most sequences and streams have none.
  private seen: Map<Kind, { first: Place; value: number; count: number }> | undefined;

  /**
   * Records an offender (callers test `offends` first, so that most tokens cost no call and no
   * closure); `place` is called only for the first offender of a kind.
   */
  add(kind: Kind, logprob: number, place: () => Place): void {
    this.seen ??= new Map();
    const entry = this.seen.get(kind);
    if (entry === undefined) this.seen.set(kind, { first: place(), value: logprob, count: 1 });
    else entry.count++;
  }

  findings(label: string): Finding[] {
    if (this.seen === undefined) return [];
    return [...this.seen].map(([kind, { first, value, count }]) =>
      report(kind, {
        message:
          `${label}: a log-probability must be ≤ 0 (or null), but a ${NAMES[kind]} has logprob ${value}` +
          (count > 1 ? ` (and ${count - 1} more ${NAMES[kind]}s)` : ''),
        ...first,
      }),
    );
  }
}

/** A logprob above the tolerance (null is allowed). */
function offends(logprob: number | null): logprob is number {
  return logprob !== null && logprob > EPSILON;
}

/**
 * Visits each token of `list` in order, recording those whose logprob offends; an offender's
 * place is `base/field/i/logprob` (`base/field/index/i/logprob` for a top-token list), written
 * only for the first of its kind. Plain arguments rather than a closure for the place: this runs
 * three times per sequence and once per top-token list of every exchange.
 */
function visitTokens(
  offenders: Offenders,
  kind: Kind,
  list: readonly { logprob: number | null }[],
  base: string,
  field: string,
  index?: number,
  event?: number,
): void {
  for (let i = 0; i < list.length; i++) {
    const logprob = (list[i] as { logprob: number | null }).logprob;
    if (offends(logprob)) addToken(offenders, kind, logprob, base, field, index, i, event);
  }
}

// The closures that name an offender's place are made here, outside the loops: a closure in a
// loop's body that reads its counter makes V8 allocate a context for every iteration, offender
// or not (one per token and per stream event).
function addToken(
  offenders: Offenders,
  kind: Kind,
  logprob: number,
  base: string,
  field: string,
  index: number | undefined,
  i: number,
  event: number | undefined,
): void {
  offenders.add(kind, logprob, () => ({
    pointer: index === undefined ? pointer(base, field, i, 'logprob') : pointer(base, field, index, i, 'logprob'),
    event,
  }));
}

function addEventToken(offenders: Offenders, logprob: number, event: number): void {
  offenders.add('token-logprob-positive', logprob, () => ({ pointer: '/token/logprob', event }));
}

/** Each sequence of a non-stream response: its tokens, prefill and top tokens. */
function judgeSequences(_details: Details, response: GenerateResponse): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    const offenders = new Offenders();
    const { tokens, prefill, top_tokens: topTokens } = s.details;
    visitTokens(offenders, 'token-logprob-positive', tokens, s.detailsPointer, 'tokens');
    visitTokens(offenders, 'prefill-logprob-positive', prefill, s.detailsPointer, 'prefill');
    if (Array.isArray(topTokens)) {
      for (let i = 0; i < topTokens.length; i++) {
        visitTokens(offenders, 'top-token-logprob-positive', topTokens[i] as Token[], s.detailsPointer, 'top_tokens', i);
      }
    }
    for (const f of offenders.findings(s.label)) findings.push(f);
  }
  return findings;
}

/** A stream's events: each token and its top tokens. */
function judgeStream(events: readonly StreamEvent[]): Finding[] {
  const offenders = new Offenders();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StreamEvent;
    const logprob = e.token.logprob;
    if (offends(logprob)) addEventToken(offenders, logprob, i);
    if (Array.isArray(e.top_tokens)) visitTokens(offenders, 'top-token-logprob-positive', e.top_tokens, '', 'top_tokens', undefined, i);
  }
  return offenders.findings('the stream');
}

// Defined once (requires.ts ExchangeHandlers says why).
const HANDLERS: ExchangeHandlers = {
  response: (response) => withDetails(response, judgeSequences),
  stream: judgeStream,
};

/**
 * N-7: every `logprob` is ≤ 0 (1e-6 allowed for rounding) or `null` (serde writes NaN/±inf as
 * null; the starcoder_gptq EOS has one): generated tokens, prefill, top_tokens, each
 * `best_of_sequences` entry, and each stream event's token and top_tokens. Logprobs are
 * post-warper log_softmax, so top_k=1 gives 0 (tgi-behavior.md §2b N-7; verdict-policy item 15;
 * TGI server/text_generation_server/utils/tokens.py:363).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/utils/tokens.py#L363
 */
export const logprobRange: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'Log-probabilities are ≤ 0 or null',
  rule: 'Every logprob (tokens, prefill, top_tokens, best_of_sequences, stream tokens) is ≤ 1e-6 or null.',
  source: 'tgi-behavior.md §2b N-7; verdict-policy item 15; TGI server/text_generation_server/utils/tokens.py:363',
  appliesTo: 'both',
  kinds: KINDS,
  run: (view) => onExchange(view, HANDLERS),
};

import type { Token } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails } from './_internals/requires.js';
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
  private readonly seen = new Map<Kind, { first: Place; value: number; count: number }>();

  /** `place` is called only for the first offender of a kind: most tokens never need a pointer. */
  visit(kind: Kind, logprob: number | null, place: () => Place): void {
    if (logprob === null || !(logprob > EPSILON)) return;
    const entry = this.seen.get(kind);
    if (entry === undefined) this.seen.set(kind, { first: place(), value: logprob, count: 1 });
    else entry.count++;
  }

  findings(label: string): Finding[] {
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

function visitTopTokens(offenders: Offenders, list: readonly Token[], base: () => string, event?: number): void {
  list.forEach((t, j) =>
    offenders.visit('top-token-logprob-positive', t.logprob, () => ({ pointer: pointer(base(), j, 'logprob'), event })),
  );
}

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
  run: (view) =>
    onExchange(view, {
      response: (response) =>
        withDetails(response, () =>
          sequencesOf(response).flatMap((s) => {
            const offenders = new Offenders();
            const { tokens, prefill, top_tokens: topTokens } = s.details;
            tokens.forEach((t, i) =>
              offenders.visit('token-logprob-positive', t.logprob, () => ({ pointer: pointer(s.detailsPointer, 'tokens', i, 'logprob') })),
            );
            prefill.forEach((t, i) =>
              offenders.visit('prefill-logprob-positive', t.logprob, () => ({ pointer: pointer(s.detailsPointer, 'prefill', i, 'logprob') })),
            );
            if (Array.isArray(topTokens)) {
              topTokens.forEach((list, i) => visitTopTokens(offenders, list, () => pointer(s.detailsPointer, 'top_tokens', i)));
            }
            return offenders.findings(s.label);
          }),
        ),
      stream: (events) => {
        const offenders = new Offenders();
        events.forEach((e, i) => {
          offenders.visit('token-logprob-positive', e.token.logprob, () => ({ pointer: '/token/logprob', event: i }));
          if (Array.isArray(e.top_tokens)) visitTopTokens(offenders, e.top_tokens, () => '/top_tokens', i);
        });
        return offenders.findings('the stream');
      },
    }),
};

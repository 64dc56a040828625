import type { Details, GenerateResponse } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';

const ID = 'tokens-count';

const KINDS = {
  'tokens-length-mismatch': {
    severity: 'violation',
    title: 'details.tokens has not one entry per generated token',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** Each sequence's token list against its generated_tokens. */
function judgeSequences(_details: Details, response: GenerateResponse): Finding[] {
  const findings: Finding[] = [];
  for (const sequence of sequencesOf(response)) {
    const { tokens, generated_tokens: generated } = sequence.details;
    if (tokens.length !== generated) {
      findings.push(
        report('tokens-length-mismatch', {
          message: `${sequence.label}: expected ${generated} tokens (generated_tokens) but details.tokens has ${tokens.length}`,
          pointer: pointer(sequence.detailsPointer, 'tokens'),
        }),
      );
    }
  }
  return findings;
}

// Defined once (requires.ts ExchangeHandlers says why).
const HANDLERS: ExchangeHandlers = { response: (response) => withDetails(response, judgeSequences) };

/**
 * N-1: `details.tokens.length == details.generated_tokens`, for the response and each
 * `best_of_sequences` entry; the end-of-sequence token is in `tokens` and is counted
 * (tgi-behavior.md §2b N-1, 299/299 snapshots; TGI router/src/lib.rs:1458 `Details`).
 * Streams carry no token list in their details: stream-index counts their events.
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/lib.rs#L1458
 */
export const tokensCount: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'One token in details.tokens per generated token',
  rule: 'details.tokens.length equals details.generated_tokens, for the response and each best_of_sequences entry.',
  source: 'tgi-behavior.md §2b N-1; TGI router/src/lib.rs:1458 (Details)',
  appliesTo: 'non-stream',
  kinds: KINDS,
  run: (view) => onExchange(view, HANDLERS),
};

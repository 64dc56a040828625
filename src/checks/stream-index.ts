import type { StreamEvent } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { NOT_A_STREAM, onExchange, type CheckResult } from './_internals/requires.js';
import { finalEvent } from './_internals/stream-outcome.js';

const ID = 'stream-index';

const KINDS = {
  // `index` is required since TGI v1.4.0; older servers (a recorded flan-t5 stream of the HF API)
  // omit it on every event (verdict-policy item 17).
  'index-absent': {
    severity: 'warning',
    title: 'Stream events have no index (a server older than TGI v1.4.0)',
  },
  'index-partially-absent': {
    severity: 'violation',
    title: 'Some stream events have an index and others do not',
  },
  'index-not-contiguous': {
    severity: 'violation',
    title: 'Stream event indexes do not run 1, 2, 3, … one per event',
  },
  'final-index-mismatch': {
    severity: 'violation',
    title: 'The final event\'s index differs from details.generated_tokens',
  },
  'token-event-count-mismatch': {
    severity: 'violation',
    title: 'The number of token events differs from details.generated_tokens',
  },
} as const;

const report = findingReporter(ID, KINDS);

/**
 * N-12: stream events carry `index` 1..N, contiguous, one event per generated token (also under
 * speculative decoding), and the final index equals `details.generated_tokens` when the final
 * event has details. Events without `index` are an older server (a warning, once); a stream where
 * some events have it and others do not is broken. A stream that ended with an error event is
 * judged on the events before it (tgi-behavior.md §2a StreamResponse, §2b N-12; verdict-policy
 * item 17; TGI router/src/lib.rs:1504).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/lib.rs#L1504
 */
export const streamIndex: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'Stream events are indexed 1..N, one per generated token',
  rule:
    'Every stream event has index, running 1..N contiguously, and the final index equals details.generated_tokens; index absent on every event is a warning (older server).',
  source: 'tgi-behavior.md §2b N-12; verdict-policy item 17; TGI router/src/lib.rs:1504 (StreamResponse)',
  appliesTo: 'stream',
  kinds: KINDS,
  run: (view) =>
    !view.streamed
      ? NOT_A_STREAM
      : onExchange(view, {
          stream: (events): CheckResult => {
            if (events.length === 0) return { skip: 'the stream has no events' };
            const findings: Finding[] = [];
            // One pass: how many events lack an index, the first of them, the first out of place.
            let missingCount = 0;
            let firstMissing = -1;
            let wrong = -1;
            for (let i = 0; i < events.length; i++) {
              const index = (events[i] as StreamEvent).index;
              if (typeof index !== 'number') {
                if (missingCount === 0) firstMissing = i;
                missingCount++;
              } else if (wrong < 0 && index !== i + 1) wrong = i;
            }
            let contiguous = true;
            if (missingCount === events.length) {
              findings.push(
                report('index-absent', {
                  message: `none of the ${events.length} events has an index (required since TGI v1.4.0)`,
                  pointer: '/index',
                  event: 0,
                }),
              );
            } else if (missingCount > 0) {
              contiguous = false;
              findings.push(
                report('index-partially-absent', {
                  message: `expected every event to have an index, as ${events.length - missingCount} do, but ${missingCount} do not (first: event ${firstMissing})`,
                  pointer: '/index',
                  event: firstMissing,
                }),
              );
            } else {
              // Every event has an index here, so the first one out of place is `wrong`.
              if (wrong >= 0) {
                contiguous = false;
                findings.push(
                  report('index-not-contiguous', {
                    message: `expected index ${wrong + 1} at event ${wrong} (indexes run 1..N, one per event) but saw ${String(events[wrong]?.index)}`,
                    pointer: '/index',
                    event: wrong,
                  }),
                );
              }
            }
            const final = finalEvent(view, events);
            if (final?.details !== undefined && contiguous) {
              const generated = final.details.generated_tokens;
              const indexed = typeof final.event.index === 'number';
              const position = indexed ? (final.event.index ?? events.length) : events.length;
              if (position !== generated) {
                findings.push(
                  indexed
                    ? report('final-index-mismatch', {
                        message: `expected the final index to equal details.generated_tokens (${generated}) but it is ${position}`,
                        pointer: '/index',
                        event: final.position,
                      })
                    : report('token-event-count-mismatch', {
                        message: `expected one event per generated token (details.generated_tokens ${generated}) but the stream has ${events.length} events`,
                        pointer: '/details/generated_tokens',
                        event: final.position,
                      }),
                );
              }
            }
            return findings;
          },
        }),
};

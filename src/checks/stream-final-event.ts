import type { StreamEvent } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { NOT_A_STREAM, onExchange, type CheckResult } from './_internals/requires.js';
import { finalEvent } from './_internals/stream-outcome.js';

const ID = 'stream-final-event';

const KINDS = {
  'no-events': {
    severity: 'violation',
    title: 'The stream ended without any event',
  },
  'generated-text-before-final': {
    severity: 'violation',
    title: 'An event before the final one has a generated_text',
  },
  'final-generated-text-missing': {
    severity: 'violation',
    title: 'The final event has no generated_text',
  },
  'details-before-final': {
    severity: 'violation',
    title: 'An event before the final one has details',
  },
  'final-details-missing': {
    severity: 'violation',
    title: 'details was requested but the final event has none',
  },
  // TGI sends details only when requested (S:541); extra data breaks no client.
  'details-unrequested': {
    severity: 'warning',
    title: 'The final event has details although details was not requested',
  },
  // `input_length` exists since TGI v2.3.0 (verdict-policy item 17).
  'input-length-absent': {
    severity: 'warning',
    title: 'The final details have no input_length (a server older than TGI v2.3.0)',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** The first of several offending events, counting the others. */
function firstOf(first: number, count: number): { event: number; more: string } | undefined {
  if (count === 0) return undefined;
  return { event: first, more: count > 1 ? ` (and ${count - 1} more events)` : '' };
}

/**
 * N-12: only the last event has a non-null `generated_text`, and it must have one (S:580 vs
 * S:643); `details` is non-null only on the last event, and there only when `details` was
 * requested (S:541). A stream that ended with an error event is judged only on the events before
 * it, with no final event required. Missing `input_length` is an older server: a warning
 * (tgi-behavior.md §2a StreamDetails, §2b N-12; verdict-policy item 17; TGI router/src/server.rs:541,
 * :580, :643).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/server.rs#L643
 */
export const streamFinalEvent: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'Only the final stream event carries generated_text and details',
  rule:
    'Only the last event has a non-null generated_text and it has one; details is non-null only on the last event, and there exactly when details was requested (unrequested details and a missing input_length are warnings).',
  source: 'tgi-behavior.md §2b N-12; verdict-policy item 17; TGI router/src/server.rs:541, :580, :643',
  appliesTo: 'stream',
  kinds: KINDS,
  run(view): CheckResult {
    if (!view.streamed) return NOT_A_STREAM; // as onExchange answers, before building the handler
    const params = effectiveParameters(view);
    return onExchange(view, {
      stream: (events) => {
        const errored = view.streamError !== undefined;
        if (events.length === 0) {
          if (errored) return { skip: 'the stream ended with an error event before any token' };
          return [report('no-events', { message: 'expected at least one token event and a final event, but the stream had no event and no error event' })];
        }
        const findings: Finding[] = [];
        const final = finalEvent(view, events);
        // Every event but the last is a non-final one. After an error event there is no final
        // event, and the last one before the error is not judged: it may have been complete.
        // One pass over the non-final events: those with a generated_text, those with details.
        let textCount = 0;
        let firstText = -1;
        let detailsCount = 0;
        let firstDetails = -1;
        for (let i = 0; i < events.length - 1; i++) {
          const e = events[i] as StreamEvent;
          if (e.generated_text !== undefined && e.generated_text !== null) {
            if (textCount === 0) firstText = i;
            textCount++;
          }
          if (e.details !== undefined && e.details !== null) {
            if (detailsCount === 0) firstDetails = i;
            detailsCount++;
          }
        }
        const texts = firstOf(firstText, textCount);
        if (texts !== undefined) {
          findings.push(
            report('generated-text-before-final', {
              message: `expected generated_text null on every event before the final one but event ${texts.event} has one${texts.more}`,
              pointer: '/generated_text',
              event: texts.event,
            }),
          );
        }
        const details = firstOf(firstDetails, detailsCount);
        if (details !== undefined) {
          findings.push(
            report('details-before-final', {
              message: `expected details null on every event before the final one but event ${details.event} has details${details.more}`,
              pointer: '/details',
              event: details.event,
            }),
          );
        }
        if (final === undefined) return findings;
        const at = { event: final.position };
        if (final.generatedText === undefined) {
          findings.push(
            report('final-generated-text-missing', {
              message: `expected the final event (event ${final.position}) to carry the whole generated_text but it is ${final.event.generated_text === null ? 'null' : 'absent'}`,
              pointer: '/generated_text',
              ...at,
            }),
          );
        }
        if (params !== undefined) {
          if (params.details && final.details === undefined) {
            findings.push(
              report('final-details-missing', {
                message: `details was requested, so the final event (event ${final.position}) must have details, but they are ${final.event.details === null ? 'null' : 'absent'}`,
                pointer: '/details',
                ...at,
              }),
            );
          } else if (!params.details && final.details !== undefined) {
            findings.push(
              report('details-unrequested', {
                message: `details was not requested (it defaults to false), yet the final event (event ${final.position}) has details`,
                pointer: '/details',
                ...at,
              }),
            );
          }
        }
        if (final.details !== undefined && typeof final.details.input_length !== 'number') {
          findings.push(
            report('input-length-absent', {
              message: `expected details.input_length on the final event (since TGI v2.3.0) but it is absent`,
              pointer: '/details/input_length',
              ...at,
            }),
          );
        }
        return findings;
      },
    });
  },
};

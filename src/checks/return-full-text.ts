import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { quote } from './_internals/generated-text.js';
import { onExchange, type CheckResult } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'return-full-text';

const KINDS = {
  'prompt-prefix-missing': {
    severity: 'violation',
    title: 'return_full_text is true but generated_text does not start with the inputs',
  },
} as const;

const report = findingReporter(ID, KINDS);

function judge(inputs: string, text: string, where: { label: string; pointer: string; event?: number }): Finding[] {
  if (text.startsWith(inputs)) return [];
  const { label, ...at } = where;
  return [
    report('prompt-prefix-missing', {
      message: `${label}: return_full_text is true, so generated_text must start with the full original inputs ${quote(inputs)} (${inputs.length} characters), but it starts with ${quote(text.slice(0, inputs.length))}`,
      ...at,
    }),
  ];
}

// Shared answers (a skip is read, never changed): most exchanges do not ask for the full text.
const UNKNOWN_REQUEST = Object.freeze({ skip: 'the request is unknown or invalid; the rule depends on return_full_text' });
const EITHER = Object.freeze({ skip: 'return_full_text unset on POST /: the default follows the model\'s pipeline tag' });
const NOT_ASKED = Object.freeze({ skip: 'return_full_text is false' });

/**
 * N-11: with `return_full_text: true`, `generated_text` is the full original `inputs` followed by
 * the generated text, even when `truncate` shortened the model's input (bloom all_params); this
 * holds for each `best_of_sequences` entry (S:330-333). On a stream only the final
 * `generated_text` carries the prefix. Unset, the default is false on /generate and
 * /generate_stream, and on `POST /` it follows the model's pipeline tag, so then neither outcome
 * is flagged (tgi-behavior.md §2a, §2b N-11; TGI router/src/server.rs:134, :1805).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/server.rs#L134
 */
export const returnFullText: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'return_full_text prefixes the full original inputs',
  rule:
    'When return_full_text is true, generated_text (each best_of sequence\'s, and the final stream event\'s) starts with the full original inputs, even when truncate shortened them.',
  source: 'tgi-behavior.md §2b N-11 and §2a (return_full_text); TGI router/src/server.rs:134, :330-333, :1805',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    if (params === undefined) return UNKNOWN_REQUEST;
    if (params.returnFullText === 'either') return EITHER;
    if (!params.returnFullText) return NOT_ASKED;
    const { inputs } = params;
    return onExchange(view, {
      response: (response) => {
        const sequences = sequencesOf(response);
        if (sequences.length === 0) {
          return judge(inputs, response.generated_text, { label: 'the response', pointer: '/generated_text' });
        }
        return sequences.flatMap((s) => judge(inputs, s.generatedText, { label: s.label, pointer: s.textPointer }));
      },
      stream: (events) => {
        const final = finalEvent(view, events);
        if (final === undefined) return { skip: noFinalEventReason(view) };
        // A missing final text is stream-final-event's finding.
        if (final.generatedText === undefined) return { skip: 'the final event has no generated_text' };
        return judge(inputs, final.generatedText, {
          label: 'the final event',
          pointer: '/generated_text',
          event: final.position,
        });
      },
    });
  },
};

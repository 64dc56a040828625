import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { promptPrefix } from './_internals/generated-text.js';
import { NOT_A_STREAM, onExchange } from './_internals/requires.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';
import { TEXT_KINDS, textJudge } from './_internals/text-findings.js';

const ID = 'stream-text';

const judge = textJudge(ID);

/**
 * N-12 with N-4: the final event's `generated_text` (minus the full original `inputs` where
 * return_full_text prefixes it) equals the concatenation of the non-special `token.text` of every
 * event; a difference only in leading whitespace, or from tokens that end inside a multi-byte
 * character, is a warning. Holds in all four recorded HF API
 * streams (tgi-behavior.md §2b N-12, N-4; verdict-policy item 10; TGI router/src/server.rs:643,
 * server/text_generation_server/models/flash_causal_lm.py:2342).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/server.rs#L643
 */
export const streamText: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'A stream\'s final generated_text equals its token texts',
  rule:
    'The final event\'s generated_text (minus the original inputs when return_full_text) equals the concatenation of the non-special token.text of all events; a difference only in leading whitespace, or from tokens that end inside a multi-byte character, is a warning.',
  source: 'tgi-behavior.md §2b N-12 and N-4; verdict-policy item 10; TGI router/src/server.rs:643, server/text_generation_server/models/flash_causal_lm.py:2342',
  appliesTo: 'stream',
  kinds: TEXT_KINDS,
  run(view) {
    if (!view.streamed) return NOT_A_STREAM; // as onExchange answers, before building the handler
    const prefix = promptPrefix(effectiveParameters(view));
    return onExchange(view, {
      stream: (events) => {
        const final = finalEvent(view, events);
        if (final === undefined) return { skip: noFinalEventReason(view) };
        // A missing final text is stream-final-event's finding.
        if (final.generatedText === undefined) return { skip: 'the final event has no generated_text' };
        return judge({
          label: 'the final event',
          text: final.generatedText,
          tokens: events.map((e) => e.token),
          prefix,
          pointer: '/generated_text',
          event: final.position,
        });
      },
    });
  },
};

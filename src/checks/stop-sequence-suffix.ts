import type { Details, GenerateResponse, StreamEvent, Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { quote } from './_internals/generated-text.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { concatNonSpecialText } from './_internals/token-text.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'stop-sequence-suffix';

const KINDS = {
  'text-does-not-end-with-stop': {
    severity: 'violation',
    title: 'finish_reason "stop_sequence" but the text does not end with a stop string',
  },
  // generated_text is decoded afresh from the token ids, and the tokenizer's clean-up (e.g.
  // " ," → ",") may change spaces inside the matched suffix.
  'stop-suffix-differs-in-whitespace': {
    severity: 'warning',
    title: 'The text ends with a stop string only when whitespace is ignored',
  },
  // TGI stops only on the request's `stop` strings, but look-alike servers may add stop strings
  // from the model's configuration, which tgc cannot see.
  'stop-sequence-without-stop': {
    severity: 'warning',
    title: 'finish_reason "stop_sequence" but the request has no stop strings',
  },
} as const;

const report = findingReporter(ID, KINDS);

interface Ending {
  label: string;
  /** The sequence's generated_text; `undefined` when a stream's final event has none. */
  text: string | undefined;
  /** Its tokens, special ones included. */
  tokens: readonly Token[];
  pointer: string;
  event?: number;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

function judge(ending: Ending, stop: readonly string[]): Finding[] {
  const { label, pointer: at, event } = ending;
  if (stop.length === 0) {
    return [
      report('stop-sequence-without-stop', {
        message: `${label}: finish_reason is "stop_sequence" but the request set no stop strings`,
        pointer: at,
        event,
      }),
    ];
  }
  const tokenText = concatNonSpecialText(ending.tokens);
  const text = ending.text ?? tokenText;
  if (stop.some((s) => text.endsWith(s))) return [];
  // TGI matches stop strings on the token texts, special ones included (T:134), and then drops
  // special tokens from generated_text: a stop string that ends in a special token's text is
  // rightly missing from it.
  const allText = ending.tokens.map((t) => t.text).join('');
  if (stop.some((s) => allText.endsWith(s) && !tokenText.endsWith(s))) return [];
  const shown = quote(text.slice(-60));
  const stops = stop.map(quote).join(', ');
  if (stop.some((s) => squash(s) !== '' && squash(text).endsWith(squash(s)))) {
    return [
      report('stop-suffix-differs-in-whitespace', {
        message: `${label}: expected generated_text to end with one of ${stops}; it does only when whitespace is ignored: it ends with ${shown}`,
        pointer: at,
        event,
      }),
    ];
  }
  return [
    report('text-does-not-end-with-stop', {
      message: `${label}: finish_reason "stop_sequence" keeps the stop string, so generated_text must end with one of ${stops}, but it ends with ${shown}`,
      pointer: at,
      event,
    }),
  ];
}

/** Each sequence that ended on a stop sequence. */
function judgeSequences(_details: Details, response: GenerateResponse, stop: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    if (s.details.finish_reason !== 'stop_sequence') continue;
    const found = judge({ label: s.label, text: s.generatedText, tokens: s.details.tokens, pointer: s.textPointer }, stop);
    for (const f of found) findings.push(f);
  }
  return findings;
}

/** The final event of a stream that ended on a stop sequence. */
function judgeStream(events: readonly StreamEvent[], view: ExchangeView, stop: readonly string[]): CheckResult {
  const final = finalEvent(view, events);
  if (final === undefined) return { skip: noFinalEventReason(view) };
  if (final.details === undefined) return { skip: 'the final event has no details (not requested)' };
  if (final.details.finish_reason !== 'stop_sequence') return [];
  return judge(
    {
      label: 'the final event',
      text: final.generatedText,
      tokens: events.map((e) => e.token),
      pointer: pointer('', 'generated_text'),
      event: final.position,
    },
    stop,
  );
}

// Defined once (requires.ts ExchangeHandlers says why); the context is the request's stop strings.
const HANDLERS: ExchangeHandlers<readonly string[]> = {
  response: (response, _view, stop) => withDetails(response, judgeSequences, stop),
  stream: judgeStream,
};
const UNKNOWN_REQUEST = Object.freeze({ skip: 'the request is unknown or invalid; the rule depends on its stop strings' });

/**
 * N-5: `finish_reason == "stop_sequence"` ⇒ the generated text ends with one of the request's
 * `stop` strings: the stop string is kept, matched by `re.escape(s)+"$"` on the concatenated
 * token texts. Only this direction: a text that ends with a stop string need not have stopped,
 * since stops match only at token ends (tgi-behavior.md §2b N-5; verdict-policy item 11; TGI
 * server/text_generation_server/utils/tokens.py:134).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/utils/tokens.py#L134
 */
export const stopSequenceSuffix: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'finish_reason "stop_sequence" keeps the stop string at the end',
  rule:
    'finish_reason "stop_sequence" implies generated_text ends with one of the request\'s stop strings (the stop string is kept), unless that stop string ends in a special token\'s text; the converse is not required.',
  source: 'tgi-behavior.md §2b N-5; verdict-policy item 11; TGI server/text_generation_server/utils/tokens.py:134',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    if (params === undefined) return UNKNOWN_REQUEST;
    return onExchange(view, HANDLERS, params.stop);
  },
};

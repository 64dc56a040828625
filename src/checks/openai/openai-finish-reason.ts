import type { OpenAIExchangeView } from '../../core/exchange.js';
import { CHAT_FINISH_REASONS, COMPLETION_FINISH_REASONS } from '../../core/openai.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { pointer } from '../_internals/pointer.js';
import { choiceKey, choicesOf, isRecord, notAResponse, notAStream, show, streamChunks, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-finish-reason';

type Kind = 'outside-enum' | 'empty' | 'not-a-string' | 'missing' | 'not-last' | 'repeated' | 'absent-before-last';

const KINDS = {
  'outside-enum': {
    severity: 'violation',
    title: 'finish_reason outside the route\'s enum (eos_token, eos, stop_sequence, …)',
  },
  empty: {
    severity: 'violation',
    title: 'finish_reason "" instead of null',
  },
  'not-a-string': {
    severity: 'violation',
    title: 'finish_reason is neither a string nor null',
  },
  missing: {
    severity: 'violation',
    title: 'a choice never gets a finish_reason',
  },
  'not-last': {
    severity: 'violation',
    title: 'finish_reason on a chunk that is not the choice\'s last',
  },
  repeated: {
    severity: 'violation',
    title: 'a choice gets more than one non-null finish_reason',
  },
  // xAI, Perplexity and Cerebras omit the key until the last chunk; clients read it as null.
  'absent-before-last': {
    severity: 'warning',
    title: 'finish_reason absent (not null) on chunks before the last',
  },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/** The departure of a non-null value from the enum, if any. */
function enumDeparture(value: unknown, allowed: readonly string[]): 'outside-enum' | 'empty' | 'not-a-string' | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return 'not-a-string';
  if (value === '') return 'empty';
  return allowed.includes(value) ? undefined : 'outside-enum';
}

/** A value that ends a choice, for the position rules: non-null and not the `""` placeholder (judged as `empty`). */
function ends(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}

interface Occurrence {
  event: number;
  /** The choice's position in the chunk's `choices` (its pointer is made only for a finding). */
  at: number;
  /** The value, `undefined` when the key is absent. */
  value: unknown;
  present: boolean;
}

/**
 * `finish_reason` is `stop | length | tool_calls | content_filter | function_call` (chat) or
 * `stop | length | content_filter` (completions). Any other non-null value, on a response or any
 * chunk, is a violation: TGI's `eos_token` and `stop_sequence`, Together's `eos`, `""` on every
 * chunk (Ollama, TGI's completions stream). In a stream each choice gets exactly one non-null
 * finish_reason, on its last chunk (openai-node's `.stream()` throws `missing finish_reason for
 * choice N`); the key absent before the last chunk is a warning. A non-stream choice has a
 * non-null one. Each kind is reported once per exchange, at its first occurrence.
 */
export const openaiFinishReason: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'finish_reason is in the route\'s enum, once per choice, on its last chunk',
  rule: 'A non-null finish_reason is one of the route\'s enum (chat: stop, length, tool_calls, content_filter, function_call; completions: stop, length, content_filter); each streamed choice gets exactly one, on its last chunk (absent before it: a warning); a response choice has one.',
  source: 'openai-behavior.md §1, §2 (openai-node missing finish_reason), §3, §4.1–4.3, §4.14; verdict-policy "The OpenAI-compatible routes" (violations: finish_reason; warnings: finish_reason absent before the last)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind === 'models') return { skip: 'GET /v1/models has no finish_reason' };
    const allowed: readonly string[] = view.kind === 'chat' ? CHAT_FINISH_REASONS : COMPLETION_FINISH_REASONS;
    const tally = new Tally<Kind>();
    // `where` is a function on the stream path: a message is made only for a kind's first occurrence.
    const enumFinding = (value: unknown, where: string | (() => string), place: { pointer: string; event?: number } | (() => { pointer: string; event?: number })) => {
      const departure = enumDeparture(value, allowed);
      if (departure === undefined) return;
      // A departure seen before is only counted (Tally reads no place for it).
      if (tally.bump(departure)) return;
      const expected = `null or one of ${allowed.join(', ')}`;
      const at = typeof place === 'function' ? place() : place;
      tally.add(departure, () => ({ pointer: at.pointer, event: at.event, message: `expected finish_reason to be ${expected} (${typeof where === 'function' ? where() : where}) but saw ${show(value)}` }));
    };

    if (!view.streamed) {
      const why = notAResponse(view);
      if (why !== undefined) return { skip: why };
      const choices = choicesOf(view.response);
      if (choices.length === 0) return { skip: 'the response has no choices' };
      for (const { choice, at } of choices) {
        const value = choice['finish_reason'];
        // The pointer is written only for a finding (most choices have an allowed value).
        if (value === null || value === undefined) {
          tally.add('missing', () => ({ pointer: pointer('/choices', at, 'finish_reason'), message: `expected choice ${at} of a completed response to have a finish_reason from the enum but it is ${value === null ? 'null' : 'absent'}` }));
        } else enumFinding(value, `choice ${at}`, () => ({ pointer: pointer('/choices', at, 'finish_reason') }));
      }
      return tally.findings(report, 'choice');
    }

    const why = notAStream(view);
    if (why !== undefined) return { skip: why };
    const byChoice = new Map<string, Occurrence[]>();
    const finishPointer = (at: number): string => pointer('/choices', at, 'finish_reason');
    for (const { chunk, event } of streamChunks(view) ?? []) {
      const choices = chunk['choices'];
      if (!Array.isArray(choices)) continue;
      for (let at = 0; at < choices.length; at++) {
        const choice: unknown = choices[at];
        if (!isRecord(choice)) continue;
        const present = 'finish_reason' in choice;
        const value = choice['finish_reason'];
        // null (most chunks), an allowed value, or a departure seen before: no message, pointer
        // or closure made for it.
        if (value !== null && value !== undefined) {
          const departure = enumDeparture(value, allowed);
          if (departure !== undefined && !tally.bump(departure)) {
            enumFinding(value, () => `choice index ${show(choice['index'])} at event ${event}`, () => ({ pointer: finishPointer(at), event }));
          }
        }
        const key = choiceKey(choice['index']);
        let list = byChoice.get(key);
        if (list === undefined) {
          list = [];
          byChoice.set(key, list);
        }
        list.push({ event, at, value, present });
      }
    }
    if (byChoice.size === 0) return { skip: 'the stream carries no choices' };
    for (const [key, list] of byChoice) {
      const label = key.startsWith('?') ? `the choice with index ${key.slice(1)}` : `choice ${key}`;
      const last = list.length - 1;
      // One plain pass (no closure or array per occurrence): the absent keys before the last, and
      // the occurrences that end the choice (the first two, and how many).
      let first: number | undefined;
      let second: number | undefined;
      let finals = 0;
      for (let i = 0; i <= last; i++) {
        const o = list[i] as Occurrence;
        // Counted without a closure when the kind was seen before (xAI omits the key on every chunk).
        if (i < last && !o.present && !tally.bump('absent-before-last')) {
          tally.add('absent-before-last', () => ({ event: o.event, pointer: finishPointer(o.at), message: `expected finish_reason: null on ${label}'s chunks before its last, but the key is absent at event ${o.event}` }));
        }
        if (ends(o.value)) {
          if (first === undefined) first = i;
          else if (second === undefined) second = i;
          finals++;
        }
      }
      if (first !== undefined && second !== undefined) {
        const o = list[second];
        if (o !== undefined) {
          tally.add('repeated', { event: o.event, pointer: finishPointer(o.at), message: `expected one non-null finish_reason for ${label} but it got ${finals} (a second, ${show(o.value)}, at event ${o.event})` });
        }
      } else if (first !== undefined && first !== last) {
        const o = list[first];
        if (o !== undefined) {
          tally.add('not-last', { event: o.event, pointer: finishPointer(o.at), message: `expected ${label}'s finish_reason on its last chunk but ${show(o.value)} came at event ${o.event}, and ${last - first} chunk(s) of that choice follow` });
        }
      } else if (first === undefined && view.streamError === undefined) {
        const o = list[last];
        // `""` on the last chunk is already reported as `empty`: the same departure.
        if (o !== undefined && o.value !== '') {
          tally.add('missing', { event: o.event, pointer: finishPointer(o.at), message: `expected ${label} to get a non-null finish_reason on its last chunk but it never does (last chunk at event ${o.event}: ${show(o.value)})` });
        }
      }
    }
    return tally.findings(report);
  },
};

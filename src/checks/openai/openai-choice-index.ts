import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { pointer } from '../_internals/pointer.js';
import { choicesOf, isInteger, isRecord, notAResponse, notAStream, requestedChoices, show, streamChunks, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-choice-index';

type Kind = 'not-integer' | 'out-of-range' | 'duplicate' | 'gap' | 'too-many-choices' | 'n-ignored';

const KINDS = {
  'not-integer': { severity: 'violation', title: 'a choice index is not an integer' },
  'out-of-range': { severity: 'violation', title: 'a choice index is outside 0..n-1' },
  duplicate: { severity: 'violation', title: 'two choices share an index' },
  gap: { severity: 'violation', title: 'the streamed choice indices are not 0..k-1' },
  'too-many-choices': { severity: 'violation', title: 'more choices served than the request asks for' },
  // Servers may serve one choice whatever n asks (TGI: n unused); a feature not served is a warning.
  'n-ignored': { severity: 'warning', title: 'fewer choices served than asked (n, or n × prompts)' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/**
 * Choice `index` is an integer in 0..n-1, n the number of choices served: a response's indices
 * are exactly 0..len-1, once each; a stream's indices seen form 0..k-1 (openai-node's `.stream()`
 * throws on a non-integer index or one ≥ n; llama.cpp and LiteLLM served wrong ones; TGI once used
 * a token counter). More choices than asked (n, or n × prompts on /v1/completions) is a violation;
 * fewer is a warning (servers may not serve n). Usage-only chunks with `choices: []` are fine.
 */
export const openaiChoiceIndex: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'choice indices are the integers 0..n-1',
  rule: 'Each choice index is an integer; a response\'s indices are 0..len-1 once each, a stream\'s indices seen are 0..k-1; more choices than asked is a violation, fewer (n ignored) a warning.',
  source: 'openai-behavior.md §1, §2 (openai-node ChatCompletionStream), §3 (TGI: n unused; completions index = prompt index), §4.8–4.9; verdict-policy "The OpenAI-compatible routes" (choice index; n > 1 ignored is a warning)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind === 'models') return { skip: 'GET /v1/models has no choices' };
    const tally = new Tally<Kind>();
    const seen = new Set<number>();
    const firstEvent = new Map<number, number>();
    let served: number;
    if (!view.streamed) {
      const why = notAResponse(view);
      if (why !== undefined) return { skip: why };
      const choices = choicesOf(view.response);
      served = choices.length;
      for (const { choice, at } of choices) {
        const index = choice['index'];
        const place = { pointer: pointer('/choices', at, 'index') };
        if (!isInteger(index)) tally.add('not-integer', { ...place, message: `expected choice ${at}'s index to be an integer but saw ${show(index)}` });
        else if (index < 0 || index >= served) tally.add('out-of-range', { ...place, message: `expected choice ${at}'s index in 0..${served - 1} (${served} choices served) but saw ${index}` });
        else if (seen.has(index)) tally.add('duplicate', { ...place, message: `expected each index once but choice ${at} repeats index ${index}` });
        else seen.add(index);
      }
    } else {
      const why = notAStream(view);
      if (why !== undefined) return { skip: why };
      // The indices of one chunk (reused: most chunks carry one choice).
      const inChunk: number[] = [];
      for (const { chunk, event } of streamChunks(view) ?? []) {
        inChunk.length = 0;
        const choices = chunk['choices'];
        if (!Array.isArray(choices)) continue;
        for (let at = 0; at < choices.length; at++) {
          const choice: unknown = choices[at];
          if (!isRecord(choice)) continue;
          const index = choice['index'];
          // Pointers and messages only for a kind's first occurrence (this runs on every chunk).
          if (!isInteger(index)) tally.add('not-integer', () => ({ pointer: pointer('/choices', at, 'index'), event, message: `expected the choice index at event ${event} to be an integer but saw ${show(index)}` }));
          else if (index < 0) tally.add('out-of-range', () => ({ pointer: pointer('/choices', at, 'index'), event, message: `expected a choice index ≥ 0 at event ${event} but saw ${index}` }));
          else if (inChunk.includes(index)) tally.add('duplicate', () => ({ pointer: pointer('/choices', at, 'index'), event, message: `expected each index once per chunk but the chunk at event ${event} repeats index ${index}` }));
          else {
            inChunk.push(index);
            if (!seen.has(index)) {
              seen.add(index);
              firstEvent.set(index, event);
            }
          }
        }
      }
      served = seen.size;
      const beyond = [...seen].filter((i) => i >= served).sort((a, b) => a - b);
      const [wrong] = beyond;
      if (wrong !== undefined) {
        const missing: number[] = [];
        for (let i = 0; i < served && missing.length < 5; i++) if (!seen.has(i)) missing.push(i);
        tally.add('gap', {
          pointer: '/choices',
          event: firstEvent.get(wrong) ?? 0,
          message: `expected the ${served} choice(s) streamed to have indices 0..${served - 1} but index ${wrong} came at event ${firstEvent.get(wrong) ?? 0} and ${missing.map(String).join(', ')} never did`,
        });
      }
    }
    const asked = requestedChoices(view);
    if (asked !== undefined && served > 0 && view.streamError === undefined) {
      // In a stream, point at the first chunk of the first choice beyond what was asked.
      const firstChunkEvent = (streamChunks(view) ?? [])[0]?.event ?? 0;
      const where = view.streamed ? { pointer: '/choices', event: firstEvent.get(asked) ?? firstChunkEvent } : { pointer: '/choices' };
      const ask = view.kind === 'chat' ? `n = ${asked}` : `n × prompts = ${asked}`;
      if (served > asked) tally.add('too-many-choices', { ...where, message: `expected at most ${asked} choice(s) (${ask}) but ${served} were served` });
      else if (served < asked) tally.add('n-ignored', { ...where, message: `the request asks for ${asked} choices (${ask}) but ${served} were served; servers may not serve n` });
    }
    return tally.findings(report);
  },
};

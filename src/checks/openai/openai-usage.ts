import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import {
  askedN,
  asNumber,
  includeUsageAsked,
  isRecord,
  notAResponse,
  notAStream,
  promptCount,
  streamChunks,
  Tally,
  type JsonRecord,
  type Kinds,
} from './_internals/structure-helpers.js';

const ID = 'openai-usage';

type Kind =
  | 'total-mismatch'
  | 'over-max-tokens'
  | 'include-usage-missing'
  | 'usage-repeated'
  | 'usage-on-last-choice-chunk'
  | 'usage-not-last'
  | 'unrequested-usage';

const KINDS = {
  'total-mismatch': { severity: 'violation', title: 'usage.total_tokens ≠ prompt_tokens + completion_tokens' },
  'over-max-tokens': { severity: 'violation', title: 'completion_tokens above max_tokens' },
  'include-usage-missing': { severity: 'violation', title: 'include_usage asked but no usage in the stream' },
  'usage-repeated': { severity: 'violation', title: 'include_usage asked and more than one non-null usage in the stream' },
  // DeepSeek, and TGI's completions stream: the usage rides on the last chunk that has choices.
  'usage-on-last-choice-chunk': { severity: 'warning', title: 'the usage is on a chunk with choices, not a separate choices: [] chunk' },
  'usage-not-last': { severity: 'warning', title: 'the usage chunk is not the stream\'s last chunk' },
  // vLLM #7262: usage on every chunk, or with stream_options: {}; TGI's completions stream; Together.
  'unrequested-usage': { severity: 'warning', title: 'usage in stream chunks without include_usage' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

interface Counted {
  prompt: number;
  completion: number;
  total: number;
}

function counts(usage: JsonRecord): Counted | undefined {
  const prompt = asNumber(usage['prompt_tokens']);
  const completion = asNumber(usage['completion_tokens']);
  const total = asNumber(usage['total_tokens']);
  return prompt === undefined || completion === undefined || total === undefined ? undefined : { prompt, completion, total };
}

/** max_completion_tokens or max_tokens, where the request has one choice and one prompt; undefined otherwise. */
function singleChoiceLimit(view: OpenAIExchangeView): number | undefined {
  if (view.request === undefined) return undefined;
  const request = view.request as JsonRecord;
  if (askedN(request) !== 1) return undefined;
  const bestOf = request['best_of'];
  if (bestOf !== undefined && bestOf !== null && bestOf !== 1) return undefined;
  if (view.kind === 'completions' && promptCount(request['prompt']) !== 1) return undefined;
  const limit = asNumber(request['max_completion_tokens']) ?? asNumber(request['max_tokens']);
  return limit !== undefined && limit >= 1 ? limit : undefined;
}

/**
 * `usage.total_tokens = prompt_tokens + completion_tokens` wherever a non-null usage appears, and
 * `completion_tokens ≤ max_tokens` (or max_completion_tokens) with one choice and one prompt. In a
 * stream with `stream_options.include_usage: true` exactly one non-null usage comes, on a last
 * chunk with `choices: []` (on the last chunk that still has choices: a warning); without it, a
 * non-null usage is a warning (`usage: null` is right). A response without usage is no finding.
 */
export const openaiUsage: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'usage adds up, stays within max_tokens, and comes once when include_usage asks',
  rule: 'total_tokens = prompt_tokens + completion_tokens; completion_tokens ≤ max_tokens (one choice, one prompt); with include_usage exactly one non-null usage, on a last choices: [] chunk (on the last choice chunk: a warning); unrequested usage in chunks is a warning.',
  source: 'openai-behavior.md §1 (usage, stream_options), §3, §4.5; verdict-policy "The OpenAI-compatible routes" (violations: usage sums, include_usage; warnings: usage on every chunk or not asked, usage on the last choice chunk; meaning checks: completion_tokens ≤ max_tokens)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind === 'models') return { skip: 'GET /v1/models has no usage' };
    const tally = new Tally<Kind>();
    const limit = singleChoiceLimit(view);
    const judge = (usage: JsonRecord, where: string, place: { pointer: string; event?: number }) => {
      const c = counts(usage);
      if (c === undefined) return;
      if (c.total !== c.prompt + c.completion) {
        tally.add('total-mismatch', { ...place, message: `expected total_tokens = prompt_tokens + completion_tokens (${c.prompt} + ${c.completion} = ${c.prompt + c.completion}) in ${where} but it is ${c.total}` });
      }
      if (limit !== undefined && c.completion > limit) {
        tally.add('over-max-tokens', { ...place, message: `expected at most ${limit} completion tokens (the request's max tokens, one choice, one prompt) in ${where} but completion_tokens is ${c.completion}` });
      }
    };

    if (!view.streamed) {
      const why = notAResponse(view);
      if (why !== undefined) return { skip: why };
      const usage = isRecord(view.response) ? view.response['usage'] : undefined;
      if (!isRecord(usage)) return { skip: 'the response has no usage' };
      judge(usage, 'the response usage', { pointer: '/usage' });
      return tally.findings(report);
    }

    const why = notAStream(view);
    if (why !== undefined) return { skip: why };
    const chunks = streamChunks(view) ?? [];
    const withUsage = chunks.filter(({ chunk }) => isRecord(chunk['usage']));
    for (const { chunk, event } of withUsage) judge(chunk['usage'] as JsonRecord, `the chunk at event ${event}`, { pointer: '/usage', event });

    const lastChunk = chunks[chunks.length - 1];
    if (includeUsageAsked(view)) {
      const [first, second] = withUsage;
      if (first === undefined) {
        if (view.streamError === undefined && lastChunk !== undefined) {
          tally.add('include-usage-missing', { pointer: '/usage', event: lastChunk.event, message: `expected one chunk with a non-null usage (stream_options.include_usage: true) but none of the ${chunks.length} chunks has one` });
        }
      } else if (second !== undefined) {
        tally.add('usage-repeated', { pointer: '/usage', event: second.event, message: `expected exactly one non-null usage (stream_options.include_usage: true) but ${withUsage.length} chunks carry one (events ${first.event}, ${second.event}${withUsage.length > 2 ? ', …' : ''})` });
      } else if (first !== lastChunk) {
        tally.add('usage-not-last', { pointer: '/usage', event: first.event, message: `expected the usage on the stream's last chunk (before [DONE]) but it is at event ${first.event} and ${chunks.length - 1 - first.position} chunk(s) follow` });
      } else if (Array.isArray(first.chunk['choices']) && first.chunk['choices'].length > 0) {
        tally.add('usage-on-last-choice-chunk', { pointer: '/choices', event: first.event, message: `expected the usage on a separate last chunk with choices: [] but it rides on the last chunk with choices (event ${first.event})` });
      }
    } else {
      for (const { event } of withUsage) {
        tally.add('unrequested-usage', { pointer: '/usage', event, message: `expected usage: null or no usage on chunks (stream_options.include_usage not asked) but the chunk at event ${event} carries one` });
      }
    }
    return tally.findings(report);
  },
};

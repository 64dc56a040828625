import type { Details, GenerateResponse, StreamEvent, Token } from '../core/api.js';
import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters, type EffectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';

const ID = 'top-tokens-shape';

const KINDS = {
  'top-tokens-count-mismatch': {
    severity: 'violation',
    title: 'details.top_tokens has not one list per generated token',
  },
  'top-tokens-unsorted': {
    severity: 'violation',
    title: 'A top_tokens list is not sorted by logprob, descending',
  },
  // TGI omits top_tokens unless top_n_tokens > 0; an extra field breaks no client.
  'top-tokens-unrequested': {
    severity: 'warning',
    title: 'top_tokens present although top_n_tokens was not requested',
  },
  // TGI returns them; a look-alike server may not implement top_n_tokens.
  'top-tokens-missing': {
    severity: 'warning',
    title: 'top_n_tokens requested but details has no top_tokens',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** A null logprob (NaN or ±inf on the server) sorts as -inf. */
const order = (t: Token): number => t.logprob ?? -Infinity;

/** The position of the first entry that has a higher logprob than the one before it, or -1. */
function firstOutOfOrder(list: readonly Token[]): number {
  for (let j = 1; j < list.length; j++) {
    const before = list[j - 1];
    const here = list[j];
    if (before !== undefined && here !== undefined && order(here) > order(before)) return j;
  }
  return -1;
}

interface List {
  tokens: readonly Token[];
  pointer: string;
  event?: number;
  label: string;
}

/** One finding for the first unsorted list, counting the others. */
function unsorted(lists: readonly List[]): Finding[] {
  const bad = lists.map((l) => ({ list: l, at: firstOutOfOrder(l.tokens) })).filter((b) => b.at >= 0);
  const first = bad[0];
  if (first === undefined) return [];
  const { list, at } = first;
  const prev = list.tokens[at - 1];
  const here = list.tokens[at];
  return [
    report('top-tokens-unsorted', {
      message:
        `${list.label}: top tokens must be sorted by logprob, descending (ties allowed), but entry ${at} has logprob ` +
        `${String(here?.logprob)} after ${String(prev?.logprob)}` +
        (bad.length > 1 ? ` (and ${bad.length - 1} more unsorted lists)` : ''),
      pointer: pointer(list.pointer, at, 'logprob'),
      event: list.event,
    }),
  ];
}

/** Whether top_n_tokens was asked for; `undefined` when the request is unknown. */
function requestedBy(params: EffectiveParameters | undefined): boolean | undefined {
  return params === undefined ? undefined : params.topNTokens > 0;
}

const NOT_REQUESTED = Object.freeze({ skip: 'top_n_tokens was not requested and no top_tokens were returned' });

/** Each sequence's top_tokens lists. */
function judgeSequences(_details: Details, response: GenerateResponse, params: EffectiveParameters | undefined): CheckResult {
  const requested = requestedBy(params);
  const findings: Finding[] = [];
  let any = false;
  for (const s of sequencesOf(response)) {
    const top = s.details.top_tokens;
    if (!Array.isArray(top)) {
      if (requested === true && s.details.tokens.length > 0) {
        findings.push(
          report('top-tokens-missing', {
            message: `${s.label}: top_n_tokens is ${params?.topNTokens} but details has no top_tokens`,
            pointer: s.detailsPointer,
          }),
        );
      }
      continue;
    }
    any = true;
    const at = pointer(s.detailsPointer, 'top_tokens');
    if (requested === false) {
      findings.push(
        report('top-tokens-unrequested', {
          message: `${s.label}: top_n_tokens is unset or 0, yet details has top_tokens (${top.length} lists)`,
          pointer: at,
        }),
      );
    }
    if (top.length !== s.details.tokens.length) {
      findings.push(
        report('top-tokens-count-mismatch', {
          message: `${s.label}: expected one top_tokens list per generated token (${s.details.tokens.length}) but there are ${top.length}`,
          pointer: at,
        }),
      );
    }
    findings.push(...unsorted(top.map((tokens, i) => ({ tokens, pointer: pointer(at, i), label: s.label }))));
  }
  if (!any && requested !== true) return NOT_REQUESTED;
  return findings;
}

/** The top_tokens lists of a stream's events. */
function judgeStream(events: readonly StreamEvent[], _view: ExchangeView, params: EffectiveParameters | undefined): CheckResult {
  const requested = requestedBy(params);
  const lists: List[] = [];
  events.forEach((e, i) => {
    if (Array.isArray(e.top_tokens)) lists.push({ tokens: e.top_tokens, pointer: '/top_tokens', event: i, label: `event ${i}` });
  });
  const first = lists[0];
  if (first === undefined) {
    // Events omit an empty list, so no list at all is not a departure even when requested.
    return requested === true ? [] : NOT_REQUESTED;
  }
  const findings: Finding[] = [];
  if (requested === false) {
    findings.push(
      report('top-tokens-unrequested', {
        message: `top_n_tokens is unset or 0, yet ${lists.length} events have top_tokens`,
        pointer: first.pointer,
        event: first.event,
      }),
    );
  }
  findings.push(...unsorted(lists));
  return findings;
}

// Defined once (requires.ts ExchangeHandlers says why); the context is the effective parameters.
const HANDLERS: ExchangeHandlers<EffectiveParameters | undefined> = {
  response: (response, _view, params) => withDetails(response, judgeSequences, params),
  stream: judgeStream,
};

/**
 * N-8: `details.top_tokens` has one list per generated token (I:249, I:305) and each list is
 * sorted by logprob, descending (a null logprob counts as -inf). A list longer or shorter than
 * top_n_tokens is correct: ties add entries (T:575), warpers filter some out. Stream events carry
 * the flat list of their token, omitted when empty. top_tokens present when not requested, or
 * absent when requested, are warnings (tgi-behavior.md §2b N-8; verdict-policy item 14; TGI
 * router/src/infer/mod.rs:249, server/text_generation_server/utils/tokens.py:575).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/utils/tokens.py#L575
 */
export const topTokensShape: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'top_tokens: one sorted list per generated token',
  rule:
    'details.top_tokens has one list per generated token and every top_tokens list (also a stream event\'s) is sorted by logprob descending; its length may differ from top_n_tokens.',
  source: 'tgi-behavior.md §2b N-8; verdict-policy item 14; TGI router/src/infer/mod.rs:249, :305; server/text_generation_server/utils/tokens.py:575',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    return onExchange(view, HANDLERS, params);
  },
};

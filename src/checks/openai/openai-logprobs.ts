import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckDefinition, CheckKind } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { quote } from '../_internals/generated-text.js';
import { pointer } from '../_internals/pointer.js';
import { answerOf, at, isRecord, show, type ChoiceOutput, type JsonRecord, type Place } from './_internals/choices.js';
import {
  chatEntries,
  completionPositions,
  contentPrefix,
  shapeOf,
  type ChatEntry,
  type PrefixResult,
  type TextPiece,
} from './_internals/logprob-entries.js';
import { isByteArray, isWholeText, sameBytes, utf8Bytes } from './_internals/utf8.js';

const ID = 'openai-logprobs';

/*
 * Severities (verdict-policy, "The OpenAI-compatible routes"): the other route's shape and a
 * positive logprob beyond 1e-6 are violations; logprobs asked but absent (a feature a server may
 * not serve), a top_logprobs count that differs (ties, filtering), and entries without `bytes`
 * (TGI) are warnings; the content must be a prefix of the tokens (violation), which may run past
 * it (EOS or stop tokens); `bytes` is judged only where the token is whole UTF-8.
 */
const KINDS = {
  'completions-shape-on-chat': {
    severity: 'violation',
    title: 'chat logprobs in the completions shape (tokens / token_logprobs)',
  },
  'chat-shape-on-completions': {
    severity: 'violation',
    title: 'completions logprobs in the chat shape ({content: [...]})',
  },
  'not-returned': {
    severity: 'warning',
    title: 'logprobs were asked for but not returned',
  },
  unrequested: {
    severity: 'warning',
    title: 'logprobs were returned without being asked for',
  },
  'top-count': {
    severity: 'warning',
    title: 'the number of top_logprobs differs from the one asked for',
  },
  positive: {
    severity: 'violation',
    title: 'a log-probability is positive (beyond 1e-6)',
  },
  'logprob-not-number': {
    severity: 'violation',
    title: 'a log-probability is not a number',
  },
  'content-not-prefix': {
    severity: 'violation',
    title: 'the content is not a prefix of the logprobs tokens',
  },
  'content-leading-space': {
    severity: 'warning',
    title: 'the content is a prefix of the logprobs tokens only when leading whitespace is ignored',
  },
  'bytes-mismatch': {
    severity: 'violation',
    title: 'a logprobs entry\'s bytes are not the UTF-8 bytes of its token',
  },
  'bytes-missing': {
    severity: 'warning',
    title: 'logprobs entries without bytes',
  },
} as const satisfies Record<string, CheckKind>;

type Kind = keyof typeof KINDS;
const report = findingReporter(ID, KINDS);

/** Float rounding may make a certain token's logprob a hair above 0 (verdict-policy item 15). */
const EPSILON = 1e-6;

/** Collects the first occurrence of each kind per choice, with a count, so a bad server gives one finding per rule. */
class FirstOf {
  private readonly seen = new Map<Kind, { place: Place; detail: string; count: number }>();
  add(kind: Kind, place: Place, detail: string): void {
    const s = this.seen.get(kind);
    if (s === undefined) this.seen.set(kind, { place, detail, count: 1 });
    else s.count++;
  }
  findings(label: string, what: Partial<Record<Kind, string>>): Finding[] {
    return [...this.seen.entries()].map(([kind, s]) =>
      report(kind, {
        message: `${label}: ${s.detail}${s.count > 1 ? ` (and ${s.count - 1} more)` : ''}${what[kind] ?? ''}`,
        ...at(s.place),
      }),
    );
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function hasToolCalls(choice: ChoiceOutput): boolean {
  const calls = choice.message?.tool_calls;
  if (Array.isArray(calls) && calls.length > 0) return true;
  return choice.deltas.some((d) => Array.isArray(d.delta.tool_calls) && d.delta.tool_calls.length > 0);
}

/** Whether the prefix rule applies to the choice: content, tokens, no tool call, no reasoning text. */
function prefixApplies(choice: ChoiceOutput): choice is ChoiceOutput & { content: string } {
  return choice.content !== undefined && choice.finishReason !== 'tool_calls' && !hasToolCalls(choice) && !choice.reasoning;
}

function judgePrefix(choice: ChoiceOutput & { content: string }, pieces: readonly TextPiece[], out: Finding[]): void {
  if (pieces.length === 0) return;
  const result: PrefixResult = contentPrefix(choice.content, pieces);
  if (result.match === 'prefix') return;
  if (result.match === 'leading-whitespace') {
    out.push(
      report('content-leading-space', {
        message: `${choice.label}: the content ${quote(choice.content)} is a prefix of the logprobs tokens only when leading whitespace is ignored`,
        ...at(choice.contentPlace),
      }),
    );
    return;
  }
  out.push(
    report('content-not-prefix', {
      message: `${choice.label}: the content ${quote(choice.content)} must be a prefix of its logprobs tokens concatenated (${quote(result.tokensText)}), but they differ at UTF-8 byte ${result.byte}`,
      ...at(choice.contentPlace),
    }),
  );
}

/** Judges one logprob value (an entry's or an alternative's). */
function judgeValue(value: unknown, place: Place, what: string, firsts: FirstOf, nullAllowed = false): void {
  if (value === null && nullAllowed) return;
  if (!isNumber(value)) {
    firsts.add('logprob-not-number', place, `${what} has logprob ${show(value)}, not a number`);
  } else if (value > EPSILON) {
    firsts.add('positive', place, `${what} has logprob ${value}, above 0 (beyond the ${EPSILON} allowed for rounding)`);
  }
}

interface BytesState {
  missing?: Place;
}

function judgeBytes(entry: JsonRecord, place: Place, what: string, firsts: FirstOf, state: BytesState): void {
  if (!Object.hasOwn(entry, 'bytes')) {
    state.missing ??= place;
    return;
  }
  const bytes = entry.bytes;
  if (bytes === null) return;
  const token = entry.token;
  if (!isByteArray(bytes)) {
    firsts.add('bytes-mismatch', { ...place, pointer: pointer(place.pointer, 'bytes') }, `${what}'s bytes ${show(bytes)} is not an array of bytes (0-255)`);
    return;
  }
  if (typeof token !== 'string' || !isWholeText(token)) return;
  const expected = utf8Bytes(token);
  if (!sameBytes(expected, bytes)) {
    firsts.add(
      'bytes-mismatch',
      { ...place, pointer: pointer(place.pointer, 'bytes') },
      `${what} (token ${quote(token)}) has bytes ${show(bytes)}, but the token's UTF-8 bytes are ${show(expected)}`,
    );
  }
}

function judgeChatChoice(
  choice: ChoiceOutput,
  request: JsonRecord | undefined,
  state: BytesState,
): Finding[] {
  const out: Finding[] = [];
  const wrongShape = choice.logprobs.find((p) => shapeOf(p.value) === 'completions');
  if (wrongShape !== undefined) {
    out.push(
      report('completions-shape-on-chat', {
        message: `${choice.label}: logprobs on the chat route must be {"content": [{token, logprob, bytes, top_logprobs}]}, but came in the completions shape (keys ${Object.keys(wrongShape.value as JsonRecord).join(', ')})`,
        ...at(wrongShape.place),
      }),
    );
  }
  const entries = chatEntries(choice.logprobs);
  const asked = request === undefined ? undefined : request.logprobs === true;
  if (asked === true && entries.length === 0 && wrongShape === undefined && choice.content !== undefined && choice.content !== '') {
    out.push(
      report('not-returned', {
        message: `${choice.label}: the request sets logprobs: true, but the choice's logprobs are ${choice.logprobs.length === 0 ? 'null or absent' : 'empty'}`,
        ...at(choice.contentPlace),
      }),
    );
  }
  if (asked === false && entries.length > 0) {
    out.push(
      report('unrequested', {
        message: `${choice.label}: the request does not set logprobs: true, but ${entries.length} logprobs entries came`,
        ...at(entries[0]?.place ?? choice.contentPlace),
      }),
    );
  }
  const k = asked === true && isNumber(request?.top_logprobs) ? request.top_logprobs : undefined;
  const firsts = new FirstOf();
  entries.forEach((entry: ChatEntry, i) => {
    const what = `logprobs entry ${i}`;
    judgeValue(entry.raw.logprob, { ...entry.place, pointer: pointer(entry.place.pointer, 'logprob') }, what, firsts);
    judgeBytes(entry.raw, entry.place, what, firsts, state);
    const top = Array.isArray(entry.top) ? (entry.top as unknown[]) : [];
    if (k !== undefined && top.length !== k) {
      firsts.add('top-count', { ...entry.place, pointer: pointer(entry.place.pointer, 'top_logprobs') }, `${what} has ${top.length} top_logprobs where ${k} were asked for`);
    }
    top.forEach((alt, j) => {
      if (!isRecord(alt)) return;
      const place = { ...entry.place, pointer: pointer(entry.place.pointer, 'top_logprobs', j) };
      judgeValue(alt.logprob, { ...place, pointer: pointer(place.pointer, 'logprob') }, `${what}'s top_logprobs ${j}`, firsts);
      judgeBytes(alt, place, `${what}'s top_logprobs ${j}`, firsts, state);
    });
  });
  out.push(...firsts.findings(choice.label, { 'top-count': ' (ties and filtering make counts differ on correct servers)' }));
  if (prefixApplies(choice)) {
    judgePrefix(
      choice,
      entries.map((e) => ({ text: e.raw.token, bytes: e.raw.bytes })),
      out,
    );
  }
  return out;
}

function judgeCompletionChoice(choice: ChoiceOutput, request: JsonRecord | undefined): Finding[] {
  const out: Finding[] = [];
  const wrongShape = choice.logprobs.find((p) => shapeOf(p.value) === 'chat');
  if (wrongShape !== undefined) {
    out.push(
      report('chat-shape-on-completions', {
        message: `${choice.label}: logprobs on /v1/completions must be {tokens, token_logprobs, top_logprobs, text_offset}, but came in the chat shape ({"content": [...]})`,
        ...at(wrongShape.place),
      }),
    );
  }
  const positions = completionPositions(choice.logprobs);
  const askedValue = request?.logprobs;
  const asked = request === undefined ? undefined : isNumber(askedValue) || typeof askedValue === 'bigint';
  if (asked === true && positions.length === 0 && wrongShape === undefined && choice.content !== undefined && choice.content !== '') {
    out.push(
      report('not-returned', {
        message: `${choice.label}: the request sets logprobs: ${show(askedValue)}, but the choice's logprobs are ${choice.logprobs.length === 0 ? 'null or absent' : 'empty'}`,
        ...at(choice.contentPlace),
      }),
    );
  }
  if (asked === false && positions.length > 0) {
    out.push(
      report('unrequested', {
        message: `${choice.label}: the request does not set logprobs, but ${positions.length} logprobs positions came`,
        ...at(choice.logprobs[0]?.place ?? choice.contentPlace),
      }),
    );
  }
  const k = asked === true ? Number(askedValue) : undefined;
  const firsts = new FirstOf();
  positions.forEach((p, i) => {
    const place = { ...p.place, pointer: pointer(p.place.pointer, 'token_logprobs', p.k) };
    // With echo the first (prompt) token has no logprob.
    judgeValue(p.logprob, place, `token_logprobs ${i}`, firsts, i === 0);
    if (isRecord(p.top)) {
      const alternatives = Object.entries(p.top);
      if (k !== undefined && alternatives.length !== k && alternatives.length !== k + 1) {
        firsts.add('top-count', { ...p.place, pointer: pointer(p.place.pointer, 'top_logprobs', p.k) }, `top_logprobs ${i} has ${alternatives.length} entries where ${k} were asked for (${k + 1} with the sampled token)`);
      }
      for (const [token, value] of alternatives) {
        judgeValue(value, { ...p.place, pointer: pointer(p.place.pointer, 'top_logprobs', p.k, token) }, `top_logprobs ${i} entry ${quote(token)}`, firsts);
      }
    }
  });
  out.push(...firsts.findings(choice.label, { 'top-count': ' (ties and filtering make counts differ on correct servers)' }));
  if (request?.echo !== true && prefixApplies(choice)) {
    judgePrefix(
      choice,
      positions.map((p) => ({ text: p.token })),
      out,
    );
  }
  return out;
}

/**
 * Log-probabilities mean what they say. By route: chat's `{content: [{token, logprob, bytes,
 * top_logprobs}]}`, completions' `{tokens, token_logprobs, top_logprobs, text_offset}`; the
 * other route's shape is a violation (vLLM #3179). Present iff asked (warnings: TGI ignores
 * `logprobs` on completions); `top_logprobs` of the count asked (warning); every logprob a number
 * ≤ 1e-6 (violation; on completions the first position may be null); the content a prefix of the
 * concatenated tokens (violation; tokens may run past it); `bytes` the token's UTF-8 where the
 * token is whole characters (violation), absent bytes a warning once (TGI). Non-stream and
 * streams, per choice.
 */
export const openaiLogprobs: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'logprobs have the route\'s shape and agree with the content',
  rule:
    'Chat logprobs are {content: [...]} and completions logprobs {tokens, token_logprobs, …} (the other shape is a violation); every logprob is a number ≤ 1e-6; the content is a prefix of the tokens concatenated; bytes, where given for whole-character tokens, are the token\'s UTF-8. Logprobs asked but absent, unasked but present, a top_logprobs count that differs, and entries without bytes are warnings.',
  source:
    'openai-behavior.md §1 (logprobs shapes), §4.10 (vLLM #3179, TGI #2211), §5 (llama.cpp: logprob ≤ 0, tokens concatenate to the content); verdict-policy.md, "The OpenAI-compatible routes" (violations: other route\'s shape, positive logprob; warnings: top_logprobs count, tokens past the content, bytes absent; bytes judged only for whole UTF-8) and item 15',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    const answer = answerOf(view);
    if ('skip' in answer) return answer;
    const request = isRecord(view.request) ? (view.request as JsonRecord) : undefined;
    const asked = request !== undefined && (view.kind === 'chat' ? request.logprobs === true : request.logprobs !== undefined && request.logprobs !== null);
    if (!asked && answer.choices.every((c) => c.logprobs.length === 0)) return { skip: 'no logprobs asked for or returned' };
    const state: BytesState = {};
    const findings =
      view.kind === 'chat'
        ? answer.choices.flatMap((c) => judgeChatChoice(c, request, state))
        : answer.choices.flatMap((c) => judgeCompletionChoice(c, request));
    if (state.missing !== undefined) {
      findings.push(
        report('bytes-missing', {
          message: 'logprobs entries carry no "bytes" key (TGI leaves it out; OpenAI sends the token\'s UTF-8 bytes or null)',
          ...at(state.missing),
        }),
      );
    }
    return findings;
  },
};

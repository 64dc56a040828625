import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition, CheckKind } from './check.js';
import {
  answerMessage,
  caseLabel,
  describeAnswer,
  isLoadAnswer,
  serverAnswer,
  withExpectation,
  type ServerAnswer,
} from './_internals/case-answer.js';
import { effectiveParameters, type EffectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter, type FindingPlace } from './_internals/findings.js';
import { learnLimit, type LearnedLimit } from './_internals/learned-limits.js';
import type { CheckResult } from './_internals/requires.js';

const ID = 'positive-data-acceptance';

/*
 * Severities. Rejecting a valid request, or failing on it with a 5xx, breaks the contract. Three
 * answers are not verdicts on the request: 429/503/424 under load (verdict-policy item 20; the
 * engine retries them, so one that reaches a check is reported, not failed), a 413 (the payload
 * limit is a server setting, `--payload-limit`), and a 422 that states a limit tgc did not know
 * (item 5: max_top_n_tokens is not in /info, token limits depend on the tokenizer, grammar
 * support may be off): the engine learns that limit with `learnLimit` and retests, so this check
 * skips such an exchange, unless the request is plainly within the limit the server states.
 */
const KINDS = {
  'valid-request-rejected': {
    severity: 'violation',
    title: 'a valid request was rejected',
  },
  'rejected-within-stated-limit': {
    severity: 'violation',
    title: 'a valid request was rejected by a limit it does not exceed',
  },
  'server-error': {
    severity: 'violation',
    title: 'a valid request got a server error',
  },
  'rejected-under-load': {
    severity: 'warning',
    title: 'a valid request was turned away under load',
  },
  'payload-too-large': {
    severity: 'warning',
    title: 'a valid request was refused as too large (a server setting)',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/** error_types that mean the server failed, not that it judged the request (I:312, S:670). */
const SERVER_FAILURE_TYPES: ReadonlySet<string> = new Set([
  'incomplete_generation',
  'incomplete_generation_stream',
  'stream_serialization_error',
]);

function place(answer: ServerAnswer, message: string): FindingPlace {
  if (answer.outcome === 'stream-error') return answer.event === undefined ? { message, pointer: '/error' } : { message, pointer: '/error', event: answer.event };
  return answer.outcome === 'status' && answer.error !== undefined ? { message, pointer: '/error' } : { message };
}

function isServerFailure(answer: ServerAnswer): boolean {
  if (answer.outcome === 'status') return answer.status >= 500;
  return answer.outcome === 'stream-error' && SERVER_FAILURE_TYPES.has(answer.error.error_type);
}

/** True when the request plainly stays within the limit the server states; false when unknown. */
function withinStatedLimit(limit: LearnedLimit, params: EffectiveParameters | undefined, view: ExchangeView): boolean {
  if (params === undefined) return false;
  switch (limit.name) {
    case 'maxStopSequences':
      return params.stop.length <= limit.value;
    case 'maxTopNTokens':
      return params.topNTokens <= limit.value;
    case 'maxBestOf':
      return params.bestOf <= limit.value;
    case 'grammarSupported': {
      const grammar = view.request?.parameters?.grammar;
      return grammar === undefined || grammar === null;
    }
    // Token counts depend on the tokenizer: tgc cannot tell.
    case 'maxInputTokens':
    case 'maxTotalTokens':
      return false;
  }
}

function judgeRejection(view: ExchangeView, expectation: CaseExpectation, answer: ServerAnswer): CheckResult {
  const label = caseLabel(expectation);
  const seen = describeAnswer(view, answer);
  if (isLoadAnswer(answer)) {
    if (expectation.outcome === 'either') return { skip: `the server answered under load (${seen}); either outcome is correct` };
    return [report('rejected-under-load', place(answer, `${label}: the request is valid and got ${seen}; a busy server may turn requests away (the engine retries these), so this is not counted as a rejection`))];
  }
  if (answer.outcome === 'status' && (answer.status === 401 || answer.status === 403)) {
    return { skip: `the server asks for credentials (HTTP ${answer.status}); auth-required judges tokens` };
  }
  if (isServerFailure(answer)) {
    return [report('server-error', place(answer, `${label}: the request is valid and got ${seen}; a server error is never the answer to a request`))];
  }
  if (expectation.outcome === 'either') return { skip: `either outcome is correct for this case, and the server rejected it (${seen})` };
  if (answer.outcome === 'status' && answer.status === 413) {
    return [report('payload-too-large', place(answer, `${label}: the request is valid and got ${seen}; the payload limit is a server setting (TGI --payload-limit, default 2,000,000 bytes)`))];
  }
  const message = answerMessage(answer);
  const limit = message === undefined ? undefined : learnLimit(message);
  if (limit !== undefined) {
    if (withinStatedLimit(limit, effectiveParameters(view), view)) {
      return [
        report(
          'rejected-within-stated-limit',
          place(answer, `${label}: the server rejected the request with ${seen}, stating ${limit.name} = ${String(limit.value)}, which the request does not exceed`),
        ),
      ];
    }
    return { skip: `the server stated a limit tgc did not know (${limit.name} = ${String(limit.value)}); the engine learns it and retests (verdict-policy item 5)` };
  }
  return [report('valid-request-rejected', place(answer, `${label}: the request is valid and every conforming server accepts it, yet it got ${seen}`))];
}

/**
 * A valid request (the engine's positive and boundary cases, `expectation.outcome` accept) is
 * answered: a 2xx, or a stream without an error event. A 5xx is a violation for every case the
 * server may accept (accept or either).
 */
export const positiveDataAcceptance: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'valid requests are accepted',
  rule:
    'A request valid under the contract and the known server limits gets a 2xx (a stream without an error event). 429, 503 and 424 under load and 413 are warnings; a 422 that states a limit tgc did not know teaches it (the engine retests).',
  source: 'tgi-behavior.md §2a, §2c; verdict-policy items 1, 4, 5, 20; TGI router/src/server.rs:2404-2424',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    return withExpectation(view, (expectation) => {
      if (expectation.outcome === 'reject') return { skip: 'the case expects a rejection' };
      const answer = serverAnswer(view);
      if (answer.outcome === 'accepted') return [] as Finding[];
      return judgeRejection(view, expectation, answer);
    });
  },
};

import type { CaseExpectation, ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { caseLabel, describeAnswer, isLoadAnswer, serverAnswer, type ServerAnswer } from './_internals/case-answer.js';
import type { CheckResult } from './_internals/requires.js';

const ID = 'negative-data-rejection';

/** The status of each in-handler error_type on the non-stream routes (S:2404-2424). */
const STATUS_OF_ERROR_TYPE: Readonly<Record<string, number>> = {
  validation: 422,
  generation: 424,
  overloaded: 429,
  incomplete_generation: 500,
};

/**
 * Statuses of rejections made before the handler: a body that does not parse (400), is too
 * large (413), is not JSON by content type (415) or does not deserialize (422), each with any
 * body (verdict-policy item 6).
 */
const PRE_HANDLER_STATUSES: ReadonlySet<number> = new Set([400, 413, 415, 422]);

function finding(kind: string, title: string, message: string, at: { pointer?: string; event?: number } = {}): Finding {
  return { check: ID, severity: 'violation', kind, title, message, ...at };
}

/** Where a rejection's finding points: the error event or the JSON body's `error`. */
function errorPlace(answer: ServerAnswer): { pointer?: string; event?: number } {
  if (answer.outcome === 'stream-error') return answer.event === undefined ? { pointer: '/error' } : { pointer: '/error', event: answer.event };
  return answer.outcome === 'status' && answer.error !== undefined ? { pointer: '/error' } : {};
}

/**
 * The kind of an acceptance, stable across seeds: the §2c rule, else the first schema reason,
 * so that a baseline holding one accepted rule does not hide another.
 */
function acceptedKind(expectation: CaseExpectation, reasons: readonly Finding[]): string {
  const rule = expectation.rule;
  if (rule !== undefined && rule !== 'schema' && rule !== 'pre-handler') return `accepted:rule-${rule}`;
  const first = reasons[0]?.kind;
  return `accepted:${first ?? rule ?? 'invalid'}`;
}

/** The error_type an in-handler rejection carries; `undefined` when the rule is not in-handler. */
function inHandlerErrorType(expectation: CaseExpectation): string | undefined {
  const { rule, errorType } = expectation;
  if (errorType !== undefined) return rule === 'pre-handler' ? undefined : errorType;
  if (rule === undefined || rule === 'pre-handler' || rule === 'schema') return undefined;
  return rule === 'o' ? 'overloaded' : 'validation';
}

function judgePreHandler(view: ExchangeView, label: string, answer: ServerAnswer): Finding[] {
  if (answer.outcome === 'status' && PRE_HANDLER_STATUSES.has(answer.status)) return [];
  return [
    finding(
      'wrong-status',
      'invalid request rejected with the wrong status',
      `${label}: a body rejected before the handler gets 400, 413, 415 or 422 as a plain status, also on stream routes (tgi-behavior.md §2c; verdict-policy items 6, 7), but it got ${describeAnswer(view, answer)}`,
      errorPlace(answer),
    ),
  ];
}

function judgeInHandler(view: ExchangeView, expectation: CaseExpectation, errorType: string, answer: ServerAnswer): Finding[] {
  const label = caseLabel(expectation);
  const seen = describeAnswer(view, answer);
  const wrongType = (actual: string): Finding[] =>
    actual === errorType
      ? []
      : [
          finding(
            'wrong-error-type',
            'invalid request rejected with the wrong error_type',
            `${label}: expected error_type ${JSON.stringify(errorType)} but got ${seen}`,
            errorPlace(answer),
          ),
        ];
  if (answer.outcome === 'stream-error') return wrongType(answer.error.error_type);
  // On a stream an error status for an in-handler rule is stream-error-status's finding.
  if (answer.outcome !== 'status' || view.streamed) return [];
  const planned = expectation.status;
  const expected = planned !== undefined && planned >= 400 ? planned : (STATUS_OF_ERROR_TYPE[errorType] ?? 422);
  if (answer.status !== expected) {
    return [
      finding(
        'wrong-status',
        'invalid request rejected with the wrong status',
        `${label}: an error_type ${errorType} rejection raised in the handler gets HTTP ${expected} with {"error","error_type"} (TGI server.rs:2404-2424), but it got ${seen}`,
        errorPlace(answer),
      ),
    ];
  }
  if (answer.error !== undefined) return wrongType(answer.error.error_type);
  // A JSON body that is not the ErrorResponse is error-body-schema's finding.
  if (view.bodyKind !== 'text' && view.bodyKind !== 'empty') return [];
  return [
    finding(
      'not-error-response',
      'invalid request rejected without the JSON error body',
      `${label}: a rejection raised in the handler carries {"error","error_type"} as JSON (TGI server.rs:2404-2424; verdict-policy item 8), but it got ${seen}`,
    ),
  ];
}

/** Judges a planned negative case: the engine says every conforming server rejects it. */
function judgeCase(view: ExchangeView, expectation: CaseExpectation): CheckResult {
  if (expectation.purpose === 'auth') return { skip: 'an auth case: auth-required judges it' };
  if (expectation.outcome !== 'reject') return { skip: `the case expects ${expectation.outcome === 'accept' ? 'acceptance' : 'either outcome'}` };
  const label = caseLabel(expectation);
  const answer = serverAnswer(view);
  const seen = describeAnswer(view, answer);
  if (answer.outcome === 'accepted') {
    const tgi = expectation.message === undefined ? '' : ` (TGI: ${JSON.stringify(expectation.message)})`;
    return [
      finding(
        acceptedKind(expectation, view.requestInvalidReasons ?? []),
        'invalid request accepted',
        `${label}: every conforming server rejects this request${tgi}, yet it got ${seen}`,
      ),
    ];
  }
  const errorType = inHandlerErrorType(expectation);
  const asPlanned = answer.outcome === 'status' && errorType !== undefined && STATUS_OF_ERROR_TYPE[errorType] === answer.status;
  if (isLoadAnswer(answer) && !asPlanned) {
    return { skip: `the server answered under load (${seen}) before judging the request; the engine retries` };
  }
  if (answer.outcome === 'status' && (answer.status === 401 || answer.status === 403)) {
    return { skip: `the server asks for credentials (HTTP ${answer.status}); auth-required judges tokens` };
  }
  if (answer.outcome === 'status' && answer.status >= 500 && !asPlanned) {
    return [finding('server-error', 'invalid request answered with a server error', `${label}: the request is invalid and got ${seen}; invalid input gets a 4xx`)];
  }
  if (expectation.rule === 'pre-handler') return judgePreHandler(view, label, answer);
  if (errorType === undefined) return [];
  return judgeInHandler(view, expectation, errorType, answer);
}

/** Judges a recorded exchange by the schema reasons decoding found (no planned case). */
function judgeRecorded(view: ExchangeView): CheckResult {
  const reasons = view.requestInvalidReasons ?? [];
  if (view.requestBody === undefined || reasons.length === 0) return { skip: 'the request is valid' };
  if (view.status < 200 || view.status >= 300) {
    if (view.status >= 500) {
      return [
        finding(
          'server-error',
          'invalid request answered with a server error',
          `the request is invalid (${reasons[0]?.message ?? ''}) and got ${view.status}; invalid input gets a 4xx`,
        ),
      ];
    }
    return [];
  }
  if (view.bodyKind === 'sse' && view.streamError) return [];
  const first = reasons[0];
  return [
    finding(
      `accepted:${first?.kind ?? 'invalid'}`,
      'invalid request accepted',
      `the request is invalid and every conforming server rejects it (${reasons
        .map((r) => r.message)
        .join('; ')}), yet it got ${view.status}${view.bodyKind === 'sse' ? ' and a stream without an error event' : ''}`,
      first?.pointer !== undefined ? { pointer: first.pointer } : {},
    ),
  ];
}

/**
 * A request that breaks the contract must be rejected: a 4xx, or on a stream an error event.
 * Recorded exchanges are judged by the schema (after the f32 rounding servers apply,
 * verdict-policy item 1: 2.00000001 is accepted as a frequency_penalty of 2). Planned negative
 * cases are judged by the engine's expectation, which also fixes the form of the rejection:
 * before the handler any of 400, 413, 415, 422 with any body (item 6); in the handler on a
 * non-stream route the status of its error_type (422 validation) with the JSON ErrorResponse
 * and that error_type; on a stream route an error event of that error_type (its HTTP status is
 * stream-error-status's rule, item 7). Load answers (429, 503, 424) are not verdicts (item 20).
 */
export const negativeDataRejection: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'invalid requests are rejected',
  rule: 'A request that breaks the contract (after f32 rounding) is rejected: before the handler with 400/413/415/422, in the handler with the status of its error_type (422 validation), the JSON ErrorResponse and that error_type, or on a stream with an error event; never a 2xx answer or a 5xx.',
  source: 'tgi-behavior.md §2a, §2c; verdict-policy items 1, 3, 6, 7, 8, 20; TGI router/src/server.rs:2404-2424',
  run(view) {
    return view.expectation === undefined ? judgeRecorded(view) : judgeCase(view, view.expectation);
  },
};

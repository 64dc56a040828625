import type { CheckDefinition, CheckKind } from './check.js';
import { answerMessage, caseLabel, serverAnswer, withExpectation } from './_internals/case-answer.js';
import { findingReporter } from './_internals/findings.js';
import { describeTextDifference } from './_internals/generated-text.js';

const ID = 'error-message-exact';

/*
 * Severities. The exact wording is TGI's, not the contract: look-alike servers word their errors
 * otherwise, and the status, body shape and error_type (negative-data-rejection) are what
 * clients rely on (verdict-policy item 8). So every difference is a warning. A message that
 * differs only in its numbers states other limits than tgc planned with: its own kind, so a
 * report tells a wording difference from a settings difference.
 */
const KINDS = {
  'message-differs': {
    severity: 'warning',
    title: 'the error message is not TGI\'s',
  },
  'limit-values-differ': {
    severity: 'warning',
    title: 'the error message states other numbers than tgc expected',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const VALIDATION_PREFIX = 'Input validation error: ';

const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * When the engine knows TGI's message for a rejection, the server's `error` (JSON body or stream
 * error event) is that message exactly: `"Input validation error: " + message` for error_type
 * validation (I:414), the message itself for the other error types.
 */
export const errorMessageExact: CheckDefinition = {
  id: ID,
  severity: 'warning',
  title: 'error messages are TGI\'s exact text',
  rule: 'Where tgc knows TGI\'s message for a rejection, the error is exactly "Input validation error: " + message (error_type validation) or the message (other types); a difference is a warning.',
  source: 'tgi-behavior.md §2c (messages; I:414); verdict-policy item 8',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    return withExpectation(view, (expectation) => {
      const planned = expectation.message;
      if (planned === undefined) return { skip: 'tgc does not know TGI\'s message for this case' };
      const answer = serverAnswer(view);
      const seen = answerMessage(answer);
      if (answer.outcome === 'accepted' || seen === undefined) return { skip: 'no JSON error message to compare' };
      const seenType = answer.error?.error_type;
      // Pre-handler rejections are axum's text, never an ErrorResponse: no prefix, no type.
      const errorType = expectation.errorType ?? (expectation.rule === 'pre-handler' ? undefined : 'validation');
      // Another error_type (overloaded under load, a wrong type) answers another question.
      if (errorType !== undefined && seenType !== errorType) {
        return { skip: `the error_type is ${JSON.stringify(seenType)}, not ${JSON.stringify(errorType)}` };
      }
      const expected = errorType === 'validation' ? VALIDATION_PREFIX + planned : planned;
      if (seen === expected) return [];
      const at = answer.outcome === 'stream-error' && answer.event !== undefined ? { pointer: '/error', event: answer.event } : { pointer: '/error' };
      const label = caseLabel(expectation);
      if (seen.replace(NUMBER, '#') === expected.replace(NUMBER, '#')) {
        // Where tgc guessed the limit (either outcome), other numbers are expected: it learns them.
        if (expectation.outcome === 'either') return [];
        return [
          report('limit-values-differ', {
            message: `${label}: the message differs from TGI's only in its numbers (other limits than tgc knew): ${describeTextDifference(expected, seen)}`,
            ...at,
          }),
        ];
      }
      return [report('message-differs', { message: `${label}: ${describeTextDifference(expected, seen)}`, ...at })];
    });
  },
};

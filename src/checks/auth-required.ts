import type { CheckDefinition, CheckKind } from './check.js';
import { caseLabel, describeAnswer, isLoadAnswer, serverAnswer, withExpectation } from './_internals/case-answer.js';
import { findingReporter } from './_internals/findings.js';

const ID = 'auth-required';

/*
 * Only run when the user says the server requires a token (`--auth-required`): a server without
 * a key ignores Authorization (S:2213-2235). TGI answers 401 with an empty body, gateways 403
 * with their own: either status and any body are correct (verdict-policy item 19).
 */
const KINDS = {
  'accepted-without-token': {
    severity: 'violation',
    title: 'a request without a token was answered',
  },
  'accepted-wrong-token': {
    severity: 'violation',
    title: 'a request with a wrong token was answered',
  },
  'wrong-status': {
    severity: 'violation',
    title: 'a missing or wrong token got neither 401 nor 403',
  },
  'valid-token-rejected': {
    severity: 'violation',
    title: 'the given token was refused',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const REFUSALS: ReadonlySet<number> = new Set([401, 403]);

/**
 * With a key required, a request without `Authorization: Bearer <key>`, or with a wrong one, is
 * refused with 401 or 403 (any body, also empty) before anything else; the given token is not.
 */
export const authRequired: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'a required token is enforced',
  rule: 'When a token is required, a missing or wrong token gets 401 or 403 (any body); the valid token never gets 401 or 403.',
  source: 'tgi-behavior.md §2c (--api-key, S:2213-2235); verdict-policy item 19',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    return withExpectation(view, (expectation) => {
      const auth = expectation.auth;
      if (expectation.purpose !== 'auth' || auth === undefined) return { skip: 'not an auth case' };
      const label = caseLabel(expectation);
      const answer = serverAnswer(view);
      const seen = describeAnswer(view, answer);
      const refused = answer.outcome === 'status' && REFUSALS.has(answer.status);
      if (auth === 'valid') {
        return refused ? [report('valid-token-rejected', { message: `${label}: the token the user gave got ${seen}` })] : [];
      }
      if (refused) return [];
      if (isLoadAnswer(answer)) return { skip: `the server answered under load (${seen}); the engine retries` };
      const what = auth === 'missing' ? 'without an Authorization header' : 'with a wrong token';
      if (answer.outcome !== 'status') {
        return [
          report(auth === 'missing' ? 'accepted-without-token' : 'accepted-wrong-token', {
            message: `${label}: a request ${what} got ${seen}; a server that requires a token answers 401 or 403`,
          }),
        ];
      }
      return [report('wrong-status', { message: `${label}: a request ${what} got ${seen}; expected 401 or 403` })];
    });
  },
};

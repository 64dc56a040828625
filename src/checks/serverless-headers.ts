import type { CheckDefinition, CheckKind } from './check.js';
import { decodedFindings } from './_internals/decoded.js';
import { findingReporter } from './_internals/findings.js';
import { requestHeaderIsTrue } from './_internals/header-values.js';

const ID = 'serverless-headers';

/*
 * The seed document's serverless endpoint (`--api hf`) answers 503 while the model loads, with
 * {error, estimated_time}, unless the request says `x-wait-for-model: true`. Scope: a 503 with a
 * JSON body. A 503 with a text page is a gateway's (error-body-schema warns about it), and the
 * model-loading body's own schema (estimated_time a non-negative number) is validated while
 * decoding and reported by error-body-schema; this check reports what those do not: an
 * ErrorResponse where the loading body belongs, and a wait that was asked for and not honoured.
 */
const KINDS = {
  'loading-without-estimated-time': {
    severity: 'violation',
    title: 'the 503 is not the model-loading body {error, estimated_time}',
  },
  'wait-for-model-ignored': {
    severity: 'violation',
    title: 'x-wait-for-model: true was answered with the model-loading 503',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/**
 * On the seed document's endpoint a 503 is the model-loading answer, `{error, estimated_time}`
 * (estimated_time in seconds, non-negative), and a request sent with `x-wait-for-model: true`
 * waits for the model instead of getting it (seed document, Headers; tgi-behavior.md §3).
 */
export const serverlessHeaders: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'the serverless endpoint honours x-wait-for-model and its 503 body',
  rule: 'On the seed document\'s endpoint (--api hf) a 503 carries {error, estimated_time}; a request with x-wait-for-model: true does not get that 503.',
  source: 'seed document (Headers: x-wait-for-model); spec ModelLoadingResponse; tgi-behavior.md §3',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.api !== 'hf') return { skip: 'not the serverless endpoint (--api hf)' };
    if (view.status !== 503) return { skip: 'not a 503' };
    if (view.bodyKind !== 'json') return { skip: 'a 503 without a JSON body: a gateway\'s page (error-body-schema warns)' };
    // Decoding reads a 503 body with `estimated_time` as the loading body (its schema findings
    // go to error-body-schema) and anything else as an ErrorResponse (`view.error`).
    if (view.error !== undefined) {
      return [
        report('loading-without-estimated-time', {
          message: `the 503 carries ${JSON.stringify(view.error)} without estimated_time; the endpoint's 503 is {error, estimated_time} (seconds until the model is ready)`,
          pointer: '/estimated_time',
        }),
      ];
    }
    const loadingBody = !decodedFindings(view, 'error-body-schema').some((f) => f.severity === 'violation');
    if (loadingBody && requestHeaderIsTrue(view.requestHeaders, 'x-wait-for-model')) {
      return [
        report('wait-for-model-ignored', {
          message: 'the request was sent with x-wait-for-model: true, which asks the endpoint to wait for the model instead of answering 503, yet it answered the model-loading 503',
        }),
      ];
    }
    return [];
  },
};

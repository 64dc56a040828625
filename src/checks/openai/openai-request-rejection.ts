import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { is2xx, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-request-rejection';

type Kind = 'accepted' | 'server-error' | 'not-rejected' | 'not-served' | 'rejected-valid';

const KINDS = {
  accepted: { severity: 'violation', title: 'a request every server rejects was accepted' },
  'server-error': { severity: 'violation', title: 'a request every server rejects got a server error, not a 4xx' },
  'not-rejected': { severity: 'violation', title: 'a request every server rejects got a status below 400' },
  'not-served': { severity: 'violation', title: 'a valid request got a server error' },
  'rejected-valid': { severity: 'violation', title: 'a valid request was rejected' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/** Statuses of a busy server: not verdicts on the request (verdict-policy item 20). */
const LOAD_STATUSES: ReadonlySet<number> = new Set([424, 429, 503]);

/**
 * A request every real server rejects (a wrong JSON type, `messages`/`prompt` missing or empty,
 * `max_tokens` < 1, an unknown role: `requestInvalidReasons`, or the engine's expectation
 * `reject`) gets a 4xx; 2xx, 5xx or another status below 400 is a violation. A 200 stream whose
 * error event rejects it is judged by openai-stream-error. A valid request (expectation `accept`,
 * or a recorded request with no reason) is served: a 5xx other than 429/503/424 is a violation;
 * a 4xx is one only when the engine planned the case as valid (a recorded exchange may hit
 * limits or model names tgc cannot know, such as TGI's 422 "Template error"). Expectation
 * `either`: any outcome is right.
 */
export const openaiRequestRejection: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'invalid requests get a 4xx, valid ones are served',
  rule: 'A request every real server rejects gets a 4xx (not 2xx, 5xx or another status below 400); a valid request gets no 5xx other than 429/503/424 under load, and, when the engine planned it as valid, no 4xx other than 429.',
  source: 'openai-behavior.md §1 (Request), §3 (TGI HTTP errors); verdict-policy "The OpenAI-compatible routes" (violations: a request every real server rejects answered 2xx or 5xx; a valid request not served; warnings: requests only the official service rejects), items 6, 19, 20',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.transportFailure !== undefined) return { skip: 'the exchange did not complete (response-completes judges it)' };
    const expectation = view.expectation;
    if (expectation?.outcome === 'either') return { skip: 'either outcome is correct for this case' };
    const status = view.status;
    const reasons = view.requestInvalidReasons ?? [];
    const invalid = expectation !== undefined ? expectation.outcome === 'reject' : reasons.length > 0;
    if (expectation === undefined && view.kind !== 'models' && view.requestBody === undefined) {
      return { skip: 'no JSON request body recorded: its validity is unknown' };
    }
    if (LOAD_STATUSES.has(status)) return { skip: `HTTP ${status} under load is not a verdict on the request (verdict-policy item 20)` };
    if (status === 401 || status === 403) return { skip: `HTTP ${status}: the server asks for credentials (auth-required judges tokens)` };
    const label = expectation?.label ?? expectation?.rule;

    if (invalid) {
      const why = label ?? (reasons.map((r) => r.title).slice(0, 3).join('; ') || 'the case expects a rejection');
      if (is2xx(status)) {
        if (view.streamed && view.streamError !== undefined) return { skip: 'rejected by an error event inside a 200 stream: openai-stream-error judges it' };
        return [report('accepted', { message: `expected a 4xx for a request every server rejects (${why}) but got HTTP ${status}${view.streamed ? ' and a stream' : ''}` })];
      }
      if (status >= 500) return [report('server-error', { message: `expected a 4xx for a request every server rejects (${why}) but got HTTP ${status}` })];
      if (status < 400) return [report('not-rejected', { message: `expected a 4xx for a request every server rejects (${why}) but got HTTP ${status}` })];
      return [];
    }

    if (status >= 500) {
      return [report('not-served', { message: `expected a valid request${label === undefined ? '' : ` (${label})`} to be served but got HTTP ${status}${view.error?.message === undefined ? '' : ` ${JSON.stringify(view.error.message.slice(0, 80))}`}` })];
    }
    if (status >= 400 && expectation?.outcome === 'accept') {
      return [report('rejected-valid', { message: `expected a valid request${label === undefined ? '' : ` (${label})`} to be accepted but got HTTP ${status}${view.error?.message === undefined ? '' : ` ${JSON.stringify(view.error.message.slice(0, 80))}`}` })];
    }
    return [];
  },
};

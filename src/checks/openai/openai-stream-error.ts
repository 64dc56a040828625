import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { is2xx, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-stream-error';

type Kind = 'event-after-error' | 'validation-in-stream' | 'not-served';

const KINDS = {
  'event-after-error': { severity: 'violation', title: 'events after the error event of a stream' },
  'validation-in-stream': { severity: 'violation', title: 'a request rejected by an error event inside a 200 stream, not a 4xx status' },
  'not-served': { severity: 'violation', title: 'a valid request not served: an error event ends the stream' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/** Statuses of a busy server: not verdicts on the request (verdict-policy item 20). */
const LOAD_STATUSES: ReadonlySet<number> = new Set([424, 429, 503]);

/** How tgc judges the request: must be rejected, must be served, or either. */
function requestVerdict(view: OpenAIExchangeView): 'reject' | 'accept' | 'either' {
  if (view.expectation !== undefined) return view.expectation.outcome;
  return (view.requestInvalidReasons ?? []).length > 0 ? 'reject' : 'accept';
}

/**
 * An error event inside a 200 stream (TGI: `data: {"error": {"message", "http_status_code"}}`)
 * is accepted framing as the stream's last event ([DONE] may follow). What it says is judged:
 * a request every server rejects belongs in a 4xx status before the stream (the .NET Azure client
 * hung, TGI #1896), and so does an in-stream 4xx rejection of any request (the server judged the
 * request after answering 200); a valid request that ends in an error event was not served,
 * unless the error is a load error (429, 503, 424: back off, verdict-policy item 20).
 */
export const openaiStreamError: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'an error event ends a stream only when serving failed',
  rule: 'An error event inside a 200 stream is its last event (only [DONE] may follow); a request rejection (invalid request, or an in-stream 4xx) belongs in a 4xx status before the stream; a valid request ending in an error event other than 429/503/424 was not served.',
  source: 'openai-behavior.md §3 (TGI errors inside a stream), §4.4; verdict-policy "The OpenAI-compatible routes" (validation error of a stream request; a valid request not served), items 7, 20',
  appliesTo: 'stream',
  kinds: KINDS,
  run(view) {
    if (view.transportFailure !== undefined) return { skip: 'the exchange did not complete (response-completes judges it)' };
    if (!view.streamed || !is2xx(view.status)) return { skip: 'not a 2xx stream' };
    const error = view.streamError;
    if (error === undefined) return { skip: 'the stream has no error event' };
    const findings: Finding[] = [];
    const at = { pointer: '/error', event: error.event };
    const said = `${error.status === undefined ? '' : `status ${error.status}, `}${JSON.stringify((error.info.message ?? '(no message)').slice(0, 80))}`;

    const data = view.eventData;
    let after: number | undefined;
    if (data !== undefined) {
      for (let i = error.event + 1; i < data.length; i++) {
        if ((data[i] ?? '').trim() !== '[DONE]' && (data[i] ?? '').trim() !== '') {
          after = i;
          break;
        }
      }
    } else {
      after = (view.chunkEvents ?? []).find((e) => e > error.event);
    }
    if (after !== undefined) {
      findings.push(report('event-after-error', { event: after, message: `expected the error event (event ${error.event}) to be the stream's last (only [DONE] may follow) but event ${after} follows it` }));
    }

    const status = error.status;
    if (status !== undefined && LOAD_STATUSES.has(status)) return findings;
    const verdict = requestVerdict(view);
    const judgedByServer = status !== undefined && status >= 400 && status < 500;
    if (verdict === 'reject') {
      const reasons = (view.requestInvalidReasons ?? []).map((r) => r.title).slice(0, 3);
      const why = view.expectation !== undefined ? (view.expectation.label ?? view.expectation.rule ?? 'the case expects a rejection') : reasons.join('; ');
      findings.push(report('validation-in-stream', { ...at, message: `expected a request every server rejects (${why}) to get a 4xx status before the stream, but it got 200 and the error event ${said}` }));
    } else if (judgedByServer) {
      findings.push(report('validation-in-stream', { ...at, message: `expected a rejection to come as a 4xx status before the stream, but the server answered 200 and then the error event ${said}` }));
    } else if (verdict === 'accept') {
      findings.push(report('not-served', { ...at, message: `expected a valid request to be served, but the stream ended with the error event ${said} (not a load error: 429, 503, 424)` }));
    }
    return findings;
  },
};

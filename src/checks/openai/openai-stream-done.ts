import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { parseJson } from '../../core/json.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { is2xx, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-stream-done';

type Kind = 'missing-done' | 'after-done' | 'not-json';

const KINDS = {
  'missing-done': { severity: 'violation', title: 'the stream ends without data: [DONE]' },
  'after-done': { severity: 'violation', title: 'events after data: [DONE]' },
  'not-json': { severity: 'violation', title: 'a data event is neither JSON nor [DONE]' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

const DONE = '[DONE]';

/**
 * A stream on these routes is data events of JSON ending with `data: [DONE]` (OpenAI's
 * contract; TGI since PR #2221, llama.cpp since PR #9459): without it the .NET Azure client
 * hung (TGI #1896); openai-node throws a SyntaxError on a data event that is not JSON; nothing
 * may follow [DONE]. A stream ended by an error event is judged by openai-stream-error, so its
 * missing [DONE] is not reported again. `data:` with or without a space, comments and empty
 * keep-alive data are the SSE decoder's business and accepted (verdict-policy item 18).
 */
export const openaiStreamDone: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'the stream is JSON data events ending with data: [DONE]',
  rule: 'A 2xx stream that ends normally ends with data: [DONE], with nothing after it, and every other data event is JSON; a stream ended by an error event may lack [DONE].',
  source: 'openai-behavior.md §1 ("The stream ends with data: [DONE]"), §2 (openai-node streaming.ts), §3, §4.4; verdict-policy "The OpenAI-compatible routes" (a stream that ends normally without data: [DONE], or anything after it), item 18',
  appliesTo: 'stream',
  kinds: KINDS,
  run(view) {
    if (view.transportFailure !== undefined) return { skip: 'the exchange did not complete (response-completes judges it)' };
    if (!view.streamed || !is2xx(view.status)) return { skip: 'not a 2xx stream' };
    if (view.kind === 'models') return { skip: 'GET /v1/models is not a stream' };
    const data = view.eventData;
    if (data === undefined) return { skip: 'no SSE body: the response is not a stream' };
    const findings: Finding[] = [];
    const done = view.doneEvent;
    const tally = new Tally<Kind>();
    const end = done ?? data.length;
    // The decoder's verdict on each event where it gave one (it parsed every event already).
    const notJson = view.notJsonEvents;
    const positions = notJson ?? Array.from({ length: end }, (_, i) => i);
    for (const i of positions) {
      if (i >= end) break;
      const text = data[i] ?? '';
      if (text === DONE || text.trim() === '') continue;
      if (notJson !== undefined || !parseJson(text).ok) {
        tally.add('not-json', { event: i, message: `expected the data of event ${i} to be JSON or [DONE] but it is ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}` });
      }
    }
    findings.push(...tally.findings(report, 'event'));
    if (done === undefined) {
      if (view.streamError === undefined) {
        const last = data.length - 1;
        findings.push(
          report('missing-done', {
            message: `expected the stream to end with data: [DONE] but its ${data.length} event(s) end without it`,
            ...(last >= 0 ? { event: last } : {}),
          }),
        );
      }
    } else if (done < data.length - 1) {
      const after = data.length - 1 - done;
      findings.push(
        report('after-done', {
          message: `expected nothing after data: [DONE] (event ${done}) but ${after} event(s) follow, the first ${JSON.stringify((data[done + 1] ?? '').slice(0, 60))}`,
          event: done + 1,
        }),
      );
    }
    return findings;
  },
};

import type { CheckDefinition } from './check.js';

/**
 * A stream request gets text/event-stream; a non-stream one gets application/json (a charset
 * parameter is fine: verdict-policy item 16). `stream` is not a field of /generate: it is
 * ignored there (tgi-behavior §2c Routes).
 */
export const responseKind: CheckDefinition = {
  id: 'response-kind',
  severity: 'violation',
  title: 'stream requests get a stream, others get JSON',
  rule: 'A 200 to /generate_stream, or to POST / with stream:true, is text/event-stream; any other 200 is application/json.',
  source: 'tgi-behavior.md §2c Routes and Streaming errors; server.rs S:139, S:525-530',
  run(view) {
    if (view.status !== 200) return { skip: 'not a 200' };
    const type = view.headers?.['content-type']?.split(';')[0]?.trim().toLowerCase();
    const want = view.streamed ? 'sse' : 'json';
    const wantType = view.streamed ? 'text/event-stream' : 'application/json';
    const findings = [];
    if (view.bodyKind !== undefined && view.bodyKind !== want) {
      findings.push({
        check: 'response-kind',
        severity: 'violation' as const,
        kind: `body:${view.bodyKind}-instead-of-${want}`,
        title: view.streamed ? 'stream request answered without a stream' : 'non-stream request answered with a stream',
        message: `a ${view.streamed ? 'stream' : 'non-stream'} request on ${view.route} got a ${view.bodyKind} body`,
      });
    }
    if (type !== undefined && type !== wantType) {
      findings.push({
        check: 'response-kind',
        severity: 'violation' as const,
        kind: `content-type:${view.streamed ? 'stream' : 'json'}`,
        title: 'wrong content type',
        message: `content-type is ${JSON.stringify(view.headers?.['content-type'])}; expected ${wantType}`,
      });
    }
    return findings;
  },
};

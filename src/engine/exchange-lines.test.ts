import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../core/exchange.js';
import { formatExchangeLine, parseExchangeLine } from './exchange-lines.js';

describe('the exchange line format', () => {
  it.each<[string, { line: string; want: Partial<RecordedExchange> }]>([
    ['the default route is POST /', { line: '{"request":{"inputs":"a"},"status":200,"response":[{"generated_text":"b"}]}', want: { route: 'POST /', status: 200 } }],
    ['a stream', { line: '{"route":"POST /generate_stream","request":{},"status":200,"stream":"data:{}\\n\\n"}', want: { route: 'POST /generate_stream', stream: 'data:{}\n\n' } }],
    ['a text/plain rejection as a JSON string', { line: '{"request":{},"status":415,"response":"Expected request with `Content-Type: application/json`"}', want: { responseText: 'Expected request with `Content-Type: application/json`' } }],
    ['an empty 401', { line: '{"request":{},"status":401}', want: { status: 401 } }],
    ['other keys are ignored', { line: '{"request":{},"status":200,"response":{},"id":"x","suite":"y"}', want: { response: {} } }],
    ['a u64 seed stays exact', { line: '{"request":{"inputs":"a","parameters":{"seed":18446744073709551615}},"status":200,"response":{}}', want: { request: { inputs: 'a', parameters: { seed: 18446744073709551615n } } } }],
    ['a null 4xx body as no body', { line: '{"request":{},"status":404,"response":null}', want: { status: 404 } }],
    ['a null 2xx body as null', { line: '{"request":{},"status":200,"response":null}', want: { response: null } }],
    ['response_text', { line: '{"request":{},"status":502,"response_text":"<html>"}', want: { responseText: '<html>' } }],
    ['stream before response_text', { line: '{"request":{},"status":200,"stream":"x","response_text":"y"}', want: { stream: 'x' } }],
  ])('reads %s', (_name, { line, want }) => {
    const r = parseExchangeLine(line);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.exchange).toMatchObject(want);
  });

  // Which of stream, response_text and response an exchange carries: exactly one, by that priority.
  it.each([
    ['{"status":404,"response":null}', []],
    ['{"status":200,"response":null}', ['response']],
    ['{"status":200,"stream":"x","response_text":"y"}', ['stream']],
    ['{"status":500,"response_text":"y","response":{}}', ['responseText']],
    ['{"status":415,"response":"text"}', ['responseText']],
    ['{"status":200,"response":"text"}', ['response']],
  ])('keeps the body of %s as %j', (line, keys) => {
    const r = parseExchangeLine(line);
    expect(r.ok && Object.keys(r.exchange).filter((k) => ['stream', 'response', 'responseText'].includes(k))).toEqual(keys);
  });

  it.each([
    ['not JSON', '{"status":', /^not JSON/],
    ['no status', '{"request":{}}', /"status" must be/],
    ['an unknown route', '{"status":200,"route":"GET /"}', /"route" must be one of/],
    ['stream not a string', '{"status":200,"stream":{}}', /raw text\/event-stream/],
    ['both stream and response', '{"status":200,"stream":"","response":{}}', /both/],
    ['both stream and a null response', '{"status":200,"stream":"","response":null}', /both/],
    ['response_text not a string', '{"status":500,"response_text":5}', /not JSON, as a string/],
    ['a null stream', '{"status":200,"stream":null}', /raw text\/event-stream/],
  ])('rejects %s', (_name, line, error) => {
    const r = parseExchangeLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('round-trips what --record writes, run context included', () => {
    const exchange: RecordedExchange = {
      route: 'POST /generate',
      request: { inputs: 'a', parameters: { seed: 2n ** 64n - 1n } },
      status: 200,
      headers: { 'content-type': 'application/json' },
      response: { generated_text: 'b' },
      api: 'tgi',
      expectation: { outcome: 'accept', purpose: 'positive', label: 'x' },
      requestHeaders: { 'content-type': 'application/json' },
      timings: { totalMs: 3.5, firstByteMs: 1 },
    };
    const r = parseExchangeLine(formatExchangeLine(exchange));
    expect(r.ok && r.exchange).toEqual(exchange);
  });
});

describe('an unanswered request', () => {
  it('round-trips with status 0 and its failure, and is judged by response-completes', () => {
    const line = formatExchangeLine({
      route: 'POST /generate',
      request: { inputs: 'a' },
      status: 0,
      transportFailure: { kind: 'first-byte-timeout', message: 'no byte within 800 ms' },
    });
    const r = parseExchangeLine(line);
    expect(r.ok && r.exchange.transportFailure?.kind).toBe('first-byte-timeout');
    expect(parseExchangeLine('{"request":{},"status":0}').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { reference } from './__fixtures__/client.js';
import { CLIENT_FINDINGS_HEADER } from './check-client.js';

describe('--check-client', () => {
  const lines: string[] = [];
  const server = reference({ checkClient: true, apiKey: 'k', log: (line) => lines.push(line) });
  const auth = { authorization: 'Bearer k' };

  it.each([
    ['a clean request', { inputs: 'a', parameters: { max_new_tokens: 1 } }, auth, 'none'],
    ['unknown keys (a warning)', { inputs: 'a', options: {}, model: 'x', parameters: { max_new_tokens: 1 } }, auth, 'warning:unknown-key'],
    ['a broken rule', { inputs: 'a', parameters: { top_p: 1 } }, auth, 'violation:top-p-range'],
    ['a wrong type', { inputs: 1 }, auth, 'violation:json-data'],
    ['a missing key', { inputs: 'a' }, {}, 'violation:authorization'],
  ])('reports %s in the header', async (_name, body, headers, want) => {
    const reply = await server.post('/generate', body, headers);
    expect(reply.headers.get(CLIENT_FINDINGS_HEADER)).toBe(want);
  });

  it('reports on streams too, and logs one line per finding', async () => {
    lines.length = 0;
    const reply = await server.post('/generate_stream', { inputs: 'a', parameters: { decoder_input_details: true } }, auth);
    expect(reply.status).toBe(200);
    expect(reply.headers.get(CLIENT_FINDINGS_HEADER)).toBe('violation:stream-decoder-input-details');
    expect(lines).toEqual([
      '[check-client] POST /generate_stream: violation stream-decoder-input-details: Input validation error: `decoder_input_details` == true is not supported when streaming tokens',
    ]);
  });

  it('is off by default', async () => {
    const reply = await reference().post('/generate', { inputs: 'a', parameters: { top_p: 1 } });
    expect(reply.headers.has(CLIENT_FINDINGS_HEADER)).toBe(false);
  });

  it('judges the hf serverless headers', async () => {
    const reply = await reference({ profile: 'hf', checkClient: true }).post('/models/x', { inputs: 'a', parameters: { max_new_tokens: 1 } }, { 'x-use-cache': 'nope' });
    expect(reply.headers.get(CLIENT_FINDINGS_HEADER)).toBe('warning:header-value');
  });
});

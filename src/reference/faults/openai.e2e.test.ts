/**
 * Wire tests of the OpenAI-compatible faults: each faulty server, on a real port, answers a fixed
 * set of probe requests (chat and completions, streamed and not, tools, JSON formats, logprobs,
 * invalid requests, the model list); the raw exchanges, recorded as `tgc validate exchanges`
 * reads them, get a violation from the check the fault names, and the faithful server's get
 * none. The engine's catalogue (src/engine/fault-catalogue-*.e2e.test.ts) runs `tgc run` against
 * the same faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiByName, type Decoder } from '../../apis/index.js';
import type { BaseExchangeView, RecordedExchange, RouteName } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { parseJson, type ExactJson } from '../../core/json.js';
import { applyChecks } from '../../engine/inspect-exchange.js';
import type { ReferenceServer } from '../server.js';
import { serve } from './__fixtures__/wire.js';

const USER = [{ role: 'user', content: 'Once upon a time, in a small village, answer in JSON' }];
const TOOLS = [
  {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

interface Probe {
  route: RouteName;
  body?: Record<string, unknown>;
}

const chat = (extra: Record<string, unknown>): Probe => ({ route: 'POST /v1/chat/completions', body: { messages: USER, max_tokens: 8, seed: 1, ...extra } });
const PROBES: Probe[] = [
  chat({}),
  chat({ stream: true, stream_options: { include_usage: true } }),
  chat({ n: 2, stream: true }),
  chat({ logprobs: true, top_logprobs: 2 }),
  chat({ logprobs: true, top_logprobs: 2, stream: true }),
  chat({ tools: TOOLS, tool_choice: 'required', max_tokens: 48 }),
  chat({ tools: TOOLS, tool_choice: 'required', max_tokens: 48, stream: true }),
  chat({ tools: TOOLS, tool_choice: 'none' }),
  chat({ tools: TOOLS, tool_choice: 'none', stream: true }),
  chat({ response_format: { type: 'json_object' }, max_tokens: 48 }),
  chat({ response_format: { type: 'json_object' }, max_tokens: 48, stream: true }),
  { route: 'POST /v1/chat/completions', body: { messages: [], max_tokens: 8 } },
  chat({ max_tokens: 0 }),
  chat({ max_tokens: 0, stream: true }),
  { route: 'POST /v1/completions', body: { prompt: 'Once upon a time', max_tokens: 8, seed: 1 } },
  { route: 'POST /v1/completions', body: { prompt: 'Once upon a time', max_tokens: 8, seed: 1, stream: true } },
  { route: 'GET /v1/models' },
];

/** One probe over the wire, recorded as an exchange line records it. */
async function send(server: ReferenceServer, probe: Probe): Promise<RecordedExchange> {
  const [method, path] = probe.route.split(' ') as [string, string];
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(probe.body ? { body: JSON.stringify(probe.body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const exchange: RecordedExchange = { route: probe.route, request: probe.body as ExactJson | undefined, status: res.status, headers: { 'content-type': contentType }, api: 'openai' };
  if (contentType.startsWith('text/event-stream')) exchange.stream = text;
  else {
    const parsed = parseJson(text);
    if (parsed.ok && text !== '') exchange.response = parsed.value;
    else exchange.responseText = text;
  }
  return exchange;
}

let decode: Decoder<BaseExchangeView>;
const api = apiByName('openai');

async function judgeAll(server: ReferenceServer): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const probe of PROBES) {
    const view = decode(await send(server, probe), {});
    out.push(...applyChecks(view, api?.checks ?? []).findings);
  }
  return out;
}

beforeAll(async () => {
  if (!api) throw new Error('no openai API');
  decode = await api.decoder();
});

describe('the faithful /v1 routes, on the wire', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await serve(null);
  });
  afterAll(() => server.close());

  it('no finding on any probe', async () => {
    expect((await judgeAll(server)).map((f) => `${f.check}/${f.kind}: ${f.message}`)).toEqual([]);
  });
});

/** Fault → the check that must flag one of the probes. */
const FAULTS: [fault: string, check: string][] = [
  ['openai-finish-reason-eos-token', 'openai-finish-reason'],
  ['openai-finish-reason-eos', 'openai-finish-reason'],
  ['openai-finish-reason-stop-sequence', 'openai-finish-reason'],
  ['openai-finish-reason-empty', 'openai-finish-reason'],
  ['openai-finish-reason-not-last', 'openai-finish-reason'],
  ['openai-finish-reason-missing', 'openai-finish-reason'],
  ['openai-object-chat-text-completion', 'openai-object'],
  ['openai-object-chunk-chat-completion', 'openai-object'],
  ['openai-object-missing', 'openai-object'],
  ['openai-stream-done-missing', 'openai-stream-done'],
  ['openai-stream-data-after-done', 'openai-stream-done'],
  ['openai-stream-role-missing', 'openai-stream-role'],
  ['openai-choice-index-from-one', 'openai-choice-index'],
  ['openai-choice-index-token-counter', 'openai-choice-index'],
  ['openai-usage-total-mismatch', 'openai-usage'],
  ['openai-usage-over-max-tokens', 'openai-usage'],
  ['openai-usage-chunk-missing', 'openai-usage'],
  ['openai-usage-every-chunk', 'openai-usage'],
  ['openai-tool-arguments-object', 'openai-tool-calls'],
  ['openai-tool-delta-no-index', 'openai-tool-calls'],
  ['openai-tool-call-when-none', 'openai-tool-calls'],
  ['openai-tool-name-not-offered', 'openai-tool-calls'],
  ['openai-response-format-not-json', 'openai-response-format'],
  ['openai-logprobs-completions-shape', 'openai-logprobs'],
  ['openai-logprob-positive', 'openai-logprobs'],
  ['openai-error-body-detail', 'openai-error-body'],
  ['openai-validation-error-in-stream', 'openai-stream-error'],
  ['openai-empty-messages-accepted', 'openai-request-rejection'],
  ['openai-models-without-data', 'openai-response-schema'],
  ['openai-models-empty-id', 'openai-models'],
];

describe('OpenAI-compatible faults, on the wire', () => {
  it.each(FAULTS)('%s: a violation from %s', async (fault, check) => {
    const server = await serve(fault);
    try {
      const findings = await judgeAll(server);
      const violations = findings.filter((f) => f.severity === 'violation');
      expect(violations.map((f) => f.check), fault).toContain(check);
    } finally {
      await server.close();
    }
  });

  it("'openai-seed-ignored': the same seeded request twice, different outputs", async () => {
    const server = await serve('openai-seed-ignored');
    const faithful = await serve(null);
    try {
      const probe = chat({ max_tokens: 16, seed: 7, temperature: 1 });
      const text = async (s: ReferenceServer): Promise<string> => {
        const e = await send(s, probe);
        return JSON.stringify((e.response as { choices: { message: { content: string } }[] }).choices[0]?.message.content);
      };
      expect(await text(faithful)).toBe(await text(faithful));
      const outputs = new Set([await text(server), await text(server), await text(server)]);
      expect(outputs.size).toBeGreaterThan(1);
    } finally {
      await server.close();
      await faithful.close();
    }
  });
});

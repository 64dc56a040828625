import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import { isJsonObject, parseJson, type ExactJson } from '../../core/json.js';
import type { OpenAIErrorShape } from '../../core/openai.js';
import { loadOpenAIContract, OPENAI_REQUEST_REJECTION } from './contract.js';
import { OPENAI_CHECK } from './types.js';

const contract = await loadOpenAIContract();

const json = (text: string): ExactJson => {
  const r = parseJson(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const kinds = (fs: readonly Finding[]) => fs.map((f) => f.kind);
const violations = (fs: readonly Finding[]) => fs.filter((f) => f.severity === 'violation');

// ── the recorded exchanges ──────────────────────────────────────────────────────────────────

// ../shared/fixtures relative to the repository root (this file is src/contract/openai/contract.test.ts).
const FIXTURE = new URL('../../../../shared/fixtures/openai-exchanges.jsonl', import.meta.url);
const present = existsSync(fileURLToPath(FIXTURE));

interface Exchange {
  line: number;
  route: string;
  status: number;
  request: ExactJson;
  response?: ExactJson;
  stream?: string;
  response_text?: string;
  known_deviation?: string;
}

function loadExchanges(): Exchange[] {
  return readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const v = json(l);
      if (!isJsonObject(v)) throw new Error(`line ${i + 1} is not an object`);
      return { ...(v as unknown as Exchange), line: i + 1 };
    });
}

/** The JSON `data` of each event of a raw text/event-stream body, `[DONE]` left out. */
function chunksOf(stream: string): string[] {
  const out: string[] = [];
  for (const block of stream.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data = block
      .split(/\r\n|\n|\r/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length === 0) continue;
    const text = data.join('\n');
    if (text === '[DONE]') continue;
    out.push(text);
  }
  return out;
}

const kindOf = (route: string) => (route.includes('/chat/') ? 'chat' : 'completions') as 'chat' | 'completions';
const exchanges = present ? loadExchanges() : [];
const title = present
  ? 'the OpenAI contract over the recorded exchanges (../shared/fixtures/openai-exchanges.jsonl)'
  : 'the OpenAI contract over the recorded exchanges (skipped: ../shared/fixtures not found)';

describe.skipIf(!present)(title, () => {
  it('reads all 44 recordings', () => {
    expect(exchanges).toHaveLength(44);
  });

  it('every request that a server served or judged on its merits validates with no violation', () => {
    const problems: string[] = [];
    for (const x of exchanges) {
      // The 422s of lines 9, 11, 12 answer requests without `messages`: they are the rejections.
      if (x.response_text !== undefined) continue;
      const r = contract.request(x.request, kindOf(x.route));
      for (const f of violations(r.findings)) problems.push(`line ${x.line}: ${f.kind}: ${f.message}`);
      for (const f of r.findings) expect(f.check).toBe(OPENAI_CHECK.requestSchema);
      expect(contract.requestRejectReasons(x.request, kindOf(x.route)), `line ${x.line}`).toEqual([]);
    }
    expect(problems).toEqual([]);
  });

  it('the requests TGI rejected with a text/plain 422 have the reason `messages-missing`', () => {
    const rejected = exchanges.filter((x) => x.response_text !== undefined);
    expect(rejected.map((x) => x.line)).toEqual([9, 11, 12]);
    for (const x of rejected) {
      expect(kinds(contract.requestRejectReasons(x.request, kindOf(x.route)))).toEqual(['reject:messages-missing']);
      expect(kinds(violations(contract.request(x.request, kindOf(x.route)).findings))).toEqual(['required:/messages']);
    }
  });

  it('every 2xx response body validates with no violation, known deviations included', () => {
    const problems: string[] = [];
    let n = 0;
    for (const x of exchanges) {
      if (x.status >= 400 || x.response === undefined) continue;
      n++;
      const r = contract.response(x.response, kindOf(x.route));
      for (const f of violations(r.findings)) problems.push(`line ${x.line}: ${f.kind}: ${f.message}`);
      if (violations(r.findings).length === 0) expect(r.value, `line ${x.line}`).toBeDefined();
    }
    expect(n).toBe(19);
    expect(problems).toEqual([]);
  });

  it('every stream chunk validates with no violation, known deviations included', () => {
    const problems: string[] = [];
    let streams = 0;
    let chunks = 0;
    for (const x of exchanges) {
      if (x.stream === undefined) continue;
      streams++;
      chunksOf(x.stream).forEach((text, i) => {
        chunks++;
        const data = json(text);
        expect(contract.isErrorEvent(data)).toBe(false);
        const r = contract.chunk(data, kindOf(x.route), i);
        for (const f of r.findings) expect(f.event).toBe(i);
        for (const f of violations(r.findings)) problems.push(`line ${x.line} event ${i}: ${f.kind}: ${f.message}`);
        if (violations(r.findings).length === 0) expect(r.value).toBeDefined();
      });
    }
    expect(streams).toBe(15);
    expect(chunks).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('the only warnings are unknown fields (extra keys real servers send)', () => {
    const other: string[] = [];
    for (const x of exchanges) {
      const k = kindOf(x.route);
      const found = [
        ...(x.response !== undefined && x.status < 400 ? contract.response(x.response, k).findings : []),
        ...(x.stream !== undefined ? chunksOf(x.stream).flatMap((t, i) => contract.chunk(json(t), k, i).findings) : []),
      ];
      for (const f of found) if (!f.kind.startsWith('unknown-field:')) other.push(`line ${x.line}: ${f.kind}`);
    }
    expect(other).toEqual([]);
  });

  it("Together's seed echoed in choices stays an exact u64 and is no violation", () => {
    const x = exchanges.find((e) => e.line === 24);
    const r = contract.response(x?.response ?? null, 'chat');
    expect(violations(r.findings)).toEqual([]);
    expect(kinds(r.findings)).toContain('unknown-field:/choices/*/seed');
    const choice = (r.value as unknown as { choices: { seed: unknown }[] }).choices[0];
    expect(choice?.seed).toBe(14663482367758619000n);
  });

  it('every error body classifies as expected', () => {
    const expected: Record<number, OpenAIErrorShape> = {
      8: 'tgi', 9: 'text', 11: 'text', 12: 'text', 17: 'tgi', 18: 'tgi', 34: 'tgi', 35: 'openai', 37: 'tgi', 42: 'openai',
    };
    const errors = exchanges.filter((x) => x.status >= 400);
    expect(errors.map((x) => x.line)).toEqual(Object.keys(expected).map(Number));
    for (const x of errors) {
      const r = contract.errorBody(x.response, x.response_text);
      expect(r.info.shape, `line ${x.line}`).toBe(expected[x.line]);
      expect(r.findings, `line ${x.line}`).toEqual([]);
      expect(r.info.message, `line ${x.line}`).toBeTruthy();
    }
    const openai = contract.errorBody(exchanges.find((x) => x.line === 35)?.response, undefined);
    expect(openai.info).toEqual({
      shape: 'openai', message: 'you must provide a model parameter', type: 'invalid_request_error', code: null,
    });
  });
});

// ── hand-made bodies ────────────────────────────────────────────────────────────────────────

const chat = (over: Record<string, unknown> = {}, choice: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'c1', object: 'chat.completion', created: 1, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop', logprobs: null, ...choice }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    ...over,
  });

describe('contract.response', () => {
  it.each<[string, string, 'chat' | 'completions' | 'models', string[], boolean]>([
    ['a minimal chat completion', chat(), 'chat', [], true],
    ['an empty id, null system_fingerprint, no usage', chat({ id: '', system_fingerprint: null, usage: undefined }), 'chat', [], true],
    ['choices missing', chat({ choices: undefined }), 'chat', ['required:/choices'], false],
    ['created as a string', chat({ created: '1' }), 'chat', ['type:/created'], false],
    ['model missing', chat({ model: undefined }), 'chat', ['required:/model'], false],
    ['message missing', chat({}, { message: undefined }), 'chat', ['required:/choices/*/message'], false],
    ['usage.total_tokens as a string', chat({ usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: '2' } }), 'chat', ['type:/usage/total_tokens'], false],
    ['finish_reason eos_token (judged by openai-finish-reason)', chat({}, { finish_reason: 'eos_token' }), 'chat', [], true],
    ['object text_completion on chat (judged by openai-object)', chat({ object: 'text_completion' }), 'chat', [], true],
    ['a choice index that is a string (judged by openai-choice-index)', chat({}, { index: '0' }), 'chat', [], true],
    ['refusal and bytes-less logprobs (TGI)', chat({}, { logprobs: { content: [{ token: 'a', logprob: -1, top_logprobs: [] }] } }), 'chat', [], true],
    ['tool calls with arguments as an object (judged by openai-tool-calls)',
      chat({}, { message: { role: 'assistant', tool_calls: [{ id: '0', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] } }), 'chat', [], true],
    ["TGI's tool-call message (no content key, description null)",
      chat({}, { message: { role: 'assistant', tool_calls: [{ id: '0', type: 'function', function: { description: null, name: 'f', arguments: '{"a":1}' } }] } }), 'chat', [], true],
    ['a tool call without id', chat({}, { message: { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] } }),
      'chat', ['required:/choices/*/message/tool_calls/*/id'], false],
    ['an unknown key is a warning', chat({ extra: 1 }), 'chat', ['unknown-field:/extra'], true],
    ['unknown keys inside a nullable usage are warnings', chat({ usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, time_info: {} } }),
      'chat', ['unknown-field:/usage/time_info'], true],
    ['completions-style logprobs on chat (judged by openai-logprobs)', chat({}, { logprobs: { tokens: ['a'], token_logprobs: [-1] } }), 'chat',
      [], true],
    ['a completion', JSON.stringify({ id: '', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'x', finish_reason: 'length', logprobs: null }] }), 'completions', [], true],
    ['a completion without text', JSON.stringify({ id: '', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'length' }] }), 'completions', ['required:/choices/*/text'], false],
    ['a model list', JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model', created: 0, owned_by: 'tgi' }] }), 'models', [], true],
    ['a model list missing data', JSON.stringify({ object: 'list' }), 'models', ['required:/data'], false],
  ])('%s', (_name, body, kind, expected, ok) => {
    const r = contract.response(json(body), kind);
    expect(kinds(r.findings)).toEqual(expected);
    expect(r.value !== undefined).toBe(ok);
    for (const f of r.findings) expect(f.check).toBe(OPENAI_CHECK.responseSchema);
  });
});

describe('contract.chunk', () => {
  const chunk = (choice: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    JSON.stringify({ id: '', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'a' }, ...choice }], ...over });
  it.each<[string, string, 'chat' | 'completions', string[], boolean]>([
    ['finish_reason absent (a warning elsewhere)', chunk({}), 'chat', [], true],
    ['a usage chunk with no choices', chunk({}, { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }), 'chat', [], true],
    ['role null in a later delta', chunk({ delta: { role: null, content: 'b' }, finish_reason: null }), 'chat', [], true],
    ["TGI's first tool-call delta", chunk({ delta: { role: 'assistant', tool_calls: [{ index: 0, id: '0', type: 'function', function: { name: 'f', arguments: '' } }] }, finish_reason: null }, { usage: null, system_fingerprint: '3.3.7-native' }), 'chat', [], true],
    ['a tool-call delta with only an index', chunk({ delta: { tool_calls: [{ index: 0, function: { arguments: '{' } }] } }), 'chat', [], true],
    ['a tool-call delta without index (judged by openai-tool-calls)', chunk({ delta: { tool_calls: [{ function: { arguments: '{' } }] } }), 'chat', [], true],
    ['a chunk without object (judged by openai-object)', chunk({}).replace('"object":"chat.completion.chunk",', ''), 'chat', [], true],
    ['delta missing', chunk({ delta: undefined }), 'chat', ['required:/choices/*/delta'], false],
    ['finish_reason "" on a completions chunk (judged by openai-finish-reason)',
      JSON.stringify({ id: '', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'a', finish_reason: '' }] }), 'completions', [], true],
  ])('%s', (_name, body, kind, expected, ok) => {
    const r = contract.chunk(json(body), kind, 3);
    expect(kinds(r.findings)).toEqual(expected);
    expect(r.value !== undefined).toBe(ok);
    for (const f of r.findings) {
      expect(f.check).toBe(OPENAI_CHECK.chunkSchema);
      expect(f.event).toBe(3);
    }
  });
});

describe('contract.request', () => {
  it.each<[string, string, 'chat' | 'completions', string[], boolean]>([
    ['every role, content parts, tools, response_format', JSON.stringify({
      messages: [
        { role: 'developer', content: 'd' },
        { role: 'system', content: [{ type: 'text', text: 's' }] },
        { role: 'user', content: [{ type: 'text', text: 'u' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }], name: 'n' },
        { role: 'assistant', content: null, tool_calls: [{ id: '0', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', content: 'r', tool_call_id: '0' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } },
      n: 1, stop: ['\n'], seed: 18446744073709551615n.toString(), temperature: 0.5, top_p: 0.9, frequency_penalty: 0, presence_penalty: 0,
      logprobs: true, top_logprobs: 2, max_tokens: 5, max_completion_tokens: 5, stream: true, stream_options: { include_usage: true },
    }).replace('"18446744073709551615"', '18446744073709551615'), 'chat', [], true],
    ['no model', '{"messages":[{"role":"user","content":"x"}]}', 'chat', [], true],
    ['a user message with a name: no spurious unknown field', '{"messages":[{"role":"user","content":"x","name":"a"}]}', 'chat', [], true],
    ['an unknown key in a message is one warning', '{"messages":[{"role":"user","content":"x","foo":1}]}', 'chat', ['unknown-field:/messages/*/foo'], true],
    ['a user message without content', '{"messages":[{"role":"user"}]}', 'chat', ['required:/messages/*/content'], false],
    ['temperature 3 (the official bound)', '{"messages":[{"role":"user","content":"x"}],"temperature":3}', 'chat', ['maximum:/temperature'], false],
    ['a seed beyond u64', '{"messages":[{"role":"user","content":"x"}],"seed":18446744073709551616}', 'chat', ['u64-range:/seed'], false],
    ['an unknown role names the role', '{"messages":[{"role":"wizard","content":"x"}]}', 'chat', ['enum:/messages/*/role'], false],
    ['content of no allowed type', '{"messages":[{"role":"user","content":5}]}', 'chat', ['type:/messages/*/content'], false],
    ['a text part without text', '{"messages":[{"role":"user","content":[{"type":"text"}]}]}', 'chat', ['required:/messages/*/content/*/text'], false],
    ['a tool message without tool_call_id', '{"messages":[{"role":"tool","content":"x"}]}', 'chat', ['required:/messages/*/tool_call_id'], false],
    ['stop of no allowed type', '{"messages":[{"role":"user","content":"x"}],"stop":5}', 'chat', ['type:/stop'], false],
    ['stop as a string (official)', '{"messages":[{"role":"user","content":"x"}],"stop":"\\n"}', 'chat', [], true],
    ['a completions prompt as token arrays', '{"prompt":[[1,2],[3]]}', 'completions', [], true],
    ['a completions request without prompt', '{"model":"m"}', 'completions', ['required:/prompt'], false],
  ])('%s', (_name, body, kind, expected, ok) => {
    const r = contract.request(json(body), kind);
    expect(kinds(r.findings)).toEqual(expected);
    expect(r.value !== undefined).toBe(ok);
    for (const f of r.findings) expect(f.check).toBe(OPENAI_CHECK.requestSchema);
  });

  it('keeps a u64 seed exact', () => {
    const r = contract.request(json('{"messages":[{"role":"user","content":"x"}],"seed":18446744073709551615}'), 'chat');
    expect((r.value as { seed?: unknown } | undefined)?.seed).toBe(18446744073709551615n);
  });
});

describe('contract.requestRejectReasons', () => {
  const msg = '[{"role":"user","content":"x"}]';
  it.each<[string, string, 'chat' | 'completions', string[]]>([
    ['a valid chat request', `{"messages":${msg}}`, 'chat', []],
    ['no model', `{"messages":${msg}}`, 'chat', []],
    ['temperature 3', `{"messages":${msg},"temperature":3}`, 'chat', []],
    ['stop as a string', `{"messages":${msg},"stop":"\\n"}`, 'chat', []],
    ['unknown keys', `{"messages":${msg},"return_full_text":false}`, 'chat', []],
    ['n 0 (TGI serves it: n unused)', `{"messages":${msg},"n":0}`, 'chat', []],
    ['nulls where servers read options', `{"messages":${msg},"max_tokens":null,"stream":null,"seed":null,"stop":null}`, 'chat', []],
    ['a body that is not an object', '[1]', 'chat', ['reject:not-an-object']],
    ['messages missing', '{"model":"m"}', 'chat', ['reject:messages-missing']],
    ['messages empty', '{"messages":[]}', 'chat', ['reject:messages-empty']],
    ['messages not an array', '{"messages":"hi"}', 'chat', ['reject:wrong-type:/messages']],
    ['max_tokens a string', `{"messages":${msg},"max_tokens":"5"}`, 'chat', ['reject:wrong-type:/max_tokens']],
    ['max_tokens a fraction', `{"messages":${msg},"max_tokens":1.5}`, 'chat', ['reject:wrong-type:/max_tokens']],
    ['stream not a boolean', `{"messages":${msg},"stream":"yes"}`, 'chat', ['reject:wrong-type:/stream']],
    ['temperature a string', `{"messages":${msg},"temperature":"hot"}`, 'chat', ['reject:wrong-type:/temperature']],
    ['stop with a number', `{"messages":${msg},"stop":[1]}`, 'chat', ['reject:wrong-type:/stop']],
    ['max_tokens 0', `{"messages":${msg},"max_tokens":0}`, 'chat', ['reject:below-minimum:/max_tokens']],
    ['max_completion_tokens -1', `{"messages":${msg},"max_completion_tokens":-1}`, 'chat', ['reject:below-minimum:/max_completion_tokens']],
    ['n -1', `{"messages":${msg},"n":-1}`, 'chat', ['reject:below-minimum:/n']],
    ['an unknown role', '{"messages":[{"role":"wizard","content":"x"}]}', 'chat', ['reject:unknown-role']],
    ['the deprecated function role', '{"messages":[{"role":"function","content":"x","name":"f"}]}', 'chat', ['reject:unknown-role']],
    ['a message without role', '{"messages":[{"content":"x"}]}', 'chat', ['reject:role-missing']],
    ['a message that is a string', '{"messages":["hi"]}', 'chat', ['reject:message-not-object']],
    ['a valid completions request', '{"prompt":"x","max_tokens":3}', 'completions', []],
    ['completions n 0 (TGI has no n)', '{"prompt":"x","n":0}', 'completions', []],
    ['prompt missing', '{"model":"m"}', 'completions', ['reject:prompt-missing']],
    ['prompt null', '{"prompt":null}', 'completions', ['reject:prompt-missing']],
    ['prompt an empty string', '{"prompt":""}', 'completions', ['reject:prompt-empty']],
    ['prompt an empty array', '{"prompt":[]}', 'completions', ['reject:prompt-empty']],
    ['prompt a number', '{"prompt":5}', 'completions', ['reject:wrong-type:/prompt']],
    ['prompt mixing strings and objects', '{"prompt":["a",{}]}', 'completions', ['reject:wrong-type:/prompt']],
    ['completions max_tokens 0', '{"prompt":"x","max_tokens":0}', 'completions', ['reject:below-minimum:/max_tokens']],
  ])('%s', (_name, body, kind, expected) => {
    const fs = contract.requestRejectReasons(json(body), kind);
    expect(kinds(fs)).toEqual(expected);
    for (const f of fs) {
      expect(f.check).toBe(OPENAI_REQUEST_REJECTION);
      expect(f.severity).toBe('violation');
    }
  });
});

describe('contract.errorBody', () => {
  it.each<[string, string | undefined, string | undefined, OpenAIErrorShape, string[], string | undefined]>([
    ["OpenAI's object", '{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}', undefined, 'openai', [], 'bad'],
    ["TGI's in-stream error", '{"error":{"message":"Input validation error","http_status_code":422}}', undefined, 'openai', [], 'Input validation error'],
    ["TGI's body", '{"error":"Model is overloaded","error_type":"overloaded"}', undefined, 'tgi', [], 'Model is overloaded'],
    ['text/plain', undefined, 'Failed to deserialize the JSON body', 'text', [], 'Failed to deserialize the JSON body'],
    ['a bare string error', '{"error":"boom"}', undefined, 'bare-string', ['bare-string'], 'boom'],
    ["vLLM's flat body", '{"object":"error","message":"bad","type":"BadRequestError","code":400}', undefined, 'flat', ['flat'], 'bad'],
    ['FastAPI detail', '{"detail":"x"}', undefined, 'other', ['unknown-shape'], undefined],
    ['an error object without message', '{"error":{"code":500}}', undefined, 'other', ['unknown-shape'], undefined],
    ['a JSON string', '"oops"', undefined, 'other', ['unknown-shape'], undefined],
  ])('%s', (_name, body, text, shape, expected, message) => {
    const r = contract.errorBody(body === undefined ? undefined : json(body), text);
    expect(r.info.shape).toBe(shape);
    expect(r.info.message).toBe(message);
    expect(kinds(r.findings)).toEqual(expected);
    for (const f of r.findings) {
      expect(f.check).toBe(OPENAI_CHECK.errorBody);
      expect(f.severity).toBe(f.kind === 'unknown-shape' ? 'violation' : 'warning');
    }
  });

  it('gives the status of TGI in-stream errors as the code', () => {
    expect(contract.errorBody(json('{"error":{"message":"m","http_status_code":422}}')).info.code).toBe(422);
  });
});

describe('contract.isErrorEvent', () => {
  it.each<[string, boolean]>([
    ['{"error":{"message":"m","http_status_code":422}}', true],
    ['{"error":"x","error_type":"validation"}', true],
    ['{"id":"","object":"chat.completion.chunk","choices":[]}', false],
    ['[{"error":1}]', false],
    ['null', false],
  ])('%s → %s', (data, expected) => {
    expect(contract.isErrorEvent(json(data))).toBe(expected);
  });
});

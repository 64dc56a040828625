import { fc, test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExactJson } from '../../core/json.js';
import { loadOpenAIContract, type OpenAIContract } from '../../contract/openai/contract.js';
import {
  DEFAULT_OPENAI_FEATURES,
  MAX_PORTABLE_SEED,
  OPENAI_FEATURE_NAMES,
  schemaInstance,
  simpleObjectSchema,
  validChatRequest,
  validCompletionRequest,
  type OpenAIFeatures,
} from './index.js';

type Obj = { [key: string]: ExactJson };
const isObj = (v: ExactJson | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ALL_ON: OpenAIFeatures = { n: true, tools: true, responseFormat: true, logprobs: true, images: true, streamOptions: true, maxCompletionTokens: true, promptArrays: true, stopString: true };
const ALL_OFF = Object.fromEntries(OPENAI_FEATURE_NAMES.map((n) => [n, false])) as unknown as OpenAIFeatures;

let contract: OpenAIContract;
beforeAll(async () => {
  contract = await loadOpenAIContract();
});

const ajv = new Ajv2020({ strict: true, allErrors: true });

/** Every JSON Schema a request carries: tool parameters and response_format.json_schema.schema. */
function schemasOf(body: Obj): Obj[] {
  const out: Obj[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools)) {
    for (const t of tools) if (isObj(t) && isObj(t['function']) && isObj(t['function']['parameters'])) out.push(t['function']['parameters']);
  }
  const rf = body['response_format'];
  if (isObj(rf) && isObj(rf['json_schema']) && isObj(rf['json_schema']['schema'])) out.push(rf['json_schema']['schema']);
  return out;
}

function toolNames(body: Obj): string[] {
  const tools = body['tools'];
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((t) => (isObj(t) && isObj(t['function']) && typeof t['function']['name'] === 'string' ? [t['function']['name']] : []));
}

function messagesOf(body: Obj): Obj[] {
  const m = body['messages'];
  return Array.isArray(m) ? m.filter(isObj) : [];
}

function floats(body: Obj): number[] {
  return ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty'].flatMap((k) => (typeof body[k] === 'number' ? [body[k]] : []));
}

/** What each feature switch governs, as a predicate on a chat or completions body. */
const USES: Record<keyof OpenAIFeatures, (body: Obj) => boolean> = {
  n: (b) => typeof b['n'] === 'number' && b['n'] > 1,
  tools: (b) => 'tools' in b || 'tool_choice' in b || messagesOf(b).some((m) => m['role'] === 'tool' || 'tool_calls' in m),
  responseFormat: (b) => 'response_format' in b,
  logprobs: (b) => 'logprobs' in b || 'top_logprobs' in b,
  images: (b) => messagesOf(b).some((m) => Array.isArray(m['content']) && m['content'].some((p) => isObj(p) && p['type'] === 'image_url')),
  streamOptions: (b) => 'stream_options' in b,
  maxCompletionTokens: (b) => 'max_completion_tokens' in b,
  promptArrays: (b) => Array.isArray(b['prompt']),
  stopString: (b) => typeof b['stop'] === 'string',
};

describe('validChatRequest', () => {
  test.prop([validChatRequest({ model: 'm', features: ALL_ON })], { numRuns: 400 })(
    'is valid under the OpenAI contract: no schema finding, no reason to reject',
    (body) => {
      expect(contract.request(body, 'chat').findings).toEqual([]);
      expect(contract.requestRejectReasons(body, 'chat')).toEqual([]);
    },
  );

  test.prop([validChatRequest({ maxTokens: 5, maxStopSequences: 2, maxTopLogprobs: 3, features: ALL_ON })], { numRuns: 300 })(
    'keeps to the limits: one token limit in 1..maxTokens, stop and top_logprobs within the server limits',
    (body) => {
      const limits = ['max_tokens', 'max_completion_tokens'].filter((k) => k in body);
      expect(limits).toHaveLength(1);
      const limit = body[limits[0] ?? ''];
      expect(typeof limit === 'number' && limit >= 1 && limit <= 5).toBe(true);
      if (Array.isArray(body.stop)) expect(body.stop.length).toBeLessThanOrEqual(2);
      if (body.top_logprobs !== undefined && body.top_logprobs !== null) {
        expect(body.logprobs).toBe(true);
        expect(body.top_logprobs).toBeLessThanOrEqual(3);
      }
      expect('model' in body).toBe(false);
    },
  );

  test.prop([validChatRequest({ features: ALL_ON })], { numRuns: 300 })(
    'keeps floats exact in f32, top_p inside (0, 1), presence_penalty above -2, seeds within int64',
    (body) => {
      for (const v of floats(body)) expect(Math.fround(v)).toBe(v);
      if (typeof body.top_p === 'number') expect(body.top_p > 0 && body.top_p < 1).toBe(true);
      if (typeof body.presence_penalty === 'number') expect(body.presence_penalty).toBeGreaterThan(-2);
      const seed = body.seed;
      if (typeof seed === 'bigint') {
        expect(seed > BigInt(Number.MAX_SAFE_INTEGER) && seed <= MAX_PORTABLE_SEED).toBe(true);
      } else if (seed !== undefined && seed !== null) {
        expect(Number.isSafeInteger(seed) && seed >= 0).toBe(true);
      }
      if (typeof body.n === 'number' && body.n > 1) expect(body.temperature).not.toBe(0);
    },
  );

  test.prop([validChatRequest({ features: ALL_ON })], { numRuns: 300 })(
    'offers tools or a response_format, never both; a named tool_choice and every tool call name an offered tool',
    (body) => {
      expect('tools' in body && 'response_format' in body).toBe(false);
      const names = toolNames(body);
      expect(new Set(names).size).toBe(names.length);
      const choice = body.tool_choice;
      if (isObj(choice as ExactJson)) {
        const c = choice as unknown as Obj;
        expect(names).toContain(isObj(c['function']) ? c['function']['name'] : undefined);
      }
      for (const m of messagesOf(body)) {
        const calls = m['tool_calls'];
        if (!Array.isArray(calls)) continue;
        for (const call of calls) {
          expect(isObj(call) && isObj(call['function'])).toBe(true);
          const fn = (call as Obj)['function'] as Obj;
          expect(names).toContain(fn['name']);
          // The arguments are JSON valid for the called tool's parameters.
          const tool = (body.tools as unknown as Obj[]).find((t) => (t['function'] as Obj)['name'] === fn['name']) as Obj;
          const validate = ajv.compile((tool['function'] as Obj)['parameters'] as object);
          expect(validate(JSON.parse(fn['arguments'] as string)), JSON.stringify(validate.errors)).toBe(true);
        }
      }
    },
  );

  test.prop([validChatRequest({ features: ALL_ON })], { numRuns: 300 })('every JSON Schema it carries compiles under ajv (2020-12, strict)', (body) => {
    for (const schema of schemasOf(body)) expect(() => ajv.compile(schema)).not.toThrow();
  });

  test.prop([validChatRequest({ features: ALL_ON })], { numRuns: 300 })(
    'orders messages as chat templates accept: optional system/developer, user/assistant turns, a tool answer right after its call',
    (body) => {
      const roles = messagesOf(body).map((m) => m['role']);
      const rest = roles[0] === 'system' || roles[0] === 'developer' ? roles.slice(1) : roles;
      expect(rest[0]).toBe('user');
      const last = rest[rest.length - 1];
      expect(last === 'user' || last === 'tool').toBe(true);
      const messages = messagesOf(body);
      messages.forEach((m, i) => {
        if (m['role'] !== 'tool') return;
        const before = messages[i - 1];
        const calls = before?.['tool_calls'];
        expect(Array.isArray(calls)).toBe(true);
        expect((calls as Obj[]).map((c) => c['id'])).toContain(m['tool_call_id']);
      });
      for (let i = 1; i < rest.length; i++) {
        if (rest[i] === 'tool' || rest[i - 1] === 'tool') continue;
        expect(rest[i], `turn ${i} of ${rest.join(',')}`).not.toBe(rest[i - 1]);
      }
    },
  );

  test.prop([validChatRequest({ features: ALL_ON })], { numRuns: 200 })('asks for JSON in words when response_format is json_object', (body) => {
    if (!isObj(body.response_format as ExactJson) || (body.response_format as unknown as Obj)['type'] !== 'json_object') return;
    expect(JSON.stringify(body.messages)).toMatch(/JSON/);
  });

  test.prop([validChatRequest({ stream: true, features: ALL_ON }), validChatRequest({ stream: false, features: ALL_ON })], { numRuns: 200 })(
    'streams exactly as asked; stream_options only on a stream',
    (streamed, plain) => {
      expect(streamed.stream).toBe(true);
      expect(plain.stream === undefined || plain.stream === false).toBe(true);
      expect('stream_options' in plain).toBe(false);
    },
  );

  test.prop([validChatRequest({ features: ALL_OFF })], { numRuns: 300 })('uses no feature that is switched off', (body) => {
    for (const name of OPENAI_FEATURE_NAMES) expect(USES[name](body), name).toBe(false);
  });

  for (const name of OPENAI_FEATURE_NAMES) {
    test.prop([validChatRequest({ features: { ...ALL_ON, [name]: false } })], { numRuns: 60 })(`without ${name}, never uses it`, (body) => {
      expect(USES[name](body)).toBe(false);
    });
  }

  it('exercises every form it can draw: each role, parts, images, tool round-trips, each tool_choice and format, big seeds', () => {
    const bodies = fc.sample(validChatRequest({ features: ALL_ON }), { seed: 42, numRuns: 600 });
    const roles = new Set(bodies.flatMap((b) => messagesOf(b).map((m) => m['role'])));
    expect([...roles].sort()).toEqual(['assistant', 'developer', 'system', 'tool', 'user']);
    const seen = (p: (b: Obj) => boolean) => bodies.some(p);
    expect(seen((b) => messagesOf(b).some((m) => Array.isArray(m['content'])))).toBe(true);
    expect(seen(USES.images)).toBe(true);
    for (const mode of ['none', 'auto', 'required']) expect(seen((b) => b['tool_choice'] === mode), mode).toBe(true);
    expect(seen((b) => isObj(b['tool_choice']))).toBe(true);
    for (const type of ['text', 'json_object', 'json_schema']) {
      expect(seen((b) => isObj(b['response_format']) && b['response_format']['type'] === type), type).toBe(true);
    }
    expect(seen((b) => isObj(b['response_format']) && isObj(b['response_format']['json_schema']) && b['response_format']['json_schema']['strict'] === true)).toBe(true);
    expect(seen((b) => typeof b['seed'] === 'bigint')).toBe(true);
    expect(seen((b) => typeof b['stop'] === 'string')).toBe(true);
    expect(seen((b) => b['temperature'] === 0)).toBe(true);
    expect(seen((b) => b['max_completion_tokens'] !== undefined)).toBe(true);
    expect(seen((b) => isObj(b['stream_options']) && b['stream_options']['include_usage'] === true)).toBe(true);
    expect(seen((b) => typeof b['n'] === 'number' && b['n'] > 1)).toBe(true);
    expect(seen((b) => b['logprobs'] === true && typeof b['top_logprobs'] === 'number')).toBe(true);
  });

  it('leaves images and a bare-string stop off by default', () => {
    expect(DEFAULT_OPENAI_FEATURES.images).toBe(false);
    expect(DEFAULT_OPENAI_FEATURES.stopString).toBe(false);
    for (const b of fc.sample(validChatRequest(), { seed: 1, numRuns: 300 })) {
      expect(USES.images(b) || USES.stopString(b)).toBe(false);
    }
  });

  it('rejects bad constraints eagerly', () => {
    expect(() => validChatRequest({ maxTokens: 0 })).toThrow(/maxTokens/);
    expect(() => validChatRequest({ features: { teleport: true } as Partial<OpenAIFeatures> })).toThrow(/unknown feature "teleport"/);
    expect(() => validCompletionRequest({ maxPrompts: 0 })).toThrow(/maxPrompts/);
  });
});

describe('validCompletionRequest', () => {
  test.prop([validCompletionRequest({ model: 'm', features: ALL_ON })], { numRuns: 400 })(
    'is valid under the OpenAI contract: no schema finding, no reason to reject',
    (body) => {
      expect(contract.request(body, 'completions').findings).toEqual([]);
      expect(contract.requestRejectReasons(body, 'completions')).toEqual([]);
      expect(body.model).toBe('m');
    },
  );

  test.prop([validCompletionRequest({ maxTokens: 4, maxPrompts: 3, features: ALL_ON })], { numRuns: 300 })(
    'a non-empty prompt of strings, max_tokens in 1..maxTokens, exact floats, logprobs 0..5',
    (body) => {
      const prompt = body.prompt;
      if (Array.isArray(prompt)) {
        expect(prompt.length).toBeGreaterThanOrEqual(1);
        expect(prompt.length).toBeLessThanOrEqual(3);
        for (const p of prompt) expect(typeof p === 'string' && p.length > 0).toBe(true);
      } else {
        expect(typeof prompt === 'string' && prompt.length > 0).toBe(true);
      }
      expect(body.max_tokens).toBeGreaterThanOrEqual(1);
      expect(body.max_tokens).toBeLessThanOrEqual(4);
      for (const v of floats(body)) expect(Math.fround(v)).toBe(v);
      if (body.logprobs !== undefined && body.logprobs !== null) expect(body.logprobs >= 0 && body.logprobs <= 5).toBe(true);
      if ('stream_options' in body) expect(body.stream).toBe(true);
    },
  );

  test.prop([validCompletionRequest({ features: ALL_OFF })], { numRuns: 300 })('uses no feature that is switched off', (body) => {
    for (const name of OPENAI_FEATURE_NAMES) expect(USES[name](body), name).toBe(false);
  });

  it('draws array prompts, logprobs and streams with include_usage', () => {
    const bodies = fc.sample(validCompletionRequest({ features: ALL_ON }), { seed: 7, numRuns: 300 });
    expect(bodies.some((b) => Array.isArray(b.prompt) && b.prompt.length === 2)).toBe(true);
    expect(bodies.some((b) => typeof b.logprobs === 'number')).toBe(true);
    expect(bodies.some((b) => isObj(b['stream_options'] as ExactJson))).toBe(true);
    expect(bodies.some((b) => b.stream === true) && bodies.some((b) => b.stream !== true)).toBe(true);
  });
});

describe('simpleObjectSchema', () => {
  test.prop([fc.boolean().chain((strict) => simpleObjectSchema({ strict }).map((schema) => ({ strict, schema })))], { numRuns: 300 })(
    'compiles under ajv; strict ones require every property and close the object; instances validate',
    ({ strict, schema }) => {
      const validate = ajv.compile(schema);
      const props = Object.keys(schema['properties'] as Obj);
      expect(props.length).toBeGreaterThanOrEqual(1);
      if (strict) {
        expect(schema['required']).toEqual(props);
        expect(schema['additionalProperties']).toBe(false);
      }
      for (const instance of fc.sample(schemaInstance(schema), 5)) {
        expect(validate(instance), JSON.stringify(validate.errors)).toBe(true);
      }
    },
  );
});

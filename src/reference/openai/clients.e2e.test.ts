/**
 * The official clients against the conformant reference server's OpenAI-compatible routes, over
 * a real port: the openai npm client 6.30.1 (create with n, logprobs, json_schema; streams with
 * include_usage; the `.stream()` helper with a tool call; `runTools`; completions; models) and
 * @huggingface/inference 4.13.16 (chatCompletion, chatCompletionStream). Each result is checked
 * for what a user reads: the text, the model id, the finish_reason, usage that adds up, and the
 * same content streamed as not. Validation errors surface as each client's API error with the
 * status (422 profile tgi, 400 profile openai) and the server's message.
 */
import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../server.js';
import type { ReferenceServer } from '../server.js';

const MODEL = 'tgc/reference-model';
const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'];
const HELLO = [{ role: 'user' as const, content: 'Tell me a story.' }];
const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

function expectUsage(usage: Usage | null | undefined, completionTokens?: number): void {
  expect(usage).toBeDefined();
  if (!usage) return;
  expect(usage.prompt_tokens).toBeGreaterThan(0);
  expect(usage.completion_tokens).toBeGreaterThan(0);
  expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  if (completionTokens !== undefined) expect(usage.completion_tokens).toBe(completionTokens);
}

const client = (server: ReferenceServer): OpenAI =>
  new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0, timeout: 10_000 });

describe('openai-node 6.30.1 against the conformant reference server', () => {
  let server: ReferenceServer;
  let openai: OpenAI;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
    openai = client(server);
  });
  afterAll(() => server.close());

  it('chat.completions.create: text, the model id, a finish_reason of the enum, usage that adds up', async () => {
    const r = await openai.chat.completions.create({ model: MODEL, messages: HELLO, max_tokens: 8, seed: 7 });
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(r.model).toBe(MODEL);
    expect(r.choices).toHaveLength(1);
    const [choice] = r.choices;
    expect(choice?.index).toBe(0);
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content?.trim().length).toBeGreaterThan(0);
    expect(FINISH_REASONS).toContain(choice?.finish_reason);
    expect(choice?.finish_reason).toBe('length');
    expectUsage(r.usage, 8);
  });

  it('n=2: two choices, indexed 0 and 1, each with text; usage counts both', async () => {
    const r = await openai.chat.completions.create({ model: MODEL, messages: HELLO, max_tokens: 5, seed: 3, n: 2 });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1]);
    for (const c of r.choices) expect(c.message.content?.trim().length).toBeGreaterThan(0);
    expect(r.choices[0]?.message.content).not.toBe(r.choices[1]?.message.content);
    expectUsage(r.usage, 10);
  });

  it('logprobs with top_logprobs: one entry per token, k alternatives each, tokens spelling the content', async () => {
    const r = await openai.chat.completions.create({ model: MODEL, messages: HELLO, max_tokens: 5, seed: 3, logprobs: true, top_logprobs: 2 });
    const choice = r.choices[0];
    const entries = choice?.logprobs?.content ?? [];
    expect(entries).toHaveLength(5);
    for (const e of entries) {
      expect(e.logprob).toBeLessThanOrEqual(0);
      expect(e.top_logprobs).toHaveLength(2);
      expect(Buffer.from(e.bytes ?? []).toString('utf8')).toBe(e.token);
    }
    expect(entries.map((e) => e.token).join('')).toBe(choice?.message.content);
  });

  it('response_format json_schema: the content parses and follows the schema', async () => {
    const r = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'A person, as JSON.' }],
      max_tokens: 200,
      seed: 3,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string', maxLength: 20 }, age: { type: 'integer', minimum: 0, maximum: 120 } },
            required: ['name', 'age'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(r.choices[0]?.finish_reason).toBe('stop');
    const person = JSON.parse(r.choices[0]?.message.content ?? 'null') as { name: unknown; age: unknown };
    expect(Object.keys(person).sort()).toEqual(['age', 'name']);
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
    expectUsage(r.usage);
  });

  it('stream with include_usage, iterated to the end: the content assembles to the non-stream one; exactly one usage chunk', async () => {
    const body = { model: MODEL, messages: HELLO, max_tokens: 6, seed: 11 };
    const whole = await openai.chat.completions.create(body);
    const stream = await openai.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let content = '';
    const usages: Usage[] = [];
    const finishes: (string | null)[] = [];
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe(MODEL);
      if (chunk.usage) usages.push(chunk.usage);
      for (const c of chunk.choices) {
        content += c.delta.content ?? '';
        finishes.push(c.finish_reason);
      }
    }
    expect(chunks).toBe(7); // 6 tokens, then the usage chunk
    expect(content).toBe(whole.choices[0]?.message.content);
    expect(finishes.slice(0, -1).every((f) => f === null)).toBe(true);
    expect(finishes.at(-1)).toBe(whole.choices[0]?.finish_reason);
    expect(usages).toHaveLength(1);
    expect(usages[0]).toEqual(whole.usage);
  });

  it('the .stream() helper with a required tool: finalChatCompletion has one call with JSON string arguments, finish_reason tool_calls', async () => {
    const stream = openai.chat.completions.stream({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      max_tokens: 64,
      seed: 21,
      tools: [WEATHER],
      tool_choice: 'required',
      stream_options: { include_usage: true },
    });
    const done: string[] = [];
    stream.on('tool_calls.function.arguments.done', (e) => done.push(e.arguments));
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.role).toBe('assistant');
    const calls = choice?.message.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(call.function.name).toBe('get_weather');
    expect(typeof call.function.arguments).toBe('string');
    const args = JSON.parse(call.function.arguments) as { city: unknown };
    expect(typeof args.city).toBe('string');
    expect(done).toEqual([call.function.arguments]);
    expect(final.model).toBe(MODEL);
    expectUsage(final.usage);
  });

  it('runTools with a named tool: the function runs once with the parsed arguments, its result is sent back as the tool message', async () => {
    const seen: { city: string }[] = [];
    const runner = openai.chat.completions.runTools({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      max_tokens: 64,
      seed: 21,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: WEATHER.function.description,
            parameters: WEATHER.function.parameters,
            parse: (text: string) => JSON.parse(text) as { city: string },
            function: (args: { city: string }) => {
              seen.push(args);
              return `Sunny in ${args.city}`;
            },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const result = await runner.finalFunctionToolCallResult();
    expect(seen).toHaveLength(1);
    expect(typeof seen[0]?.city).toBe('string');
    expect(result).toBe(`Sunny in ${seen[0]?.city ?? ''}`);
    const tool = runner.messages.at(-1);
    expect(tool).toMatchObject({ role: 'tool', content: result });
  });

  it('completions.create, plain and streamed: the same text, the model id, usage that adds up', async () => {
    const body = { model: MODEL, prompt: 'Once upon a time', max_tokens: 5, seed: 3 };
    const r = await openai.completions.create(body);
    expect(r.object).toBe('text_completion');
    expect(r.id).toMatch(/^cmpl-[0-9a-f]{24}$/);
    expect(r.model).toBe(MODEL);
    const text = r.choices[0]?.text ?? '';
    expect(text.trim().length).toBeGreaterThan(0);
    expect(FINISH_REASONS).toContain(r.choices[0]?.finish_reason);
    expectUsage(r.usage, 5);
    const stream = await openai.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let streamed = '';
    const usages: Usage[] = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      streamed += chunk.choices.map((c) => c.text).join('');
      if (chunk.usage) usages.push(chunk.usage);
    }
    expect(streamed).toBe(text);
    expect(usages).toEqual([r.usage]);
  });

  it('models.list: the one model, with its id', async () => {
    const ids: string[] = [];
    for await (const m of await openai.models.list()) {
      expect(m.object).toBe('model');
      expect(m.owned_by).toBe('tgc');
      expect(Number.isInteger(m.created)).toBe(true);
      ids.push(m.id);
    }
    expect(ids).toEqual([MODEL]);
  });

  it('an invalid request (messages empty): APIError 422 with the message, before any stream', async () => {
    for (const stream of [false, true]) {
      const e = await openai.chat.completions.create({ model: MODEL, messages: [], max_tokens: 4, stream }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, `stream ${String(stream)}`).toBeInstanceOf(APIError);
      expect(e).toBeInstanceOf(OpenAI.UnprocessableEntityError);
      expect((e as APIError).status).toBe(422);
      expect((e as APIError).message).toContain('`messages` must contain at least one message');
    }
  });
});

describe('openai-node 6.30.1 against profile openai: OpenAI\'s error object', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, profile: 'openai' });
  });
  afterAll(() => server.close());

  it('an invalid request: BadRequestError 400 with the message, code, param and type read from the body', async () => {
    const e = await client(server)
      .chat.completions.create({ model: MODEL, messages: [], max_tokens: 4 })
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages', code: 'openai:messages-empty' });
    expect((e as APIError).message).toBe('400 Input validation error: `messages` must contain at least one message');
  });
});

describe('@huggingface/inference 4.13.16 against the conformant reference server', () => {
  let server: ReferenceServer;
  const urls: string[] = [];
  /** The client's fetch, recording the URL it posts to. */
  const recording: typeof fetch = (input, init) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(() => server.close());

  it('chatCompletion (endpointUrl ending in /v1: the client appends /chat/completions): text, the model id, usage', async () => {
    const hf = new InferenceClient();
    urls.length = 0;
    const r = await hf.chatCompletion(
      { endpointUrl: `${server.url}/v1`, model: MODEL, messages: HELLO, max_tokens: 6, seed: 5 },
      { retry_on_error: false, fetch: recording },
    );
    expect(urls).toEqual([`${server.url}/v1/chat/completions`]);
    expect(r.object).toBe('chat.completion');
    expect(r.model).toBe(MODEL);
    expect(r.choices[0]?.message.content?.trim().length).toBeGreaterThan(0);
    expect(r.choices[0]?.finish_reason).toBe('length');
    expectUsage(r.usage as Usage, 6);
  });

  it('chatCompletionStream (endpointUrl the route itself): the content assembles to the non-stream one; one usage', async () => {
    const hf = new InferenceClient();
    const endpointUrl = `${server.url}/v1/chat/completions`;
    const body = { endpointUrl, model: MODEL, messages: HELLO, max_tokens: 6, seed: 5 };
    urls.length = 0;
    const whole = await hf.chatCompletion(body, { retry_on_error: false, fetch: recording });
    let content = '';
    const usages: unknown[] = [];
    let finish: unknown;
    for await (const chunk of hf.chatCompletionStream({ ...body, stream_options: { include_usage: true } }, { retry_on_error: false, fetch: recording })) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe(MODEL);
      for (const c of chunk.choices) {
        content += c.delta.content ?? '';
        finish = c.finish_reason ?? finish;
      }
      if (chunk.usage) usages.push(chunk.usage);
    }
    expect(urls).toEqual([endpointUrl, endpointUrl]);
    expect(content).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe('length');
    expect(usages).toEqual([whole.usage]);
  });

  it('an invalid request (messages empty): InferenceClientProviderApiError with status 422 and the message', async () => {
    const hf = new InferenceClient();
    const args = { endpointUrl: `${server.url}/v1`, model: MODEL, messages: [], max_tokens: 4 };
    const e = await hf.chatCompletion(args, { retry_on_error: false }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InferenceClientProviderApiError);
    expect((e as InferenceClientProviderApiError).httpResponse.status).toBe(422);
    expect((e as Error).message).toBe('Failed to perform inference: Input validation error: `messages` must contain at least one message');
    const s = await (async () => {
      for await (const _ of hf.chatCompletionStream(args, { retry_on_error: false })) return undefined;
      return undefined;
    })().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(s).toBeInstanceOf(InferenceClientProviderApiError);
    expect((s as InferenceClientProviderApiError).httpResponse.status).toBe(422);
    expect((s as Error).message).toContain('`messages` must contain at least one message');
  });
});

/**
 * The request matrix the OpenAI-compatible routes are judged on (unit and end-to-end tests):
 * valid requests over every feature (each also as a stream), and one invalid request per
 * validation rule. The default server must answer every one with no finding of any check.
 */
import type { Case } from './exchanges.js';

const CHAT = 'POST /v1/chat/completions' as const;
const COMPLETIONS = 'POST /v1/completions' as const;

const user = (content: string) => ({ role: 'user', content });

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
    strict: true,
  },
};

export const TIME_TOOL = {
  type: 'function',
  function: {
    name: 'get_time',
    parameters: { type: 'object', properties: { zone: { type: 'string' }, offset: { type: 'integer', minimum: -12, maximum: 14 } }, required: ['zone'] },
  },
};

export const PERSON_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0, maximum: 120 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
  },
  required: ['name', 'age', 'tags'],
  additionalProperties: false,
};

/** Valid requests, non-stream; `stop` cases are built from a first answer (stopCases). */
export function validCases(): Case[] {
  const hello = [user('Hello, how are you?')];
  const cases: Case[] = [
    { label: 'plain chat', route: CHAT, body: { model: 'tgc/reference-model', messages: hello, max_tokens: 8, seed: 1 } },
    { label: 'system + user', route: CHAT, body: { messages: [{ role: 'system', content: 'You are terse.' }, user('Name a river.')], max_completion_tokens: 12, seed: 2 } },
    {
      label: 'every role, text and image parts',
      route: CHAT,
      body: {
        messages: [
          { role: 'developer', content: 'Answer in one word.' },
          { role: 'user', content: [{ type: 'text', text: 'What is in ' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }, { type: 'text', text: 'this image?' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '21 degrees' },
        ],
        max_tokens: 6,
        seed: 3,
      },
    },
    { label: 'n = 2', route: CHAT, body: { messages: hello, n: 2, max_tokens: 6, seed: 4 } },
    { label: 'greedy (temperature 0), top_p, penalties', route: CHAT, body: { messages: hello, max_tokens: 6, temperature: 0, frequency_penalty: 0.5, presence_penalty: 0.5 } },
    { label: 'temperature, top_p 1 and 0.9', route: CHAT, body: { messages: hello, max_tokens: 6, temperature: 0.7, top_p: 0.9, seed: 5 } },
    { label: 'top_p 1 (off)', route: CHAT, body: { messages: hello, max_tokens: 4, top_p: 1, seed: 6 } },
    { label: 'no limit (default 100 tokens)', route: CHAT, body: { messages: hello, seed: 7 } },
    { label: 'logprobs + top_logprobs', route: CHAT, body: { messages: hello, max_tokens: 6, seed: 8, logprobs: true, top_logprobs: 3 } },
    { label: 'logprobs without top_logprobs', route: CHAT, body: { messages: hello, max_tokens: 4, seed: 8, logprobs: true } },
    { label: 'u64 seed', route: CHAT, body: { messages: hello, max_tokens: 4, seed: 18446744073709551615n } },
    { label: 'json_object', route: CHAT, body: { messages: [user('Answer in JSON.')], max_tokens: 64, seed: 9, response_format: { type: 'json_object' } } },
    {
      label: 'json_schema strict',
      route: CHAT,
      body: { messages: [user('A person, as JSON.')], max_tokens: 200, seed: 10, response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON_SCHEMA, strict: true } } },
    },
    { label: 'tools auto (no_tool drawn: text)', route: CHAT, body: { messages: [user('Weather in Paris?')], max_tokens: 80, seed: 11, tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'auto' } },
    { label: 'tools auto, no tool_choice (a tool drawn)', route: CHAT, body: { messages: [user('Weather in Paris?')], max_tokens: 80, seed: 13, tools: [WEATHER_TOOL, TIME_TOOL] } },
    { label: 'tools none', route: CHAT, body: { messages: [user('Weather in Paris?')], max_tokens: 8, seed: 11, tools: [WEATHER_TOOL], tool_choice: 'none' } },
    { label: 'tools required', route: CHAT, body: { messages: [user('Weather in Paris?')], max_tokens: 80, seed: 13, tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'required' } },
    {
      label: 'tools named',
      route: CHAT,
      body: { messages: [user('What time is it?')], max_tokens: 80, seed: 14, tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: { type: 'function', function: { name: 'get_time' } } },
    },
    { label: 'tools required, n = 2', route: CHAT, body: { messages: [user('Weather?')], max_tokens: 80, seed: 15, n: 2, tools: [WEATHER_TOOL], tool_choice: 'required' } },
    { label: 'completions, string prompt', route: COMPLETIONS, body: { model: 'tgc/reference-model', prompt: 'Once upon a time', max_tokens: 8, seed: 1 } },
    { label: 'completions, array prompt', route: COMPLETIONS, body: { prompt: ['Once upon a time', 'The quick brown fox'], max_tokens: 6, seed: 2 } },
    { label: 'completions, array prompt, n = 2', route: COMPLETIONS, body: { prompt: ['Hello', 'World'], n: 2, max_tokens: 4, seed: 3 } },
    { label: 'completions, logprobs', route: COMPLETIONS, body: { prompt: 'The quick brown fox', max_tokens: 6, seed: 4, logprobs: 3 } },
    { label: 'completions, logprobs 0', route: COMPLETIONS, body: { prompt: 'The quick brown fox', max_tokens: 3, seed: 4, logprobs: 0 } },
    { label: 'completions, greedy', route: COMPLETIONS, body: { prompt: 'The quick brown fox', max_tokens: 5, temperature: 0 } },
  ];
  return cases;
}

/** The stream variant of a valid case (with include_usage, and without for half of them). */
export function streamed(c: Case, i: number): Case {
  const body = { ...(c.body as object), stream: true, ...(i % 2 === 0 ? { stream_options: { include_usage: true } } : {}) };
  return { ...c, label: `${c.label} (stream${i % 2 === 0 ? ', include_usage' : ''})`, body };
}

/** Stop cases: `stop` strings taken from a first answer's content. */
export function stopCases(content: string, body: object): Case[] {
  const words = content.split(/(?=\s)/).filter((w) => w.trim() !== '');
  const second = words[1] ?? words[0] ?? 'the';
  const third = words[2] ?? second;
  return [
    { label: 'stop string', route: CHAT, body: { ...body, stop: second.trim() } },
    { label: 'stop array', route: CHAT, body: { ...body, stop: ['zzzz', third.trim(), 'qqqq'] } },
    { label: 'stop string (stream)', route: CHAT, body: { ...body, stop: second.trim(), stream: true } },
    { label: 'stop array (stream, include_usage)', route: CHAT, body: { ...body, stop: ['zzzz', third.trim()], stream: true, stream_options: { include_usage: true } } },
  ];
}

/** One invalid request per validation rule (status 4xx expected, before any stream). */
export function invalidCases(): Case[] {
  const hello = [user('Hello')];
  const chat = (label: string, extra: object): Case => ({ label, route: CHAT, body: { messages: hello, max_tokens: 4, ...extra } });
  const completions = (label: string, extra: object): Case => ({ label, route: COMPLETIONS, body: { prompt: 'Hello', max_tokens: 4, ...extra } });
  const long = Array.from({ length: 1100 }, () => 'word').join(' ');
  return [
    { label: 'body not JSON', route: CHAT, text: '{"messages": [' },
    { label: 'wrong content type', route: CHAT, body: { messages: hello }, headers: { 'content-type': 'text/plain' } },
    { label: 'messages missing', route: CHAT, body: { max_tokens: 4 } },
    chat('messages not an array', { messages: 'Hello' }),
    chat('messages empty', { messages: [] }),
    chat('unknown role', { messages: [{ role: 'robot', content: 'Hello' }] }),
    chat('role missing', { messages: [{ content: 'Hello' }] }),
    chat('max_tokens a string', { max_tokens: 'ten' }),
    chat('max_tokens 0', { max_tokens: 0 }),
    chat('max_tokens negative', { max_tokens: -1 }),
    chat('max_completion_tokens 0', { max_completion_tokens: 0 }),
    chat('temperature > 2', { temperature: 3 }),
    chat('temperature < 0', { temperature: -0.5 }),
    chat('top_p > 1', { top_p: 1.5 }),
    chat('frequency_penalty > 2', { frequency_penalty: 3 }),
    chat('presence_penalty < -2', { presence_penalty: -3 }),
    chat('too many stop sequences', { stop: ['a', 'b', 'c', 'd', 'e'] }),
    chat('n 0', { n: 0 }),
    chat('n 129', { n: 129 }),
    chat('top_logprobs 21', { logprobs: true, top_logprobs: 21 }),
    chat('seed negative', { seed: -1 }),
    chat('stream not a boolean', { stream: 'yes' }),
    chat('tool_choice required without tools', { tool_choice: 'required' }),
    chat('tool_choice names an unknown function', { tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'nope' } } }),
    chat('tools with response_format', { tools: [WEATHER_TOOL], response_format: { type: 'json_object' } }),
    chat('tool parameters the grammar cannot follow (not)', {
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { not: { type: 'string' } } } } } }],
    }),
    chat('response_format schema not a JSON Schema', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 5 } } } }),
    chat('response_format schema with if/then', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: {}, if: { required: ['a'] }, then: {} } } } }),
    chat('prompt over max_input_tokens', { messages: [user(long)] }),
    chat('validation error on a stream request', { temperature: 3, stream: true }),
    chat('validation error on a stream request (max_tokens 0)', { max_tokens: 0, stream: true, stream_options: { include_usage: true } }),
    { label: 'completions: prompt missing', route: COMPLETIONS, body: { max_tokens: 4 } },
    completions('completions: prompt empty string', { prompt: '' }),
    completions('completions: prompt empty list', { prompt: [] }),
    completions('completions: more prompts than max_client_batch_size', { prompt: ['a', 'b', 'c', 'd', 'e'] }),
    completions('completions: suffix', { suffix: ' end' }),
    completions('completions: echo', { echo: true }),
    completions('completions: logprobs 6', { logprobs: 6 }),
    completions('completions: max_tokens 0', { max_tokens: 0 }),
    completions('completions: temperature > 2, stream', { temperature: 2.5, stream: true }),
  ];
}

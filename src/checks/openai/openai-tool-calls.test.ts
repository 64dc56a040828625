import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  chunk,
  completionView,
  openaiChunks,
  outcomeOf,
  strictTool,
  TIME_TOOL,
  toolCall,
  togetherChunks,
  WEATHER_TOOL,
  type Json,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiToolCalls } from './openai-tool-calls.js';

const offered = (extra: Json = {}) => chatRequest({ tools: [WEATHER_TOOL, TIME_TOOL], ...extra });
const ARGS = '{"location":"Paris"}';
const called = (calls: unknown, request: Json | null = offered(), finish: unknown = 'tool_calls') =>
  chatView({ request, choices: [{ content: null, toolCalls: calls, finish }] });

/** A stream of tool-call fragments as OpenAI sends them: id, type and name first, then argument pieces. */
function callStream(fragments: Json[][], request: Json = offered({ stream: true }), finish: unknown = 'tool_calls'): OpenAIExchangeView {
  return chatStreamView({
    request,
    chunks: [
      chunk([{ delta: { role: 'assistant', content: null } }]),
      ...fragments.map((tool_calls) => chunk([{ delta: { tool_calls } }])),
      chunk([{ delta: {}, finish }]),
    ],
  });
}
const first = (index: unknown, name = 'get_weather', args = '') => ({ index, id: 'call_1', type: 'function', function: { name, arguments: args } });
const more = (index: unknown, args: unknown) => ({ index, function: { arguments: args } });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on a well-formed call', { given: called([toolCall('get_weather', ARGS)]), want: [] }],
  ['silent on a call with finish_reason stop (TGI)', { given: called([{ ...toolCall('get_weather', ARGS, '0'), function: { description: null, name: 'get_weather', arguments: ARGS } }], offered(), 'stop'), want: [] }],
  ['skips an answer without tools or calls', { given: chatView(), want: 'skip' }],
  ['silent on Together\'s empty tool_calls array without tools', { given: called([], chatRequest(), 'stop'), want: 'skip' }],
  ['skips completions', { given: completionView(), want: 'skip' }],
  ['fires on arguments as an object (TGI #2136)', { given: called([toolCall('get_weather', { location: 'Paris' })]), want: ['violation:arguments-not-string'] }],
  ['fires on absent arguments', { given: called([{ id: 'c', type: 'function', function: { name: 'get_weather' } }]), want: ['violation:arguments-not-string'] }],
  ['fires on a call with tool_choice none', { given: called([toolCall('get_weather', ARGS)], offered({ tool_choice: 'none' })), want: ['violation:call-when-none'] }],
  ['fires on a call without tools offered', { given: called([toolCall('get_weather', ARGS)], chatRequest()), want: ['violation:call-when-none'] }],
  ['fires on no call with tool_choice required', { given: chatView({ request: offered({ tool_choice: 'required' }), choices: [{ content: 'It is sunny.' }] }), want: ['violation:no-call'] }],
  [
    'fires on no call with a named function',
    { given: chatView({ request: offered({ tool_choice: { type: 'function', function: { name: 'get_weather' } } }), choices: [{ content: 'Sunny.' }] }), want: ['violation:no-call'] },
  ],
  ['silent on no call with required when cut by length', { given: chatView({ request: offered({ tool_choice: 'required' }), choices: [{ content: 'It', finish: 'length' }] }), want: [] }],
  ['silent on no call with auto', { given: chatView({ request: offered({ tool_choice: 'auto' }), choices: [{ content: 'Sunny.' }] }), want: [] }],
  [
    'fires on a call of another function than the named one',
    { given: called([toolCall('get_time', '{}')], offered({ tool_choice: { type: 'function', function: { name: 'get_weather' } } })), want: ['violation:wrong-function'] },
  ],
  ['fires on a function that was not offered', { given: called([toolCall('get_stock', '{}')]), want: ['violation:unknown-function'] }],
  ['fires on a message call without id', { given: called([{ type: 'function', function: { name: 'get_weather', arguments: ARGS } }]), want: ['violation:incomplete-call'] }],
  ['fires on a message call without type', { given: called([{ id: 'c', function: { name: 'get_weather', arguments: ARGS } }]), want: ['violation:incomplete-call'] }],
  ['fires on a message call of another type', { given: called([{ id: 'c', type: 'tool', function: { name: 'get_weather', arguments: ARGS } }]), want: ['violation:incomplete-call'] }],
  ['fires on a tool_calls entry that is not an object', { given: called(['get_weather'], offered(), 'stop'), want: ['violation:incomplete-call'] }],
  ['fires on arguments that are not JSON', { given: called([toolCall('get_weather', '{"location": "Par')]), want: ['violation:arguments-not-json'] }],
  ['silent on arguments cut by length', { given: called([toolCall('get_weather', '{"location": "Par')], offered(), 'length'), want: [] }],
  ['warns on arguments outside a non-strict schema', { given: called([toolCall('get_weather', '{"city":"Paris"}')]), want: ['warning:arguments-schema-loose'] }],
  ['fires on arguments outside a strict schema', { given: called([toolCall('get_weather', '{"city":"Paris"}')], chatRequest({ tools: [strictTool(WEATHER_TOOL)] })), want: ['violation:arguments-schema'] }],
  ['silent on arguments that satisfy a strict schema', { given: called([toolCall('get_weather', '{"location":"Paris","unit":"c"}')], chatRequest({ tools: [strictTool(WEATHER_TOOL)] })), want: [] }],
  [
    'skips the schema sub-rule when the schema does not compile',
    { given: called([toolCall('get_weather', '{"city":"Paris"}')], chatRequest({ tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'bogus-type' } } }] })), want: [] },
  ],
  [
    'does not judge a call of another tool type the request offers (custom tools)',
    { given: called([{ id: 'c', type: 'custom', custom: { name: 'grep', input: 'x' } }], chatRequest({ tools: [{ type: 'custom', custom: { name: 'grep' } }] })), want: [] },
  ],
  ['fires on finish_reason tool_calls without a call', { given: chatView({ request: offered(), choices: [{ content: 'Hi', finish: 'tool_calls' }] }), want: ['violation:finish-without-call'] }],
  ['judges calls without a known request', { given: called([toolCall('get_weather', { a: 1 })], null), want: ['violation:arguments-not-string'] }],
  ['skips an error', { given: chatView({ request: offered(), status: 500 }), want: 'skip' }],
  // streams
  ['silent on a well-formed streamed call', { given: callStream([[first(0)], [more(0, '{"loca')], [more(0, 'tion":"Paris"}')]]), want: [] }],
  [
    'silent on two streamed calls interleaved',
    { given: callStream([[first(0), first(1, 'get_time')], [more(0, ARGS)], [more(1, '{}')]]), want: [] },
  ],
  ['fires on fragments without an integer index (mistral.rs #1507)', { given: callStream([[{ ...first(0), index: undefined }], [more(undefined, ARGS)]]), want: ['violation:delta-without-index'] }],
  ['fires on a string index', { given: callStream([[first('0', 'get_weather', ARGS)]]), want: ['violation:delta-without-index'] }],
  ['fires on a fragment whose arguments are an object', { given: callStream([[first(0)], [more(0, { location: 'Paris' })]]), want: ['violation:arguments-not-string'] }],
  ['allows null argument fragments', { given: callStream([[{ ...first(0), function: { name: 'get_weather', arguments: null } }], [more(0, ARGS)]]), want: [] }],
  ['fires on a streamed call whose type never comes', { given: callStream([[{ index: 0, id: 'c', function: { name: 'get_weather', arguments: ARGS } }]]), want: ['violation:incomplete-call'] }],
  ['fires on a streamed call whose name never comes', { given: callStream([[{ index: 0, id: 'c', type: 'function', function: { arguments: ARGS } }]]), want: ['violation:incomplete-call'] }],
  [
    'warns on a streamed call whose type comes after its first fragment',
    { given: callStream([[{ index: 0, id: 'c', function: { name: 'get_weather', arguments: '' } }], [{ index: 0, type: 'function', function: { arguments: ARGS } }]]), want: ['warning:late-call-fields'] },
  ],
  ['fires on assembled arguments that are not JSON', { given: callStream([[first(0)], [more(0, '{"location":')]]), want: ['violation:arguments-not-json'] }],
  ['silent on unfinished assembled arguments cut by length', { given: callStream([[first(0)], [more(0, '{"location":')]], offered({ stream: true }), 'length'), want: [] }],
  [
    'does not judge unfinished output of a stream that never finished',
    {
      given: chatStreamView({ request: offered({ stream: true, tool_choice: 'required' }), chunks: [chunk([{ delta: { role: 'assistant', content: 'Hi' } }])], done: false }),
      want: [],
    },
  ],
  ['fires on a streamed call with tool_choice none', { given: callStream([[first(0, 'get_weather', ARGS)]], offered({ stream: true, tool_choice: 'none' })), want: ['violation:call-when-none'] }],
  ['fires on a streamed call of an unknown function', { given: callStream([[first(0, 'get_stock', '{}')]]), want: ['violation:unknown-function'] }],
  ['silent on a plain OpenAI stream with tools offered', { given: chatStreamView({ request: offered({ stream: true }), chunks: openaiChunks(['Sunny', '.']) }), want: [] }],
  ['silent on a Together stream (tool_calls: null in deltas)', { given: chatStreamView({ request: offered({ stream: true }), chunks: togetherChunks(['2', '']) }), want: [] }],
];

describe('openai-tool-calls', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcomeOf(openaiToolCalls, given)).toEqual(want);
  });

  it('points at the fragment and its event', () => {
    const result = openaiToolCalls.run(callStream([[first(0)], [more(0, 7)]]));
    expect(result).toMatchObject([{ kind: 'arguments-not-string', pointer: '/choices/0/delta/tool_calls/0/function/arguments', event: 2 }]);
  });

  it('never throws on tool calls of any JSON type', () => {
    const odd: unknown[] = [null, 1, 'x', {}, [null], [{ function: 'x' }], [{ index: 1.5, function: { name: 3, arguments: [1] } }], [{ id: 1, type: 2, function: null }]];
    for (const value of odd) {
      expect(() => openaiToolCalls.run(called(value))).not.toThrow();
      expect(() => openaiToolCalls.run(callStream([value as Json[]]))).not.toThrow();
      expect(() => openaiToolCalls.run(chatView({ request: offered({ tool_choice: value, tools: value }), choices: [{ content: 'x' }] }))).not.toThrow();
    }
  });
});

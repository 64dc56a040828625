import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  completionView,
  openaiChunks,
  outcomeOf,
  tgiChunks,
  toolCall,
  type Json,
  type Want,
} from './__fixtures__/meaning-views.js';
import { openaiResponseFormat } from './openai-response-format.js';

const SCHEMA = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'], additionalProperties: false };
const jsonObject = (extra: Json = {}) => chatRequest({ response_format: { type: 'json_object' }, ...extra });
const jsonSchema = (strict: boolean | undefined, schema: unknown = SCHEMA, extra: Json = {}) =>
  chatRequest({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, ...(strict === undefined ? {} : { strict }) } }, ...extra });
const answer = (request: Json, content: string | null, finish: unknown = 'stop', extra: Json = {}) => chatView({ request, choices: [{ content, finish, extra }] });

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on JSON content with json_object', { given: answer(jsonObject(), '{"answer": 2}'), want: [] }],
  ['silent on JSON with surrounding whitespace', { given: answer(jsonObject(), '\n {"answer": 2}\n'), want: [] }],
  ['fires on content that is not JSON', { given: answer(jsonObject(), 'The answer is 2.'), want: ['violation:not-json'] }],
  ['fires on JSON in a markdown fence', { given: answer(jsonObject(), '```json\n{"answer": 2}\n```'), want: ['violation:not-json'] }],
  ['skips content cut by length (finish length)', { given: answer(jsonObject(), '{"answer": ', 'length'), want: 'skip' }],
  ['skips a refusal (content null)', { given: answer(jsonSchema(true), null, 'stop', { refusal: 'I cannot help with that.' }), want: 'skip' }],
  ['skips without response_format', { given: chatView(), want: 'skip' }],
  ['skips response_format text', { given: answer(chatRequest({ response_format: { type: 'text' } }), 'hi'), want: 'skip' }],
  ['skips an unknown request', { given: answer(null as never, 'x'), want: 'skip' }],
  ['skips completions', { given: completionView(), want: 'skip' }],
  ['silent on content that satisfies the schema', { given: answer(jsonSchema(true), '{"answer": 2}'), want: [] }],
  ['fires on content outside a strict schema', { given: answer(jsonSchema(true), '{"answer": "two"}'), want: ['violation:schema'] }],
  ['warns on content outside a non-strict schema', { given: answer(jsonSchema(false), '{"result": 2}'), want: ['warning:schema-loose'] }],
  ['warns when strict is unset', { given: answer(jsonSchema(undefined), '{"answer": 2.5}'), want: ['warning:schema-loose'] }],
  ['fires on non-JSON content with json_schema', { given: answer(jsonSchema(true), 'two'), want: ['violation:not-json'] }],
  ['judges only the JSON when the schema does not compile', { given: answer(jsonSchema(true, { type: 'nonsense' }), '{"a": 1}'), want: [] }],
  ['ignores a $schema of another draft', { given: answer(jsonSchema(true, { $schema: 'http://json-schema.org/draft-07/schema#', ...SCHEMA }), '{"answer": 2}'), want: [] }],
  ['skips tool calls without content', { given: chatView({ request: jsonObject(), choices: [{ content: null, toolCalls: [toolCall('f', '{}')], finish: 'tool_calls' }] }), want: 'skip' }],
  [
    'judges the assembled content of a stream',
    { given: chatStreamView({ request: jsonSchema(true, SCHEMA, { stream: true }), chunks: openaiChunks(['{"ans', 'wer": ', '"2"}']) }), want: ['violation:schema'] },
  ],
  ['silent on a TGI stream of JSON', { given: chatStreamView({ request: jsonObject({ stream: true }), chunks: tgiChunks(['{"answer"', ': 2}']) }), want: [] }],
  ['skips a stream that never finished', { given: chatStreamView({ request: jsonObject({ stream: true }), chunks: openaiChunks(['{"a']).slice(0, 2), done: false }), want: 'skip' }],
  [
    'judges each choice',
    { given: chatView({ request: jsonObject({ n: 2 }), choices: [{ content: '{}' }, { content: 'nope' }] }), want: ['violation:not-json'] },
  ],
];

describe('openai-response-format', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcomeOf(openaiResponseFormat, given)).toEqual(want);
  });

  it('points at the stream\'s last content chunk', () => {
    const result = openaiResponseFormat.run(chatStreamView({ request: jsonObject({ stream: true }), chunks: openaiChunks(['nope', '!']) }));
    expect(result).toMatchObject([{ kind: 'not-json', pointer: '/choices/0/delta/content', event: 2 }]);
  });
});

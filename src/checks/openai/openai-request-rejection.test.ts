import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, chatStream, completionResponse, errorResponse, invalidReason, modelsResponse, outcome, type Want } from './__fixtures__/views.js';
import { openaiRequestRejection } from './openai-request-rejection.js';

const bad = { requestInvalidReasons: [invalidReason('max-tokens-below-1')] };
const reject = { expectation: { outcome: 'reject', purpose: 'negative', label: 'messages: []' } } as const;
const accept = { expectation: { outcome: 'accept', purpose: 'positive', label: 'temperature 0.7' } } as const;

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  // invalid requests
  ['silent on a 400 for an invalid request', { given: errorResponse({ ...bad }), want: [] }],
  ['silent on TGI\'s text/plain 422 for an invalid request', { given: errorResponse({ ...bad, status: 422, info: { shape: 'text', message: 'Failed to deserialize' } }), want: [] }],
  ['fires on a 200 for an invalid request', { given: chatResponse({ ...bad }), want: ['violation:accepted'] }],
  ['fires on a 200 stream without error event for an invalid request', { given: chatStream({ ...bad }), want: ['violation:accepted'] }],
  ['leaves a 200 stream with an error event to openai-stream-error', { given: chatStream({ ...bad, error: { status: 422 } }), want: 'skip' }],
  ['fires on a 500 for an invalid request', { given: errorResponse({ ...bad, status: 500 }), want: ['violation:server-error'] }],
  ['fires on a 3xx for an invalid request', { given: errorResponse({ ...bad, status: 302 }), want: ['violation:not-rejected'] }],
  ['skips a 429 for an invalid request (load)', { given: errorResponse({ ...bad, status: 429 }), want: 'skip' }],
  ['follows the expectation reject', { given: completionResponse({ ...reject }), want: ['violation:accepted'] }],
  ['follows the expectation accept over the reasons', { given: chatResponse({ ...bad, ...accept }), want: [] }],
  ['skips either', { given: chatResponse({ ...bad, expectation: { outcome: 'either', purpose: 'boundary' } }), want: 'skip' }],
  // valid requests
  ['silent on a served valid request', { given: chatResponse(), want: [] }],
  ['fires on a 500 for a valid request', { given: errorResponse({ status: 500 }), want: ['violation:not-served'] }],
  ['skips a 503 for a valid request (load)', { given: errorResponse({ status: 503 }), want: 'skip' }],
  ['skips a 424 for a valid request (load)', { given: errorResponse({ status: 424 }), want: 'skip' }],
  ['fires on a 4xx for a case planned valid', { given: errorResponse({ status: 422, ...accept }), want: ['violation:rejected-valid'] }],
  ['skips a 429 for a case planned valid', { given: errorResponse({ status: 429, ...accept }), want: 'skip' }],
  [
    'silent on a recorded 4xx without expectation (TGI\'s 422 Template error)',
    { given: errorResponse({ status: 422, info: { shape: 'tgi', message: 'Template error: template not found', type: 'template_error' } }), want: [] },
  ],
  ['silent on api.openai.com\'s 400 for a missing model (only the official service rejects)', { given: errorResponse(), want: [] }],
  ['skips an auth answer', { given: errorResponse({ status: 401, ...accept }), want: 'skip' }],
  ['silent on GET /v1/models', { given: modelsResponse(), want: [] }],
  ['fires on GET /v1/models answered 500', { given: errorResponse({ kind: 'models', status: 500 }), want: ['violation:not-served'] }],
];

describe('openai-request-rejection', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiRequestRejection, given)).toEqual(want);
  });

  it('names the reason in the message', () => {
    expect(openaiRequestRejection.run(chatResponse({ ...bad }))).toEqual([expect.objectContaining({ message: expect.stringContaining('max-tokens-below-1') })]);
  });
});

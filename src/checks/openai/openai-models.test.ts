import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import { chatResponse, errorResponse, modelsResponse, outcome, type Json, type Want } from './__fixtures__/views.js';
import { openaiModels } from './openai-models.js';

const data = (b: Json): Json[] => b['data'] as Json[];

const cases: [string, { given: OpenAIExchangeView; want: Want }][] = [
  ['silent on a model list', { given: modelsResponse(), want: [] }],
  ['silent on an empty list', { given: modelsResponse({ edit: (b) => (b['data'] = []) }), want: [] }],
  ['silent on extra keys (TGI\'s max_model_len …)', { given: modelsResponse({ edit: (b) => data(b).forEach((m) => (m['max_model_len'] = 4096)) }), want: [] }],
  ['fires on data that is not an array', { given: modelsResponse({ edit: (b) => (b['data'] = { id: 'x' }) }), want: ['violation:data-not-array'] }],
  ['fires on an entry that is not an object', { given: modelsResponse({ edit: (b) => data(b).push('gpt-4' as never) }), want: ['violation:entry-not-object'] }],
  ['fires once on entries without a string id', { given: modelsResponse({ edit: (b) => data(b).forEach((m) => delete m['id']) }), want: ['violation:missing-id'] }],
  ['fires on an empty id', { given: modelsResponse({ edit: (b) => ((data(b)[0] ?? {})['id'] = '') }), want: ['violation:empty-id'] }],
  ['warns on a repeated id', { given: modelsResponse({ edit: (b) => data(b).push({ ...data(b)[0] }) }), want: ['warning:duplicate-id'] }],
  ['skips other routes', { given: chatResponse(), want: 'skip' }],
  ['skips an error status', { given: errorResponse({ kind: 'models', status: 401 }), want: 'skip' }],
];

describe('openai-models', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(openaiModels, given)).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../core/exchange.js';
import { learnOpenAILimit, normaliseOpenAIUrl, openaiRouteUrl, shrinkOpenAIRequest } from './openai-driver.js';

const refused = (message: string, status = 422): OpenAIExchangeView => ({
  api: 'openai',
  kind: 'chat',
  route: 'POST /v1/chat/completions',
  requestBody: {},
  streamed: false,
  status,
  error: { shape: 'tgi', message },
});

describe('the OpenAI-compatible driver', () => {
  it.each([
    ['Input validation error: grammar is not supported', 'grammarSupported'],
    ['n > 1 is not supported', 'nSupported'],
    ['`n` must be 1', 'nSupported'],
    ['tools are not supported by this model', 'toolsSupported'],
    ['response_format json_schema is not supported', 'responseFormatSupported'],
    ['logprobs are not supported', 'logprobsSupported'],
    ['image_url content parts are not supported', 'imagesSupported'],
    ['the JSON Schema keyword `not` is not supported', 'schemaKeywordsSupported'],
  ])('learns a refused feature from %j', (message, limit) => {
    const learned = learnOpenAILimit(refused(message));
    expect(learned?.name).toBe(limit);
    expect(learned?.value).toBe(false);
    expect(learned?.finding?.severity).toBe('warning');
  });

  it('learns nothing from a validation error about a value, or from a success', () => {
    expect(learnOpenAILimit(refused('`temperature` must be strictly positive'))).toBeUndefined();
    expect(learnOpenAILimit(refused('`n` must be >= 1'))).toBeUndefined();
    expect(learnOpenAILimit({ ...refused('tools are not supported'), status: 200, error: undefined } as unknown as OpenAIExchangeView)).toBeUndefined();
  });

  it('takes the base URL ending in /v1, and routes under it', () => {
    expect(normaliseOpenAIUrl('http://h:8000/v1/')).toBe('http://h:8000/v1');
    expect(() => normaliseOpenAIUrl('http://h:8000')).toThrow(/ending in \/v1/);
    expect(openaiRouteUrl('http://h:8000/v1', 'POST /v1/chat/completions')).toBe('http://h:8000/v1/chat/completions');
    expect(openaiRouteUrl('http://gw/openai/v1', 'discover')).toBe('http://gw/openai/v1/models');
  });

  it('shrinks by dropping optional keys, halving max_tokens and keeping the last message', async () => {
    const body = { model: 'm', messages: [{ role: 'system', content: 'a' }, { role: 'user', content: 'b' }], max_tokens: 16, temperature: 0.5, top_p: 0.5, stop: ['x'] };
    // The violation shows whenever temperature is there.
    const r = await shrinkOpenAIRequest(body, async (b) => typeof b === 'object' && b !== null && !Array.isArray(b) && 'temperature' in b, 20);
    expect(r?.body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'b' }], max_tokens: 8, temperature: 0.5 });
    expect(r?.from).toBe(4);
    expect(r?.to).toBe(2);
  });
});

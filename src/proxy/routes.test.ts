import { describe, expect, it } from 'vitest';
import { routeOf, targetUrl } from './routes.js';

describe('targetUrl: the proxy root stands for the target URL', () => {
  it('joins paths and keeps the query', () => {
    expect(targetUrl(new URL('http://h:8080'), '/generate?x=1').toString()).toBe('http://h:8080/generate?x=1');
    expect(targetUrl(new URL('http://h:8080/'), '/').toString()).toBe('http://h:8080/');
    expect(targetUrl(new URL('http://h/v1/'), '/chat/completions').toString()).toBe('http://h/v1/chat/completions');
  });
  it('an endpoint URL: "/" is the endpoint itself, without a trailing slash', () => {
    expect(targetUrl(new URL('https://h/models/org/m'), '/').toString()).toBe('https://h/models/org/m');
    expect(targetUrl(new URL('https://h/models/org/m'), '/?wait=1').toString()).toBe('https://h/models/org/m?wait=1');
    expect(targetUrl(new URL('https://h/models/org/m'), '/v1/chat/completions').toString()).toBe('https://h/models/org/m/v1/chat/completions');
  });
});

describe('routeOf', () => {
  it('OpenAI-compatible paths by suffix, whatever the native flavour', () => {
    for (const flavour of ['tgi', 'hf', 'openai'] as const) {
      expect(routeOf('POST', '/v1/chat/completions', flavour)).toEqual({ judged: true, route: 'POST /v1/chat/completions', api: 'openai' });
      expect(routeOf('POST', '/models/x/v1/completions?a=1', flavour)).toEqual({ judged: true, route: 'POST /v1/completions', api: 'openai' });
      expect(routeOf('GET', '/v1/models/', flavour)).toEqual({ judged: true, route: 'GET /v1/models', api: 'openai' });
    }
    // The target URL may end in /v1: the path on the target tells.
    expect(routeOf('POST', '/chat/completions', 'tgi', '/v1/chat/completions')).toMatchObject({ judged: true, route: 'POST /v1/chat/completions' });
  });
  it('native paths as the flavour names', () => {
    expect(routeOf('POST', '/generate', 'tgi')).toEqual({ judged: true, route: 'POST /generate', api: 'tgi' });
    expect(routeOf('POST', '/generate_stream', 'hf')).toEqual({ judged: true, route: 'POST /generate_stream', api: 'hf' });
    expect(routeOf('POST', '/', 'tgi')).toEqual({ judged: true, route: 'POST /', api: 'tgi' });
    expect(routeOf('POST', '/models/org/model', 'hf')).toEqual({ judged: true, route: 'POST /', api: 'hf' });
  });
  it('anything else is not judged, with the reason', () => {
    expect(routeOf('GET', '/info', 'tgi')).toMatchObject({ judged: false, reason: expect.stringMatching(/\/info/) });
    expect(routeOf('POST', '/models/org/model', 'tgi')).toMatchObject({ judged: false });
    expect(routeOf('POST', '/generate', 'openai')).toMatchObject({ judged: false });
    expect(routeOf('GET', '/generate', 'tgi')).toMatchObject({ judged: false, reason: expect.stringMatching(/POST only/) });
    expect(routeOf('POST', '/v1/models', 'tgi')).toMatchObject({ judged: false, reason: expect.stringMatching(/GET/) });
  });
});

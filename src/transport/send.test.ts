/** `send`'s refusals that open no socket: invalid limits, URL, headers; an already aborted signal. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, send } from './index.js';

const req = { method: 'POST' as const, url: 'http://127.0.0.1:9/generate', headers: {}, body: '{}' };

describe('send without a connection attempt', () => {
  it('invalid limits: connected false, protocol-error, nothing sent', async () => {
    const result = await send(req, { ...DEFAULT_LIMITS, timeoutMs: -1 });
    expect(result.connected).toBe(false);
    expect(result.failure).toMatchObject({ kind: 'protocol-error', afterBytes: 0 });
    expect(result.failure?.message).toMatch(/timeoutMs/);
  });

  it('an invalid URL or scheme: protocol-error, the URL not quoted', async () => {
    const secretUrl = 'not a url hf_secret';
    const bad = await send({ ...req, url: secretUrl }, DEFAULT_LIMITS);
    expect(bad).toMatchObject({ connected: false, failure: { kind: 'protocol-error' } });
    expect(JSON.stringify(bad)).not.toContain('hf_secret');
    const ftp = await send({ ...req, url: 'ftp://127.0.0.1/x' }, DEFAULT_LIMITS);
    expect(ftp.failure?.message).toMatch(/scheme/);
  });

  it('an invalid header value: protocol-error naming the header, never its value', async () => {
    const result = await send({ ...req, headers: { authorization: 'Bearer hf_secret\r\nX-Injected: 1' } }, DEFAULT_LIMITS);
    expect(result).toMatchObject({ connected: false, failure: { kind: 'protocol-error' } });
    expect(JSON.stringify(result)).not.toContain('hf_secret');
  });

  it('an already aborted signal: aborted, at once', async () => {
    const result = await send(req, DEFAULT_LIMITS, AbortSignal.abort());
    expect(result).toMatchObject({ connected: false, failure: { kind: 'aborted' } });
  });
});

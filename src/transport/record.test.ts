import { describe, expect, it } from 'vitest';
import { toRecordedExchange } from './record.js';
import type { TransportResult } from './types.js';

const base = (extra: Partial<TransportResult>): TransportResult => ({
  connected: true,
  timings: { startedAt: 0, totalMs: 1, eventMs: [] },
  bytes: 0,
  ...extra,
});

describe('toRecordedExchange', () => {
  it('is undefined without a status', () => {
    expect(toRecordedExchange('POST /generate', undefined, base({ failure: { kind: 'first-byte-timeout', message: '', afterBytes: 0 } }))).toBeUndefined();
    expect(toRecordedExchange('POST /generate', undefined, { ...base({}), connected: false })).toBeUndefined();
  });

  it('parses a JSON body exactly (u64 seeds stay exact)', () => {
    const recorded = toRecordedExchange(
      'POST /',
      { inputs: 'x', parameters: { seed: 18446744073709551615n } },
      base({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        contentType: 'application/json; charset=utf-8',
        bodyText: '[{"generated_text":"y","details":{"seed":18446744073709551615}}]',
      }),
    );
    expect(recorded).toEqual({
      route: 'POST /',
      request: { inputs: 'x', parameters: { seed: 18446744073709551615n } },
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      response: [{ generated_text: 'y', details: { seed: 18446744073709551615n } }],
    });
  });

  it('keeps text: non-JSON types, JSON that does not parse, JSON nested too deep, empty bodies', () => {
    const text = (contentType: string | undefined, bodyText: string) =>
      toRecordedExchange('POST /generate', { inputs: 'x' }, base({ status: 422, ...(contentType ? { contentType } : {}), bodyText }));
    expect(text('text/plain; charset=utf-8', 'Failed to deserialize')).toMatchObject({ responseText: 'Failed to deserialize' });
    expect(text('text/plain', '{"error":"x"}')?.response).toBeUndefined();
    expect(text(undefined, '{"error":"x"}')).toMatchObject({ responseText: '{"error":"x"}' });
    expect(text('application/json', '{"error":')).toMatchObject({ responseText: '{"error":' });
    expect(text('application/json', '')).toMatchObject({ responseText: '' });
    const deep = '['.repeat(1_001) + ']'.repeat(1_001);
    expect(text('application/json', deep)).toMatchObject({ responseText: deep });
    const ok = '['.repeat(1_000) + ']'.repeat(1_000);
    expect(text('application/json', ok)?.response).toBeDefined();
  });

  it('records a stream as its raw text, and records no request header', () => {
    const recorded = toRecordedExchange(
      'POST /generate_stream',
      { inputs: 'x' },
      base({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        contentType: 'text/event-stream',
        stream: { raw: 'data:{"index":1}\n\n', events: [{ data: '{"index":1}' }], findings: [] },
      }),
    );
    expect(recorded).toEqual({
      route: 'POST /generate_stream',
      request: { inputs: 'x' },
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      stream: 'data:{"index":1}\n\n',
    });
    expect(recorded).not.toHaveProperty('requestHeaders');
  });

  it('a result with a status but no body read (compressed) records neither body, and the failure', () => {
    const failure = { kind: 'protocol-error' as const, message: 'compressed body', afterBytes: 0 };
    const recorded = toRecordedExchange('POST /generate', undefined, base({ status: 200, failure }));
    expect(recorded).toEqual({
      route: 'POST /generate',
      request: undefined,
      status: 200,
      transportFailure: { kind: 'protocol-error', message: 'compressed body' },
    });
  });

  it('records a redirect, and a body cut by a failure as far as it came', () => {
    const recorded = toRecordedExchange(
      'POST /generate',
      undefined,
      base({
        status: 302,
        redirect: { status: 302, location: 'http://127.0.0.2:1/' },
        contentType: 'application/json',
        bodyText: '{"generated',
        failure: { kind: 'reset', message: 'cut', afterBytes: 11 },
      }),
    );
    expect(recorded).toMatchObject({
      status: 302,
      redirect: { status: 302, location: 'http://127.0.0.2:1/' },
      responseText: '{"generated',
      transportFailure: { kind: 'reset', message: 'cut' },
    });
  });
});

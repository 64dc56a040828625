/**
 * The transport against hostile servers on real loopback sockets (127.0.0.1, port 0): every
 * behaviour of the robustness issue, each with the failure kind it must produce, a bound on the
 * time `send` takes, and (for the floods) a bound on memory and on what the server could write.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { stringifyJson } from '../core/json.js';
import { startFullBacklog } from './__fixtures__/full-backlog.js';
import { startHostileServer, type HostileMode, type HostileServer, type HostileServerOptions } from './__fixtures__/hostile-server.js';
import { DEFAULT_LIMITS, send, toRecordedExchange, type TransportLimits, type TransportRequest, type TransportResult } from './index.js';
import { CUT_BODY_KEPT_CHARS } from './send.js';

const TOKEN = 'hf_SECRETtokenNeverRecorded0123456789';
const MiB = 1024 * 1024;

/** Small limits, so that every deadline is reached in well under a second or two. */
const FAST: TransportLimits = {
  connectTimeoutMs: 500,
  timeoutMs: 600,
  streamIdleMs: 300,
  streamTotalMs: 1_000,
  maxBodyBytes: MiB,
  maxEvents: 1_000_000,
  maxEventBytes: 64 * 1024,
};
/** Generous: a loaded CI machine must not make these tests flaky. */
const MARGIN_MS = 1_500;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function hostile(mode: HostileMode, options: Omit<HostileServerOptions, 'mode'> = {}): Promise<HostileServer> {
  const server = await startHostileServer({ mode, ...options });
  servers.push(server);
  return server;
}

function request(url: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return {
    method: 'POST',
    url: `${url}/generate`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: '{"inputs":"Hi","parameters":{"max_new_tokens":4}}',
    ...extra,
  };
}

/** Sends, and measures how long `send` took. */
async function timed(req: TransportRequest, limits: TransportLimits, signal?: AbortSignal): Promise<{ result: TransportResult; ms: number }> {
  const t0 = performance.now();
  const result = await send(req, limits, signal);
  return { result, ms: performance.now() - t0 };
}

async function until(condition: () => boolean, ms = 2_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** The assertions every hostile case shares: named failure, on an accepted connection, in time, no secret, no socket left. */
async function expectViolation(
  server: HostileServer,
  outcome: { result: TransportResult; ms: number },
  kind: string,
  deadlineMs: number,
): Promise<void> {
  const { result, ms } = outcome;
  expect(result.failure?.kind, result.failure?.message).toBe(kind);
  expect(result.connected).toBe(true);
  expect(ms).toBeLessThan(deadlineMs + MARGIN_MS);
  expect(stringifyJson(result)).not.toContain(TOKEN);
  // The client closed its socket: the server sees every connection go.
  expect(await until(() => server.openConnections === 0)).toBe(true);
}

describe('send: a correct server', () => {
  it('records a JSON response, its timings and headers, and sends identity encoding', async () => {
    const server = await hostile('json');
    const { result } = await timed(request(server.url), FAST);
    expect(result.failure).toBeUndefined();
    expect(result.connected).toBe(true);
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('application/json');
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': '32' });
    expect(result.bodyText).toBe('{"generated_text":"Hello world"}');
    expect(result.bytes).toBe(32);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.firstByteMs).toBeGreaterThanOrEqual(result.timings.connectMs ?? 0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.firstByteMs ?? 0);
    expect(result.timings.eventMs).toEqual([]);
    expect(stringifyJson(result)).not.toContain(TOKEN);

    const received = server.requests[0];
    expect(received?.headers['accept-encoding']).toBe('identity');
    expect(received?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(received?.headers['content-length']).toBe(String(Buffer.byteLength(request(server.url).body ?? '')));
    expect(received?.body).toBe(request(server.url).body);

    expect(toRecordedExchange('POST /generate', { inputs: 'Hi' }, result)).toEqual({
      route: 'POST /generate',
      request: { inputs: 'Hi' },
      status: 200,
      headers: result.headers,
      response: { generated_text: 'Hello world' },
    });
  });

  it('replaces a caller-given Accept-Encoding with identity, and sends a GET without a body', async () => {
    const server = await hostile('json');
    const { result } = await timed(
      { method: 'GET', url: `${server.url}/info`, headers: { 'Accept-Encoding': 'gzip, br' } },
      FAST,
    );
    expect(result.failure).toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/info' });
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
    expect(server.requests[0]?.headers['content-length']).toBeUndefined();
  });

  it('decodes a stream as it arrives and times each data event', async () => {
    const server = await hostile('sse');
    const { result } = await timed(request(server.url, { url: `${server.url}/generate_stream` }), FAST);
    expect(result.failure).toBeUndefined();
    expect(result.bodyText).toBeUndefined();
    expect(result.stream?.events).toHaveLength(4);
    expect(result.stream?.findings).toEqual([]);
    expect(result.stream?.raw.startsWith('data:{"index":1,')).toBe(true);
    const at = result.timings.eventMs;
    expect(at).toHaveLength(4);
    expect(at[3] ?? 0).toBeGreaterThanOrEqual(at[0] ?? 0);
    // The last event was sent 20 ms after the first three.
    expect((at[3] ?? 0) - (at[2] ?? 0)).toBeGreaterThan(5);
    const recorded = toRecordedExchange('POST /generate_stream', { inputs: 'Hi' }, result);
    expect(recorded?.stream).toBe(result.stream?.raw);
    expect(recorded?.response).toBeUndefined();
  });
});

describe('send: a server that stalls', () => {
  it('never answers: first-byte-timeout after timeoutMs', async () => {
    const server = await hostile('never-answers');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'first-byte-timeout', FAST.timeoutMs);
    expect(outcome.ms).toBeGreaterThanOrEqual(FAST.timeoutMs - 20);
    expect(outcome.result.status).toBeUndefined();
    expect(toRecordedExchange('POST /generate', undefined, outcome.result)).toBeUndefined();
  });

  it('sends headers, then stalls: deadline, with the status recorded', async () => {
    const server = await hostile('headers-then-stall');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'deadline', FAST.timeoutMs);
    expect(outcome.result.status).toBe(200);
    expect(toRecordedExchange('POST /generate', { inputs: 'Hi' }, outcome.result)).toMatchObject({
      status: 200,
      transportFailure: { kind: 'deadline' },
    });
  });

  it('sends stream headers and one event, then stalls: stream-idle', async () => {
    const server = await hostile('sse-headers-then-stall');
    const outcome = await timed(request(server.url), { ...FAST, timeoutMs: 5_000 });
    await expectViolation(server, outcome, 'stream-idle', FAST.streamIdleMs);
    expect(outcome.result.stream?.events).toHaveLength(1);
  });

  it('drips a JSON body a byte at a time: deadline', async () => {
    const server = await hostile('drip', { dripMs: 50 });
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'deadline', FAST.timeoutMs);
    expect(outcome.result.bytes).toBeGreaterThan(0);
  });

  it('drips the response headers: deadline', async () => {
    const server = await hostile('header-drip', { dripMs: 50 });
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'deadline', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/headers/);
  });

  it('drips a stream a byte at a time (never idle long enough): stream-deadline', async () => {
    const server = await hostile('sse-drip', { dripMs: 20 });
    const outcome = await timed(request(server.url), { ...FAST, timeoutMs: 5_000 });
    await expectViolation(server, outcome, 'stream-deadline', FAST.streamTotalMs);
    expect(outcome.ms).toBeGreaterThanOrEqual(FAST.streamTotalMs - 20);
    expect(outcome.result.bytes).toBeGreaterThan(10);
  });

  it('sends keep-alives forever and no event: stream-deadline', async () => {
    const server = await hostile('sse-keepalive-forever', { dripMs: 50 });
    const outcome = await timed(request(server.url), { ...FAST, timeoutMs: 5_000 });
    await expectViolation(server, outcome, 'stream-deadline', FAST.streamTotalMs);
    expect(outcome.result.stream?.events).toEqual([]);
  });
});

describe('send: a server that floods', () => {
  it('an endless SSE stream stops at maxBodyBytes, and memory stays bounded', async () => {
    const server = await hostile('endless-sse');
    const limits = { ...FAST, maxBodyBytes: 8 * MiB, timeoutMs: 10_000, streamTotalMs: 10_000 };
    const rss = process.memoryUsage().rss;
    const outcome = await timed(request(server.url), limits);
    await expectViolation(server, outcome, 'body-too-large', limits.streamTotalMs);
    const { result } = outcome;
    expect(Buffer.byteLength(result.stream?.raw ?? '')).toBeLessThanOrEqual(limits.maxBodyBytes);
    expect(result.stream?.events.length).toBeGreaterThan(1_000);
    expect(result.timings.eventMs).toHaveLength(result.stream?.events.length ?? -1);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * MiB);
    // The server stopped writing once the client went (socket buffers allow some slack).
    expect(server.bytesWritten).toBeLessThan(limits.maxBodyBytes + 64 * MiB);
  });

  it('an endless SSE stream stops at maxEvents: too-many-events', async () => {
    const server = await hostile('endless-sse');
    const limits = { ...FAST, maxEvents: 100 };
    const outcome = await timed(request(server.url), limits);
    await expectViolation(server, outcome, 'too-many-events', FAST.streamTotalMs);
    expect(outcome.result.stream?.events).toHaveLength(100);
    expect(outcome.result.stream?.findings.map((f) => f.kind)).toContain('too-many-events');
  });

  it('an SSE line that never ends stops at maxEventBytes: event-too-large', async () => {
    const server = await hostile('endless-sse-line');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'event-too-large', FAST.streamTotalMs);
    expect(outcome.result.bytes).toBeLessThan(FAST.maxEventBytes + 2 * MiB);
  });

  it('a Content-Length of 1 GiB: body-too-large at once, not one body byte read', async () => {
    const server = await hostile('huge-body');
    const outcome = await timed(request(server.url), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    await expectViolation(server, outcome, 'body-too-large', 10_000);
    expect(outcome.result.failure?.message).toMatch(/Content-Length 1073741824, more than maxBodyBytes \(10485760 bytes\); not read; --max-body-bytes raises it/);
    expect(outcome.result.bodyText).toBeUndefined();
    expect(outcome.result.bytes).toBeLessThan(1 * MiB);
  });

  it('a 1 GiB body without Content-Length stops at the default maxBodyBytes (10 MiB), and memory stays bounded', async () => {
    const server = await hostile('huge-body', { undeclared: true });
    const rss = process.memoryUsage().rss;
    const outcome = await timed(request(server.url), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    await expectViolation(server, outcome, 'body-too-large', 10_000);
    const { result } = outcome;
    // Read up to the limit, then only its beginning kept (the failure judges it).
    expect(result.bodyText?.length).toBe(CUT_BODY_KEPT_CHARS);
    expect(result.failure?.afterBytes).toBeGreaterThan(DEFAULT_LIMITS.maxBodyBytes);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * MiB);
    expect(server.bytesWritten).toBeLessThan(DEFAULT_LIMITS.maxBodyBytes + 64 * MiB);
  });

  it('the bound a request sets on a 2xx body (maxOkBodyBytes) stops a flood there; an error status keeps maxBodyBytes', async () => {
    const bound = 200 * 1024;
    const flood = await hostile('huge-body', { undeclared: true });
    const outcome = await timed(request(flood.url, { maxOkBodyBytes: bound }), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    await expectViolation(flood, outcome, 'body-too-large', 10_000);
    expect(outcome.result.failure?.message).toBe(`the body exceeded ${bound} bytes, the bound its request sets; --max-body-bytes raises it`);
    expect(outcome.result.bodyText?.length).toBe(CUT_BODY_KEPT_CHARS);
    expect(outcome.result.failure?.afterBytes).toBeLessThan(4 * MiB);

    const declared = await hostile('huge-body');
    const refused = await timed(request(declared.url, { maxOkBodyBytes: bound }), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    await expectViolation(declared, refused, 'body-too-large', 10_000);
    expect(refused.result.failure?.message).toMatch(/^the body declares Content-Length 1073741824, more than 204800 bytes, the bound its request sets; not read/);

    const page = await hostile('huge-body', { undeclared: true, status: '502 Bad Gateway', size: 512 * 1024 });
    const { result } = await timed(request(page.url, { maxOkBodyBytes: bound }), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    expect(result.failure, result.failure?.message).toBeUndefined();
    expect(result.status).toBe(502);
    expect(result.bodyText?.length).toBe(512 * 1024);
  });

  it('the bound on any other status (maxErrorBodyBytes) stops an error flood there, and leaves a 2xx alone', async () => {
    const bound = 300 * 1024;
    const flood = await hostile('huge-body', { undeclared: true, status: '500 Internal Server Error' });
    const outcome = await timed(request(flood.url, { maxErrorBodyBytes: bound }), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    await expectViolation(flood, outcome, 'body-too-large', 10_000);
    expect(outcome.result.status).toBe(500);
    expect(outcome.result.failure?.message).toBe(`the body exceeded ${bound} bytes, the bound its request sets; --max-body-bytes raises it`);
    expect(outcome.result.failure?.afterBytes).toBeLessThan(4 * MiB);

    const ok = await hostile('huge-body', { undeclared: true, size: 512 * 1024 });
    const { result } = await timed(request(ok.url, { maxErrorBodyBytes: bound }), { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    expect(result.failure, result.failure?.message).toBeUndefined();
    expect(result.bodyText?.length).toBe(512 * 1024);
  });

  it('endless response headers: protocol-error (node caps headers at 16 KiB)', async () => {
    const server = await hostile('header-flood');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/[Hh]eader/);
    expect(server.bytesWritten).toBeLessThan(64 * MiB);
  });

  it('a gzip bomb (compression although identity was asked) is not inflated: protocol-error', async () => {
    const server = await hostile('gzip-bomb');
    const rss = process.memoryUsage().rss;
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/compressed body.*gzip.*identity/);
    expect(outcome.result.bodyText).toBeUndefined();
    expect(outcome.result.headers?.['content-encoding']).toBe('gzip');
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * MiB);
  });
});

describe('send: a server that sends bad bytes', () => {
  it('invalid UTF-8 in a JSON body: invalid-utf8 with the byte offset', async () => {
    const server = await hostile('invalid-utf8');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'invalid-utf8', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/offset 20\b/);
    expect(outcome.result.bodyText).toBe('{"generated_text":"a');
  });

  it('invalid UTF-8 in a stream: invalid-utf8, the events before it kept', async () => {
    const server = await hostile('sse-invalid-utf8');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'invalid-utf8', FAST.streamTotalMs);
    expect(outcome.result.stream?.events).toHaveLength(1);
    expect(outcome.result.stream?.raw.endsWith('"text":"')).toBe(true);
  });

  it('invalid JSON: no transport failure; recorded as responseText for the checks', async () => {
    const server = await hostile('invalid-json');
    const { result } = await timed(request(server.url), FAST);
    expect(result.failure).toBeUndefined();
    const recorded = toRecordedExchange('POST /generate', { inputs: 'Hi' }, result);
    expect(recorded?.response).toBeUndefined();
    expect(recorded?.responseText).toBe('{"generated_text": "unterminated');
  });

  it('JSON nested 100,000 deep: protocol-error naming the nesting, kept as text', async () => {
    const server = await hostile('deep-json');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/nested more than 1000 levels/);
    const recorded = toRecordedExchange('POST /generate', { inputs: 'Hi' }, outcome.result);
    expect(recorded?.response).toBeUndefined();
    expect(recorded?.responseText?.length).toBe(200_000);
    expect(() => stringifyJson(recorded)).not.toThrow();
  });

  it('integers beyond 2^53 survive exactly into the recorded exchange', async () => {
    const server = await hostile('big-integers');
    const { result } = await timed(request(server.url), FAST);
    expect(result.failure).toBeUndefined();
    const recorded = toRecordedExchange('POST /generate', { inputs: 'Hi', parameters: { seed: 18446744073709551615n } }, result);
    expect(recorded?.response).toMatchObject({
      details: { seed: 18446744073709551615n, tokens: [{ id: 9007199254740993n }] },
    });
    expect(stringifyJson(recorded)).toContain('"seed":18446744073709551615');
  });

  it('an HTML error page with status 200: no transport failure; responseText and content type for the checks', async () => {
    const server = await hostile('html-200');
    const { result } = await timed(request(server.url), FAST);
    expect(result.failure).toBeUndefined();
    expect(result.contentType).toBe('text/html; charset=utf-8');
    const recorded = toRecordedExchange('POST /generate', { inputs: 'Hi' }, result);
    expect(recorded?.responseText).toMatch(/^<!DOCTYPE html>/);
    expect(recorded?.response).toBeUndefined();
  });

  it('a reply that is not HTTP: protocol-error', async () => {
    const server = await hostile('not-http');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
  });

  it('https to a server that speaks plain HTTP: the TLS handshake fails, protocol-error', async () => {
    const server = await hostile('json', { answerAnything: true });
    const outcome = await timed(request(server.url.replace('http:', 'https:')), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/^TLS failed/);
  });

  it('https to a server that waits for a request (the TLS handshake stalls): first-byte-timeout', async () => {
    const server = await hostile('json');
    const outcome = await timed(request(server.url.replace('http:', 'https:')), FAST);
    await expectViolation(server, outcome, 'first-byte-timeout', FAST.timeoutMs);
  });

  it('a 101 switch of protocols nobody asked for: protocol-error, the socket closed', async () => {
    const server = await hostile('switch-protocols');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'protocol-error', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/101/);
  });
});

describe('send: a wrong Content-Length, resets', () => {
  it('a body shorter than its Content-Length, then a clean close: bad-content-length', async () => {
    const server = await hostile('short-content-length');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'bad-content-length', FAST.timeoutMs);
    expect(outcome.result.failure?.message).toMatch(/after 9 of the 100 body bytes/);
    expect(outcome.result.bodyText).toBe('{"generat');
  });

  it('a body longer than its Content-Length: bad-content-length', async () => {
    const server = await hostile('long-content-length');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'bad-content-length', FAST.timeoutMs);
  });

  it('a Content-Length that is not a number: bad-content-length', async () => {
    const server = await hostile('invalid-content-length');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'bad-content-length', FAST.timeoutMs);
  });

  it('a chunked body cut off by a close: reset', async () => {
    const server = await hostile('chunked-truncated');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'reset', FAST.timeoutMs);
  });

  it('a connection reset mid-body: reset', async () => {
    const server = await hostile('reset-mid-body');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'reset', FAST.timeoutMs);
    expect(outcome.result.status).toBe(200);
    expect(outcome.result.bytes).toBe(100);
  });

  it('a connection reset mid-stream: reset, the events before it kept', async () => {
    const server = await hostile('reset-mid-stream');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'reset', FAST.streamTotalMs);
    expect(outcome.result.stream?.events).toHaveLength(2);
    expect(outcome.result.timings.eventMs).toHaveLength(2);
  });

  it('a close before any response byte: reset, on an accepted connection', async () => {
    const server = await hostile('close-without-response');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'reset', FAST.timeoutMs);
  });

  it('a reset as soon as the connection is accepted: reset, on an accepted connection', async () => {
    const server = await hostile('reset-on-accept');
    const outcome = await timed(request(server.url), FAST);
    await expectViolation(server, outcome, 'reset', FAST.timeoutMs);
  });
});

describe('send: redirects', () => {
  it('a redirect to another host (127.0.0.2) is recorded and not followed', async (ctx) => {
    let other: HostileServer;
    try {
      other = await hostile('json', { host: '127.0.0.2' });
    } catch {
      // 127.0.0.2 is a loopback address on Linux; not on every system (macOS needs an alias).
      ctx.skip();
      return;
    }
    const location = `http://127.0.0.2:${other.port}/generate`;
    const server = await hostile('redirect', { location });
    const { result } = await timed(request(server.url), FAST);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe(302);
    expect(result.redirect).toEqual({ status: 302, location });
    expect(toRecordedExchange('POST /generate', undefined, result)?.redirect).toEqual({ status: 302, location });
    expect(server.requests).toHaveLength(1);
    // Nothing, and so no Authorization header, ever reached the other host.
    await new Promise((r) => setTimeout(r, 100));
    expect(other.connections).toBe(0);
    expect(other.requests).toEqual([]);
    expect(stringifyJson(result)).not.toContain(TOKEN);
  });
});

describe('send: no connection', () => {
  it('a refused port: connected false, refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { result, ms } = await timed(request(`http://127.0.0.1:${port}`), FAST);
    expect(result.connected).toBe(false);
    expect(result.failure?.kind).toBe('refused');
    expect(result.status).toBeUndefined();
    expect(ms).toBeLessThan(FAST.connectTimeoutMs + MARGIN_MS);
  });

  // Linux drops a SYN to a full accept queue (see the fixture); other systems may reset it.
  it.skipIf(process.platform !== 'linux')(
    'a listener whose accept queue is full (the SYN is dropped): connected false, connect-timeout',
    async () => {
      const full = await startFullBacklog();
      try {
        const { result, ms } = await timed(request(`http://127.0.0.1:${full.port}`), { ...FAST, timeoutMs: 5_000 });
        expect(result.failure?.kind, result.failure?.message).toBe('connect-timeout');
        expect(result.connected).toBe(false);
        expect(result.timings.connectMs).toBeUndefined();
        expect(ms).toBeGreaterThanOrEqual(FAST.connectTimeoutMs - 20);
        expect(ms).toBeLessThan(FAST.connectTimeoutMs + MARGIN_MS);
      } finally {
        await full.close();
      }
    },
  );

  it('the caller aborts: aborted, at once', async () => {
    const server = await hostile('never-answers');
    const outcome = await timed(request(server.url), { ...FAST, timeoutMs: 10_000 }, AbortSignal.timeout(200));
    expect(outcome.result.failure?.kind).toBe('aborted');
    expect(outcome.ms).toBeLessThan(200 + MARGIN_MS);
    expect(await until(() => server.openConnections === 0)).toBe(true);
  });
});

describe('send: leaves nothing open', () => {
  it('no timer and no socket survives an exchange that hit a limit', async () => {
    const count = (name: string): number => process.getActiveResourcesInfo().filter((r) => r === name).length;
    const server = await hostile('never-answers');
    await until(() => count('TCPSocketWrap') === 0, 500);
    const timers = count('Timeout');
    const sockets = count('TCPSocketWrap');
    const results = await Promise.all([1, 2, 3].map(() => send(request(server.url), { ...FAST, timeoutMs: 200 })));
    expect(results.map((r) => r.failure?.kind)).toEqual(['first-byte-timeout', 'first-byte-timeout', 'first-byte-timeout']);
    expect(await until(() => server.openConnections === 0)).toBe(true);
    expect(await until(() => count('TCPSocketWrap') <= sockets)).toBe(true);
    expect(count('Timeout')).toBeLessThanOrEqual(timers);
  });
});

/**
 * `startProxy`: the validating proxy. Forwards every request to the target and every answer back
 * unchanged, chunk by chunk as it arrives (src/transport/forward.ts), keeps a bounded copy of
 * each body on the side, and judges each exchange once it has ended, as `tgc validate exchanges`
 * would judge its recording. Judging never changes what the client gets and never delays it: it
 * runs after the last byte has been passed on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ApiName, RecordedExchange, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { parseJson, type ExactJson } from '../core/json.js';
import type { TgcReport } from '../report/report.js';
import { decodeUtf8Body, isEventStream, isJsonType, joinHeaders, jsonDepth, MAX_JSON_DEPTH } from '../transport/body.js';
import { createForwarder, DEFAULT_FORWARD_LIMITS, endToEndHeaders, type ForwardFailure, type ForwardLimits } from '../transport/forward.js';
import { toRecordedExchange } from '../transport/record.js';
import type { TransportResult } from '../transport/types.js';
import { BoundedCapture, decodeContent } from './body.js';
import { createJudge, isClientFinding } from './judge.js';
import { routeOf, targetUrl, type NativeFlavour } from './routes.js';
import { createSecretStore, redactHeaders, type SecretStore } from './secrets.js';
import { Tally, type ExchangeDetail, type ExchangeFacts } from './tally.js';

export interface ProxyOptions {
  /** The proxied URL: a server's base URL, or the seed document's endpoint. */
  target: string;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** How paths other than the OpenAI-compatible ones are judged. @defaultValue 'tgi' */
  api?: NativeFlavour;
  /** Deadlines before the answer (connect, first byte); none once it has begun. */
  limits?: Partial<ForwardLimits>;
  /** Bytes of one body (request or response, decoded) kept for judging; past it, not judged. @defaultValue 10 MiB */
  maxBodyBytes?: number;
  /** Each finding as it is made (the client's marked `client`). */
  onFinding?: (event: FindingEvent) => void;
  /** An exchange forwarded but not judged, the first time its path and reason are seen. */
  onNotJudged?: (label: string, reason: string) => void;
  /** Each exchange judged, as `--record` writes it (credentials removed from its headers). */
  onExchange?: (exchange: RecordedExchange) => void;
  /**
   * Called after every {@link COLLECT_EVERY_BYTES} of answers passed on: the command line hands
   * a collection of V8's young generation here. The socket buffers a fast stream leaves behind
   * are freed only by a collection, which V8 otherwise puts off until tens of megabytes of them
   * wait (a plain node:http pipe grows by ~25 MB on its first 100 MB stream); a scavenge every
   * few megabytes keeps that bounded at a fraction of a millisecond each.
   */
  collect?: () => void;
}

export const COLLECT_EVERY_BYTES = 2 * 1024 * 1024;

export interface FindingEvent {
  finding: Finding;
  client: boolean;
  /** `POST /generate 200` */
  label: string;
}

export interface ProxyServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** The credentials seen so far: scrub everything written with it. */
  secrets: SecretStore;
  tally: Tally;
  /** Exchanges being forwarded now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the exchanges in flight finish within `drainMs`, cuts the
   * rest (counted "not judged"), and resolves once every exchange has been judged.
   */
  stop(drainMs: number): Promise<{ cut: number }>;
  /** The report of what was seen so far; `target.url` is the proxied URL. */
  report(interrupted: boolean): TgcReport;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** What the proxy answers when the target did not: 504 for a deadline, 502 otherwise. */
function gatewayStatus(kind: string): number {
  return kind === 'connect-timeout' || kind === 'first-byte-timeout' ? 504 : 502;
}

export async function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  const target = new URL(options.target);
  const flavour = options.api ?? 'tgi';
  const limits: ForwardLimits = { ...DEFAULT_FORWARD_LIMITS, ...options.limits };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const forwarder = createForwarder(limits);
  const secrets = createSecretStore();
  const tally = new Tally();
  const judge = createJudge();
  const startedAt = new Date();
  const inFlight = new Set<{ cut(): void }>();
  const judging = new Set<Promise<void>>();
  let stopping = false;
  let passed = 0;
  let drained: (() => void) | undefined;

  const passedBytes = (n: number): void => {
    passed += n;
    if (passed >= COLLECT_EVERY_BYTES && options.collect) {
      passed = 0;
      options.collect();
    }
  };
  const notJudged = (label: string, reason: string, facts?: Parameters<Tally['skip']>[2]): void => {
    if (tally.skip(label, reason, facts)) options.onNotJudged?.(label, reason);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const url = targetUrl(target, path);
    const decision = routeOf(method, path, flavour, url.pathname);
    const label = `${method} ${url.pathname}`;
    secrets.learn(req.rawHeaders);

    const controller = new AbortController();
    let clientGone = false;
    let cutAtStop = false;
    const entry = {
      cut() {
        cutAtStop = true;
        controller.abort();
        res.destroy();
      },
    };
    inFlight.add(entry);
    res.on('close', () => {
      if (!res.writableFinished) {
        clientGone = true;
        controller.abort();
      }
    });

    const requestCapture = decision.judged ? new BoundedCapture(maxBody) : undefined;
    let requestEnded = false;
    req.on('data', (chunk: Buffer) => {
      requestCapture?.push(chunk);
      passedBytes(chunk.length);
    });
    req.on('end', () => {
      requestEnded = true;
    });

    const done = (): void => {
      inFlight.delete(entry);
      if (inFlight.size === 0) drained?.();
    };
    const settle = (work: Promise<void>): void => {
      const p = work.catch(() => undefined).finally(() => judging.delete(p));
      judging.add(p);
    };

    void forwarder
      .forward(
        {
          method,
          url,
          rawHeaders: endToEndHeaders(req.rawHeaders),
          body: req,
          replay: () => (requestEnded && requestCapture && !requestCapture.overflow ? requestCapture.bytes() : undefined),
        },
        controller.signal,
      )
      .then(async (outcome) => {
        if (!outcome.ok) {
          const gone = clientGone || outcome.kind === 'aborted';
          if (!gone && !cutAtStop && !res.headersSent) {
            const status = gatewayStatus(outcome.kind);
            const body = `tgc proxy: the target ${url.origin} did not answer (${outcome.kind}): ${outcome.message}\n`;
            res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
            res.end(body);
          }
          if (!outcome.connected) tally.unreachable++;
          done();
          if (cutAtStop) return notJudged(label, 'still in flight when the proxy stopped');
          if (gone) return notJudged(label, 'the client went away before the answer');
          if (!decision.judged) return notJudged(label, `${decision.reason}; and the target did not answer (${outcome.kind})`);
          const facts = { method, url: url.toString(), label, t0, firstByteMs: undefined, stream: false };
          settle(judgeExchange(decision.route, decision.api, facts, req, requestCapture, requestEnded, undefined, outcome));
          return;
        }
        const up = outcome.response;
        secrets.learn(up.rawHeaders);
        const firstByteMs = performance.now() - t0;
        res.sendDate = false; // the target's Date, or none: never the proxy's
        if (stopping) res.shouldKeepAlive = false;
        try {
          res.writeHead(up.statusCode ?? 502, up.statusMessage, endToEndHeaders(up.rawHeaders));
        } catch {
          // A status text node will not write (a control character): the status and headers alone.
          res.writeHead(up.statusCode ?? 502, endToEndHeaders(up.rawHeaders));
        }
        const sse = isEventStream(rawHeader(up.rawHeaders, 'content-type'));
        if (sse) res.flushHeaders();
        const responseCapture = decision.judged ? new BoundedCapture(maxBody) : undefined;
        up.on('data', (chunk: Buffer) => {
          responseCapture?.push(chunk);
          passedBytes(chunk.length);
        });
        up.pipe(res);
        const failure = await outcome.ended;
        // The target cut its answer: cut the client's the same way (never pass a cut answer as whole).
        if (failure && !res.destroyed) res.destroy();
        tally.answered++;
        done();
        if (cutAtStop) return notJudged(label, 'still in flight when the proxy stopped');
        if (clientGone || failure?.kind === 'aborted') return notJudged(label, 'the client went away before the answer ended');
        if (!decision.judged) return notJudged(label, decision.reason, { route: label, status: up.statusCode ?? 0, totalMs: performance.now() - t0, firstByteMs });
        const facts = { method, url: url.toString(), label, t0, firstByteMs, stream: sse, ...(outcome.resent ? { resent: outcome.resent } : {}) };
        settle(judgeExchange(decision.route, decision.api, facts, req, requestCapture, requestEnded, { up, capture: responseCapture }, failure));
      })
      .catch(() => {
        // Not reachable by design: an answer the proxy cannot give is a cut connection, never a crash.
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('tgc proxy: internal error\n');
        } else res.destroy();
        done();
      });
  }

  async function judgeExchange(
    route: RouteName,
    api: ApiName,
    facts: { method: string; url: string; label: string; t0: number; firstByteMs: number | undefined; stream: boolean; resent?: { idleMs: number; error: string } },
    req: IncomingMessage,
    requestCapture: BoundedCapture | undefined,
    requestEnded: boolean,
    response: { up: IncomingMessage; capture: BoundedCapture | undefined } | undefined,
    failure: ForwardFailure | undefined,
  ): Promise<void> {
    const totalMs = performance.now() - facts.t0;
    const label = facts.label;
    const status = response?.up.statusCode ?? 0;
    const timingFacts = { route, status, totalMs, ...(facts.firstByteMs !== undefined ? { firstByteMs: facts.firstByteMs } : {}) };
    // The request.
    let requestText: string | undefined;
    let requestBody: ExactJson | undefined;
    let requestBytes: number | undefined;
    if (requestCapture?.overflow) return notJudged(label, `too large: the request body exceeds ${maxBody} bytes (it was forwarded whole)`, timingFacts);
    const rawRequest = requestCapture?.bytes();
    if (requestEnded && rawRequest) {
      const coded = decodeContent(rawRequest, rawHeader(req.rawHeaders, 'content-encoding'), maxBody);
      const decoded = coded instanceof Promise ? await coded : coded;
      if (!decoded.ok) return notJudged(label, `request: ${decoded.reason}`, timingFacts);
      requestBytes = decoded.bytes.length;
      const text = decodeUtf8Body(decoded.bytes, true);
      if (text.invalidAt === undefined && decoded.bytes.length > 0) {
        requestText = text.text;
        const parsed = jsonDepth(text.text, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH ? parseJson(text.text) : undefined;
        if (parsed?.ok) requestBody = parsed.value;
      }
    }
    // The response, as the transport records one.
    const responseHeaders = response ? redactHeaders(joinHeaders(response.up.rawHeaders)) : undefined;
    const contentType = responseHeaders?.['content-type'];
    const result: TransportResult = {
      connected: failure?.connected ?? true,
      timings: { startedAt: 0, totalMs, eventMs: [] },
      bytes: failure?.afterBytes ?? 0,
      ...(response ? { status, headers: responseHeaders ?? {}, ...(contentType !== undefined ? { contentType } : {}) } : {}),
      ...(failure ? { failure: { kind: failure.kind, message: failure.message, afterBytes: failure.afterBytes } } : {}),
    };
    let responseText: string | undefined;
    if (response && !failure) {
      const capture = response.capture;
      if (!capture || capture.overflow) return notJudged(label, `too large: the response body exceeds ${maxBody} bytes (it was forwarded whole)`, timingFacts);
      const coded = decodeContent(capture.bytes() ?? Buffer.alloc(0), responseHeaders?.['content-encoding'], maxBody);
      const decoded = coded instanceof Promise ? await coded : coded;
      if (!decoded.ok) return notJudged(label, `response: ${decoded.reason}`, timingFacts);
      const text = decodeUtf8Body(decoded.bytes, true);
      responseText = text.text;
      if (text.invalidAt !== undefined) {
        result.failure = { kind: 'invalid-utf8', message: `the ${facts.stream ? 'stream' : 'body'} is not UTF-8: invalid byte at offset ${text.invalidAt}`, afterBytes: decoded.bytes.length };
      } else if (!facts.stream && isJsonType(contentType) && jsonDepth(text.text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        result.failure = { kind: 'protocol-error', message: `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; kept as text, not parsed`, afterBytes: decoded.bytes.length };
      }
      if (facts.stream) result.stream = { raw: text.text, events: [], findings: [] };
      else result.bodyText = text.text;
    }
    const exchange: RecordedExchange = toRecordedExchange(route, requestBody, result) ?? { route, request: requestBody, status: 0 };
    if (result.failure && !exchange.transportFailure) exchange.transportFailure = { kind: result.failure.kind, message: result.failure.message };
    exchange.api = api;
    const requestHeaders = redactHeaders(joinHeaders(endToEndHeaders(req.rawHeaders)));
    exchange.requestHeaders = requestHeaders;
    exchange.timings = {
      totalMs: round(totalMs),
      ...(facts.firstByteMs !== undefined ? { firstByteMs: round(facts.firstByteMs) } : {}),
      ...(facts.resent ? { resent: facts.resent } : {}),
    };

    const judgement = await judge(exchange, requestEnded ? (requestBytes ?? 0) : undefined);
    const exchangeFacts: ExchangeFacts = {
      route,
      method: facts.method,
      url: facts.url,
      stream: facts.stream,
      totalMs,
      ...(facts.firstByteMs !== undefined ? { firstByteMs: facts.firstByteMs } : {}),
      ...(status > 0 ? { status } : {}),
      detail(): ExchangeDetail {
        const bare = secrets.overflowed;
        return {
          requestHeaders,
          ...(requestText !== undefined && !bare ? { requestText } : {}),
          bearer: /^bearer\s/i.test(rawHeader(req.rawHeaders, 'authorization') ?? ''),
          ...(responseHeaders ? { responseHeaders } : {}),
          ...(responseText !== undefined && !bare ? { responseText } : {}),
          ...(result.failure ? { failure: `${result.failure.kind}: ${result.failure.message}` } : {}),
        };
      },
    };
    tally.add(exchangeFacts, judgement, requestBody);
    const where = `${route}${status > 0 ? ` ${status}` : ''}`;
    for (const finding of judgement.findings) options.onFinding?.({ finding, client: isClientFinding(finding), label: where });
    options.onExchange?.(exchange);
  }

  const server = createServer({ noDelay: true, keepAliveTimeout: 5_000 }, handle);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    secrets,
    tally,
    inFlight: () => inFlight.size,
    async stop(drainMs) {
      stopping = true;
      server.close();
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const cut = inFlight.size;
      for (const entry of [...inFlight]) entry.cut();
      server.closeAllConnections();
      // Cut exchanges settle within a few turns; then every judgement they started (bounded wait).
      const until = performance.now() + 5_000;
      while ((inFlight.size > 0 || judging.size > 0) && performance.now() < until) {
        await Promise.race([Promise.all([...judging]), new Promise((r) => setTimeout(r, 10))]);
      }
      forwarder.close();
      return { cut };
    },
    report(interrupted) {
      return tally.report({ target: target.href.replace(/\/+$/, ''), fallbackApi: flavour === 'openai' ? 'openai' : flavour, startedAt, interrupted });
    },
  };
}

/**
 * The first value of a header, from the raw pairs (node's `headers` object is built on first use:
 * a cost per request the proxy does not need).
 */
function rawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if ((rawHeaders[i] ?? '').toLowerCase() === name) return rawHeaders[i + 1];
  return undefined;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

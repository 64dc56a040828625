/** The transport's request and result types. */
import type { SseEvent } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';

/** One HTTP request. The transport never records or logs its headers (they carry the token). */
export interface TransportRequest {
  method: 'GET' | 'POST';
  /** An absolute `http:` or `https:` URL. */
  url: string;
  /**
   * Request headers. `accept-encoding` and `content-length` are the transport's own: any given
   * here are replaced (`identity`, and the UTF-8 length of `body`).
   */
  headers: Record<string, string>;
  /** Sent as UTF-8. */
  body?: string;
  /**
   * The most bytes of a 2xx body (or stream), where the request bounds a correct answer (the
   * engine's case limits); the smaller of it and `maxBodyBytes` applies. Exceeded: `body-too-large`.
   */
  maxOkBodyBytes?: number;
  /**
   * The most bytes of a body with any other status (an error, a redirect): the smaller of it and
   * `maxBodyBytes` applies. Exceeded: `body-too-large`.
   */
  maxErrorBodyBytes?: number;
}

/**
 * Why an exchange ended early or went wrong. `refused`, `dns` and `connect-timeout` mean no
 * connection was made (`connected: false`); every other kind happened on an accepted connection.
 */
export type TransportFailureKind =
  /** The connection was refused (or the host was unreachable), before any byte. */
  | 'refused'
  /** The host name did not resolve. */
  | 'dns'
  /** No TCP connection within `connectTimeoutMs`. */
  | 'connect-timeout'
  /** Connected, but not one response byte within `timeoutMs`. */
  | 'first-byte-timeout'
  /** Some response bytes came, but the headers (any response) or the whole non-stream body did not within `timeoutMs`. */
  | 'deadline'
  /** A stream's body was silent for `streamIdleMs`. */
  | 'stream-idle'
  /** A stream did not end within `streamTotalMs` of the start. */
  | 'stream-deadline'
  /** The body (or the whole stream) exceeded `maxBodyBytes`. */
  | 'body-too-large'
  /** The connection was reset or closed before the response ended. */
  | 'reset'
  /** The body is not UTF-8; the message gives the byte offset. */
  | 'invalid-utf8'
  /** The stream had more than `maxEvents` data events. */
  | 'too-many-events'
  /** A stream event exceeded `maxEventBytes`. */
  | 'event-too-large'
  /** The body disagreed with its Content-Length (shorter, longer), or the header was invalid or repeated. */
  | 'bad-content-length'
  /**
   * Not HTTP, a malformed response, a compressed body although `identity` was asked, JSON nested
   * deeper than `MAX_JSON_DEPTH`, a TLS failure; with `connected: false`: an invalid URL,
   * header or limit (nothing was sent).
   */
  | 'protocol-error'
  /** The caller's AbortSignal fired. */
  | 'aborted';

/** Everything `send` observed. Holds no request header: the caller keeps the request. */
export interface TransportResult {
  /**
   * False only when nothing could be exchanged: `refused`, `dns`, `connect-timeout` (exit 2
   * territory), and also when nothing was attempted (`protocol-error` for an invalid URL, header
   * or limit; `aborted` before the connection).
   */
  connected: boolean;
  status?: number;
  /** Response headers: lower-case names; repeated headers joined with ", ". */
  headers?: Record<string, string>;
  /** The `content-type` header as sent. */
  contentType?: string;
  /**
   * A response body that is not `text/event-stream`, decoded as UTF-8 (fatal), at most
   * `maxBodyBytes`; on `body-too-large`, its first 64 Ki characters (`CUT_BODY_KEPT_CHARS`); on
   * `invalid-utf8`, the text before the bad byte. Absent when the body was not
   * read (no response, or a compressed body).
   */
  bodyText?: string;
  /** When the response is `text/event-stream`. */
  stream?: {
    /** The raw text received, at most `maxBodyBytes` (before the first invalid byte, if any). */
    raw: string;
    /** The data events, in order, as the bounded SSE decoder delivered them. */
    events: SseEvent[];
    /** The decoder's `stream-framing` findings. */
    findings: Finding[];
  };
  /** A limit was hit or the peer misbehaved. The first one wins. */
  failure?: {
    kind: TransportFailureKind;
    message: string;
    /** Body bytes received when it happened. */
    afterBytes: number;
  };
  /** A 3xx with a Location: recorded, never followed. */
  redirect?: { status: number; location: string };
  timings: {
    /** Epoch milliseconds at the start. */
    startedAt: number;
    /**
     * Start → TCP connection established; on a kept-alive connection of the pool (`reused`),
     * start → that connection handed to this request (no handshake: near 0).
     */
    connectMs?: number;
    /** The request went on a kept-alive connection an earlier exchange had used (see `send`'s pool). */
    reused?: true;
    /**
     * The request went first on a kept-alive connection, idle for `idleMs` (rounded to 0.1 ms),
     * that the server closed before any byte of an answer (`error`: what node saw), and was sent
     * again on a fresh connection: the other timings are the second attempt's.
     */
    resent?: Resent;
    /** Start → first response byte. */
    firstByteMs?: number;
    /** Start → the result. */
    totalMs: number;
    /** Start → the arrival of each data event, aligned with `stream.events`. */
    eventMs: number[];
  };
  /** Response body bytes received (including any beyond a limit, in the chunk that crossed it). */
  bytes: number;
}

/**
 * A request sent first on a kept-alive connection, idle for `idleMs`, that the server closed
 * before any byte of an answer (`error`: what node saw: ECONNRESET, EPIPE, "socket hang up",
 * closed), then again on a fresh connection.
 */
export interface Resent {
  idleMs: number;
  error: string;
}

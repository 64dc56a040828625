/**
 * Maps the errors node:http reports to the transport's failure kinds. Pure: it reads the error's
 * `code` and `message` and what the exchange had seen when it happened.
 */
import http from 'node:http';
import type { TransportFailureKind } from './types.js';

/** What the exchange had seen when the error came. */
export interface ErrorContext {
  /** The TCP connection was established. */
  connected: boolean;
  /** Response headers were received. */
  responded: boolean;
  /** The response's Content-Length, when it declared one. */
  declaredLength?: number;
  /** Body bytes received so far. */
  bytes: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA', 'EAI_ADDRFAMILY']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * The failure kind and a message for an error of node:http (or of its socket).
 *
 * - Before the connection: `dns` for resolver errors; `reset` for ECONNRESET (the handshake had
 *   completed: the peer accepted, then reset); otherwise `refused` (ECONNREFUSED, and
 *   ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL… under that kind, the code in the message).
 * - llhttp's `HPE_INVALID_CONTENT_LENGTH` / `HPE_UNEXPECTED_CONTENT_LENGTH` (a bad or repeated
 *   Content-Length), or `HPE_INVALID_CONSTANT` right after a response with a Content-Length
 *   (bytes beyond the declared length): `bad-content-length`. Other `HPE_*`: `protocol-error`.
 * - node's "aborted" (the peer closed before the body's end) with a declared Content-Length not
 *   reached: `bad-content-length`; without one (chunked, or no body yet): `reset`.
 * - ECONNRESET, EPIPE, "socket hang up": `reset`. TLS failures (certificate, handshake) and
 *   anything else: `protocol-error` (the TCP connection was accepted: a violation, not exit 2).
 */
export function classifyError(
  error: unknown,
  context: ErrorContext,
): { kind: TransportFailureKind; message: string } {
  const code = errorCode(error);
  const text = errorMessage(error);
  if (!context.connected) {
    if (code !== undefined && DNS_CODES.has(code)) {
      return { kind: 'dns', message: `the host name did not resolve (${code})` };
    }
    if (code === 'ECONNREFUSED') return { kind: 'refused', message: 'the connection was refused (ECONNREFUSED)' };
    // A reset before node saw the connect: the handshake had completed, then the peer reset it.
    if (code === 'ECONNRESET') return { kind: 'reset', message: 'the connection was reset as soon as it was accepted (ECONNRESET)' };
    return { kind: 'refused', message: `could not connect: ${text}` };
  }
  if (code === 'HPE_INVALID_CONTENT_LENGTH' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH') {
    return { kind: 'bad-content-length', message: `invalid Content-Length header: ${text}` };
  }
  if (code === 'HPE_INVALID_CONSTANT' && context.responded && context.declaredLength !== undefined) {
    return {
      kind: 'bad-content-length',
      message: `the server sent more bytes than its Content-Length (${context.declaredLength}) declared: ${text}`,
    };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    // node stops at its header limit (16 KiB by default) and drops the connection: a server whose
    // headers never end costs tgc no more than that.
    return {
      kind: 'protocol-error',
      message: `invalid HTTP response: the response headers exceed node's limit (${http.maxHeaderSize} bytes; \`node --max-http-header-size\` raises it)`,
    };
  }
  if (code?.startsWith('HPE_')) {
    return { kind: 'protocol-error', message: `invalid HTTP response: ${text}` };
  }
  if (text === 'aborted' && context.responded) {
    if (context.declaredLength !== undefined && context.bytes < context.declaredLength) {
      return {
        kind: 'bad-content-length',
        message: `the connection closed after ${context.bytes} of the ${context.declaredLength} body bytes its Content-Length declared`,
      };
    }
    return { kind: 'reset', message: `the connection closed before the body ended (after ${context.bytes} bytes)` };
  }
  if (text === 'socket hang up') {
    return { kind: 'reset', message: 'the connection closed before any response (socket hang up)' };
  }
  if (code !== undefined && RESET_CODES.has(code)) {
    const where = context.responded ? `after ${context.bytes} body bytes` : 'before the response headers';
    return { kind: 'reset', message: `the connection was reset ${where} (${code})` };
  }
  if (code !== undefined && (code === 'EPROTO' || /^ERR_(TLS|SSL)_|CERT|SIGNATURE|ISSUER/.test(code))) {
    return { kind: 'protocol-error', message: `TLS failed: ${text} (${code})` };
  }
  return { kind: 'protocol-error', message: `${context.responded ? 'while reading the body' : 'before the response'}: ${text}` };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorContext } from './classify.js';

const err = (code: string | undefined, message: string): Error => Object.assign(new Error(message), code ? { code } : {});
const before: ErrorContext = { connected: false, responded: false, bytes: 0 };
const connected: ErrorContext = { connected: true, responded: false, bytes: 0 };
const responding = (extra: Partial<ErrorContext> = {}): ErrorContext => ({ connected: true, responded: true, bytes: 10, ...extra });

describe('classifyError', () => {
  it('before the connection: dns, refused, reset', () => {
    expect(classifyError(err('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid'), before).kind).toBe('dns');
    expect(classifyError(err('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x'), before).kind).toBe('dns');
    expect(classifyError(err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), before).kind).toBe('refused');
    const unreachable = classifyError(err('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80'), before);
    expect(unreachable.kind).toBe('refused');
    expect(unreachable.message).toMatch(/EHOSTUNREACH/);
    expect(classifyError(err('ECONNRESET', 'read ECONNRESET'), before).kind).toBe('reset');
  });

  it('llhttp errors: Content-Length ones are bad-content-length, the rest protocol-error', () => {
    expect(classifyError(err('HPE_INVALID_CONTENT_LENGTH', 'Parse Error'), connected).kind).toBe('bad-content-length');
    expect(classifyError(err('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length'), connected).kind).toBe(
      'bad-content-length',
    );
    expect(classifyError(err('HPE_INVALID_CONSTANT', 'Expected HTTP/'), connected).kind).toBe('protocol-error');
    expect(classifyError(err('HPE_HEADER_OVERFLOW', 'Header overflow'), connected).kind).toBe('protocol-error');
    // Garbage right after a body of declared length: bytes beyond the Content-Length.
    expect(classifyError(err('HPE_INVALID_CONSTANT', 'Expected HTTP/'), responding({ declaredLength: 5 })).kind).toBe(
      'bad-content-length',
    );
  });

  it('a premature close: bad-content-length when a declared length was not reached, else reset', () => {
    const short = classifyError(err('ECONNRESET', 'aborted'), responding({ declaredLength: 100, bytes: 9 }));
    expect(short).toEqual({
      kind: 'bad-content-length',
      message: 'the connection closed after 9 of the 100 body bytes its Content-Length declared',
    });
    expect(classifyError(err('ECONNRESET', 'aborted'), responding()).kind).toBe('reset');
  });

  it('resets and hang-ups: reset; anything else: protocol-error', () => {
    expect(classifyError(err('ECONNRESET', 'socket hang up'), connected).kind).toBe('reset');
    expect(classifyError(err('ECONNRESET', 'read ECONNRESET'), responding()).message).toMatch(/after 10 body bytes/);
    expect(classifyError(err('EPIPE', 'write EPIPE'), connected).kind).toBe('reset');
    expect(classifyError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), connected)).toEqual({
      kind: 'protocol-error',
      message: 'TLS failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
    expect(classifyError('not an error', connected).kind).toBe('protocol-error');
  });
});

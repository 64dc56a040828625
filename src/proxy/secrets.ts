/**
 * Credentials pass through the proxy to the target, and are never written: the proxy cannot know
 * them in advance, so it learns them by header name as they pass, removes those headers from
 * everything it keeps, and scrubs every value it has seen from every text it writes (bodies and
 * excerpts included, where a server may echo them).
 */
import { createScrubber } from '../report/scrub.js';

/** Headers whose values are credentials, in requests and responses. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
]);

/** What a secret header's value is replaced with where headers are written. */
export const REDACTED = '[redacted]';

/**
 * Beyond this many distinct values (a server handing every client its own session cookie), the
 * bodies and excerpts that could hold one no longer kept are not written at all (`overflowed`).
 */
const MAX_SECRETS = 1_000;

export interface SecretStore {
  /** Learns the credentials in a message's raw headers (name, value, …). */
  learn(rawHeaders: readonly string[]): void;
  /** Removes every credential seen so far from a text. */
  scrub(text: string): string;
  /**
   * True once more distinct credentials passed than the store keeps: bodies and excerpts are
   * then left out of what is written, since they could hold one that was not kept.
   */
  readonly overflowed: boolean;
}

export function createSecretStore(): SecretStore {
  const values = new Set<string>();
  let scrubber: ((text: string) => string) | undefined = (text) => text;
  let overflowed = false;
  const add = (v: string): void => {
    const value = v.trim();
    if (value.length < 4 || values.has(value)) return;
    if (values.size >= MAX_SECRETS) {
      overflowed = true;
      return;
    }
    values.add(value);
    scrubber = undefined;
  };
  return {
    learn(rawHeaders) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = (rawHeaders[i] ?? '').toLowerCase();
        if (!SECRET_HEADERS.has(name)) continue;
        const value = rawHeaders[i + 1] ?? '';
        add(value);
        for (const part of secretParts(name, value)) add(part);
      }
    },
    scrub(text) {
      scrubber ??= createScrubber([...values]);
      return scrubber(text);
    },
    get overflowed() {
      return overflowed;
    },
  };
}

/**
 * The parts of a credential header that may appear alone elsewhere: the token after the scheme
 * (`Bearer hf_xxx`), each cookie's value (`a=xyz; b=…`, or `name=value; Path=/` for Set-Cookie).
 */
export function secretParts(name: string, value: string): string[] {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const m = /^\s*\S+\s+(.+)$/.exec(value);
    const token = m?.[1]?.trim();
    if (!token) return [];
    // Basic: the decoded user:password too.
    const parts = [token];
    if (/^basic$/i.test(value.trim().split(/\s+/)[0] ?? '')) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      parts.push(decoded, ...decoded.split(':').slice(1));
    }
    return parts;
  }
  if (name === 'cookie' || name === 'set-cookie') {
    const pairs = name === 'cookie' ? value.split(';') : [value.split(';')[0] ?? ''];
    return pairs.map((p) => p.slice(p.indexOf('=') + 1).trim()).filter((v) => v !== '');
  }
  return [];
}

/** Headers (lower-case names) with the credential ones redacted; the Authorization scheme stays. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name)) out[name] = value;
    else if (name === 'authorization' && /^bearer\s/i.test(value)) out[name] = 'Bearer $HF_TOKEN';
    else out[name] = REDACTED;
  }
  return out;
}

/**
 * What the proxy keeps of a body for judging: the bytes as they passed, up to a bound per body
 * (past it nothing more is kept and the exchange is not judged: the bytes still pass), then
 * decoded through a bounded decompressor (gzip, deflate, br from node:zlib): a decompression
 * bomb stops at the same bound.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Chunks of one body, up to `max` bytes; past it, dropped, and `overflow` set. */
export class BoundedCapture {
  private chunks: Buffer[] = [];
  /** Bytes kept. */
  size = 0;
  /** Bytes seen (kept or not). */
  seen = 0;
  overflow = false;

  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    if (this.overflow) return;
    if (this.size + chunk.length > this.max) {
      this.overflow = true;
      this.chunks = [];
      this.size = 0;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The bytes kept, or `undefined` past the bound. */
  bytes(): Buffer | undefined {
    if (this.overflow) return undefined;
    if (this.chunks.length === 1) return this.chunks[0];
    const whole = Buffer.concat(this.chunks, this.size);
    this.chunks = [whole];
    return whole;
  }
}

const gunzip = promisify(zlib.gunzip) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const inflate = promisify(zlib.inflate) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const inflateRaw = promisify(zlib.inflateRaw) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const brotli = promisify(zlib.brotliDecompress) as (buf: Buffer, options: zlib.BrotliOptions) => Promise<Buffer>;

/** The content codings the proxy decodes for judging. */
export const DECODED_CODINGS: readonly string[] = ['gzip', 'x-gzip', 'deflate', 'br'];

export type Decoded = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/**
 * The body as its content codings (`Content-Encoding`, applied in the order listed) undo, at most
 * `max` bytes out. An unknown coding, a corrupt stream or an output past `max` is a reason not
 * to judge, never an error.
 */
export function decodeContent(bytes: Buffer, contentEncoding: string | undefined, max: number): Decoded | Promise<Decoded> {
  // Most bodies are not encoded: no promise, no turn of the event loop.
  if (contentEncoding === undefined || contentEncoding === '' || contentEncoding === 'identity') return { ok: true, bytes };
  return decodeCodings(bytes, contentEncoding, max);
}

async function decodeCodings(bytes: Buffer, contentEncoding: string, max: number): Promise<Decoded> {
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let out = bytes;
  for (const coding of codings.reverse()) {
    if (!DECODED_CODINGS.includes(coding)) {
      return { ok: false, reason: `content-encoding ${JSON.stringify(coding)} cannot be decoded (tgc decodes ${DECODED_CODINGS.filter((c) => c !== 'x-gzip').join(', ')})` };
    }
    try {
      const options = { maxOutputLength: Math.max(1, max) };
      if (coding === 'br') out = await brotli(out, options);
      else if (coding === 'deflate') {
        // "deflate" is zlib-wrapped by the RFC; some servers send it raw.
        out = await inflate(out, options).catch((e: NodeJS.ErrnoException) => (e.code === 'ERR_BUFFER_TOO_LARGE' ? Promise.reject(e) : inflateRaw(out, options)));
      } else out = await gunzip(out, options);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return { ok: false, reason: `too large: the ${coding}-decoded body exceeds ${max} bytes` };
      return { ok: false, reason: `the ${coding} body does not decode: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, bytes: out };
}

import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BoundedCapture, decodeContent } from './body.js';

describe('BoundedCapture', () => {
  it('keeps chunks up to the bound, then nothing (and says so)', () => {
    const c = new BoundedCapture(10);
    c.push(Buffer.from('hello'));
    c.push(Buffer.from('world'));
    expect(c.bytes()?.toString()).toBe('helloworld');
    c.push(Buffer.from('!'));
    expect(c.overflow).toBe(true);
    expect(c.bytes()).toBeUndefined();
    expect(c.seen).toBe(11);
  });
});

describe('decodeContent: a bounded decompressor', () => {
  const text = Buffer.from('{"generated_text":"hello"}'.repeat(10));
  it.each([
    ['gzip', gzipSync(text)],
    ['x-gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)], // raw deflate, as some servers send it
    ['br', brotliCompressSync(text)],
    ['identity', text],
    [undefined, text],
  ])('%s', async (coding, bytes) => {
    const out = await decodeContent(bytes, coding, 1 << 20);
    expect(out.ok && out.bytes.equals(text)).toBe(true);
  });
  it('codings applied in order are undone in reverse', async () => {
    const out = await decodeContent(brotliCompressSync(gzipSync(text)), 'gzip, br', 1 << 20);
    expect(out.ok && out.bytes.equals(text)).toBe(true);
  });
  it('a bomb stops at the bound: "too large"', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const out = await decodeContent(bomb, 'gzip', 1024 * 1024);
    expect(out).toEqual({ ok: false, reason: expect.stringMatching(/^too large/) });
  });
  it('an unknown coding or a corrupt body: a reason, never a throw', async () => {
    expect(await decodeContent(text, 'zstd', 1 << 20)).toEqual({ ok: false, reason: expect.stringMatching(/"zstd" cannot be decoded/) });
    expect(await decodeContent(text, 'gzip', 1 << 20)).toEqual({ ok: false, reason: expect.stringMatching(/does not decode/) });
  });
});

/**
 * Test helpers for `tgc proxy`: the built CLI in a child process (as a user runs it), raw HTTP
 * requests that see the bytes as sent (no decompression, no retries), a target that records what
 * it sent, and the resident memory of a process, read from outside.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BIN, ROOT } from '../../cli/__fixtures__/tgc-process.js';

export interface ProxyProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Sends `signal` and waits for the exit (killed after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves on exit. */
  exited: Promise<number | null>;
}

/** Starts `tgc proxy --port 0 …` and waits for its "listening on URL" line. */
export function startProxyProcess(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ProxyProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0', ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
    let out = '';
    let err = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tgc proxy did not start: ${out}${err}`));
    }, 30_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] && !started) {
        started = true;
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
            const code = await exited;
            clearTimeout(kill);
            return { code, stdout: out, stderr: err };
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`tgc proxy exited with ${String(code)}: ${out}${err}`));
    });
  });
}

export interface RawResponse {
  status: number;
  /** Raw header pairs as received (name, value, …). */
  rawHeaders: string[];
  body: Buffer;
}

/** One request over a fresh connection; the body as received, never decompressed. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'), headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Raw header pairs as `name: value` lines, without those of one connection and those that vary (date). */
export function endToEnd(rawHeaders: readonly string[]): string[] {
  const skip = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!skip.has(name.toLowerCase())) out.push(`${name}: ${rawHeaders[i + 1] ?? ''}`);
  }
  return out;
}

export interface Sent {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

export interface RecordingTarget {
  url: string;
  /** What the target sent, by the request's `x-test-id`. */
  sent: Map<string, Sent>;
  close(): Promise<void>;
}

/**
 * A target in front of `upstream` (the mock) that passes each answer on chunk by chunk and
 * records the exact bytes it sent, by the request's `x-test-id`. With `x-test-encoding: gzip`
 * (or any other name) it sends the body compressed (`gzip`), or labelled with that encoding
 * unchanged (a coding the proxy cannot decode).
 */
export async function startRecordingTarget(upstream: string): Promise<RecordingTarget> {
  const { createGzip } = await import('node:zlib');
  const sent = new Map<string, Sent>();
  const server = http.createServer((req, res) => {
    const id = String(req.headers['x-test-id'] ?? '');
    const encoding = req.headers['x-test-encoding'];
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== 'host' && !k.startsWith('x-test-')) headers[k] = v;
    const up = http.request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, agent: false }, (upRes) => {
      const raw: string[] = [];
      for (let i = 0; i + 1 < upRes.rawHeaders.length; i += 2) {
        const name = upRes.rawHeaders[i] ?? '';
        if (['connection', 'keep-alive', 'transfer-encoding'].includes(name.toLowerCase())) continue;
        if (encoding !== undefined && name.toLowerCase() === 'content-length') continue;
        raw.push(name, upRes.rawHeaders[i + 1] ?? '');
      }
      if (typeof encoding === 'string') raw.push('Content-Encoding', encoding);
      const record: Sent = { status: upRes.statusCode ?? 0, rawHeaders: raw, body: Buffer.alloc(0) };
      const chunks: Buffer[] = [];
      res.writeHead(record.status, raw);
      const source = encoding === 'gzip' ? upRes.pipe(createGzip({ flush: 2 /* Z_SYNC_FLUSH: pass each chunk on */ })) : upRes;
      source.on('data', (d: Buffer) => {
        chunks.push(d);
        res.write(d);
      });
      source.on('end', () => {
        record.body = Buffer.concat(chunks);
        sent.set(id, record);
        res.end();
      });
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The resident set size of a process, in bytes (Linux /proc), or undefined elsewhere. */
export function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export { ROOT };

/**
 * A deliberately broken HTTP server for the transport's tests: raw TCP (node:net), so that it can
 * send what node:http's server would refuse to (wrong Content-Length, resets, garbage). One mode
 * per hostile behaviour. Listens on loopback, port 0. Test code only.
 */
import net from 'node:net';
import { createGzip } from 'node:zlib';

export type HostileMode =
  /** A correct JSON 200 (the body from `options.body`, or a small GenerateResponse). */
  | 'json'
  /** A correct SSE 200: three token events and a final one. */
  | 'sse'
  /** Accepts, reads the request, never answers. */
  | 'never-answers'
  /** JSON headers (Content-Length 100), then nothing. */
  | 'headers-then-stall'
  /** SSE headers, one event, then nothing. */
  | 'sse-headers-then-stall'
  /** A JSON body with its Content-Length, one byte every `dripMs`. */
  | 'drip'
  /** SSE bytes, one every `dripMs`, forever. */
  | 'sse-drip'
  /** SSE keep-alive comments every `dripMs`, forever, and never an event. */
  | 'sse-keepalive-forever'
  /** SSE events as fast as the socket takes them, forever. */
  | 'endless-sse'
  /** One SSE data line that never ends. */
  | 'endless-sse-line'
  /**
   * `options.size` bytes (default 1 GiB) with that Content-Length (none with
   * `options.undeclared`), written as fast as the socket takes them.
   */
  | 'huge-body'
  /** A JSON body with a 0xFF byte at offset 20. */
  | 'invalid-utf8'
  /** An SSE stream with a 0xFF byte inside its second event. */
  | 'sse-invalid-utf8'
  /** 200 application/json whose body is not JSON. */
  | 'invalid-json'
  /** 200 application/json: `[` × `options.depth` (default 100,000) then as many `]`. */
  | 'deep-json'
  /** A GenerateResponse whose seed is 18446744073709551615 (u64 max). */
  | 'big-integers'
  /** Content-Length 100, 10 bytes, then a clean close (FIN). */
  | 'short-content-length'
  /** Content-Length 5, then 20 bytes. */
  | 'long-content-length'
  /** Content-Length: abc. */
  | 'invalid-content-length'
  /** Chunked encoding cut after one chunk, then a clean close. */
  | 'chunked-truncated'
  /** Content-Length 1000, 100 bytes, then a TCP reset. */
  | 'reset-mid-body'
  /** SSE: two events, then a TCP reset. */
  | 'reset-mid-stream'
  /** Accepts, reads the request, closes without a byte. */
  | 'close-without-response'
  /** Accepts and resets at once. */
  | 'reset-on-accept'
  /** HTTP 200 with an HTML error page. */
  | 'html-200'
  /** 302 to `options.location`. */
  | 'redirect'
  /** Ignores Accept-Encoding: a gzip body that inflates to 64 MiB. */
  | 'gzip-bomb'
  /** A reply that is not HTTP. */
  | 'not-http'
  /** Response headers that never end, a byte every `dripMs`. */
  | 'header-drip'
  /** 101 Switching Protocols, although no upgrade was asked. */
  | 'switch-protocols'
  /** Response headers without end, as fast as the socket takes them. */
  | 'header-flood'
  /**
   * Every request answered by an SSE stream of token events (each one a correct TGI event) that
   * drips: one event every `dripMs`, forever. Many at once with tgc's `--concurrency`.
   */
  | 'slow-streams';

export interface HostileServerOptions {
  mode: HostileMode;
  /** Default 127.0.0.1. */
  host?: string;
  /** Interval of the drip modes. Default 100 ms. */
  dripMs?: number;
  /** The Location of `redirect`. */
  location?: string;
  /** The body of `json`. */
  body?: string;
  /** Answer on the first bytes received, without waiting for an HTTP request (say, a TLS hello). */
  answerAnything?: boolean;
  /** The Content-Length (and bytes sent) of `huge-body`. Default 1 GiB. */
  size?: number;
  /** `huge-body` without a Content-Length: the body ends when the server closes. */
  undeclared?: boolean;
  /** The status line of `huge-body`. Default `200 OK`. */
  status?: string;
  /** The nesting of `deep-json`. Default 100,000. */
  depth?: number;
}

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface HostileServer {
  url: string;
  port: number;
  host: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Bytes the server wrote (or tried to), all connections. */
  readonly bytesWritten: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const GENERATED = '{"generated_text":"Hello world"}';
const TOKEN_EVENT = (i: number): string =>
  `data:{"index":${i},"token":{"id":${i},"text":"a","logprob":-0.5,"special":false},"generated_text":null,"details":null}\n\n`;
const SSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n';

let gzipBomb: Promise<Buffer> | undefined;

/** A gzip body that inflates to 64 MiB of zeros (about 64 KiB), built once, in pieces. */
function bomb(): Promise<Buffer> {
  gzipBomb ??= new Promise<Buffer>((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const out: Buffer[] = [];
    gzip.on('data', (c: Buffer) => out.push(c));
    gzip.on('end', () => resolve(Buffer.concat(out)));
    gzip.on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = 64;
    const write = (): void => {
      while (left > 0) {
        left--;
        if (!gzip.write(zeros)) {
          gzip.once('drain', write);
          return;
        }
      }
      gzip.end();
    };
    write();
  });
  return gzipBomb;
}

/** Starts a hostile server in `options.mode`; resolves once it listens. */
export async function startHostileServer(options: HostileServerOptions): Promise<HostileServer> {
  const host = options.host ?? '127.0.0.1';
  const dripMs = options.dripMs ?? 100;
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let written = 0;
  let connections = 0;
  const bombBody = options.mode === 'gzip-bomb' ? await bomb() : undefined;

  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    const timers = new Set<NodeJS.Timeout>();
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      for (const t of timers) {
        clearTimeout(t);
        clearInterval(t);
      }
    });

    const alive = (): boolean => !socket.destroyed && socket.writable;
    const write = (data: string | Buffer): boolean => {
      if (!alive()) return false;
      written += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      return socket.write(data);
    };
    const after = (ms: number, fn: () => void): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (alive()) fn();
      }, ms);
      timers.add(t);
    };
    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(() => {
        if (alive()) fn();
        else clearInterval(t);
      }, ms);
      timers.add(t);
    };
    /** Writes `chunk` again and again, honouring backpressure, until `limit` bytes or the peer leaves. */
    const pump = (chunk: Buffer, limit: number): void => {
      let sent = 0;
      const step = (): void => {
        while (alive() && sent < limit) {
          sent += chunk.length;
          if (!write(chunk)) {
            socket.once('drain', step);
            return;
          }
        }
        if (alive()) socket.end();
      };
      step();
    };
    const drip = (text: string, loop: boolean): void => {
      let i = 0;
      every(dripMs, () => {
        if (i >= text.length) {
          if (!loop) {
            socket.end();
            return;
          }
          i = 0;
        }
        write(text.slice(i, i + 1));
        i++;
      });
    };

    const respond = (): void => {
      const sse = (body: string): string => SSE_HEAD + body;
      const json = (body: string | Buffer, status = '200 OK', type = 'application/json'): void => {
        const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
        write(`HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
        write(body);
        socket.end();
      };
      switch (options.mode) {
        case 'json':
          return json(options.body ?? GENERATED);
        case 'sse':
          write(sse(TOKEN_EVENT(1) + TOKEN_EVENT(2) + TOKEN_EVENT(3)));
          after(20, () => {
            write(
              'data:{"index":4,"token":{"id":4,"text":"!","logprob":-0.1,"special":false},"generated_text":"aaa!","details":null}\n\n',
            );
            socket.end();
          });
          return;
        case 'never-answers':
          return;
        case 'headers-then-stall':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n');
          return;
        case 'sse-headers-then-stall':
          write(sse(TOKEN_EVENT(1)));
          return;
        case 'drip': {
          const body = `{"generated_text":"${'x'.repeat(200)}"}`;
          write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
          return drip(body, false);
        }
        case 'sse-drip':
          write(SSE_HEAD);
          return drip(TOKEN_EVENT(1), true);
        case 'sse-keepalive-forever':
          write(SSE_HEAD);
          return every(dripMs, () => write(':\n\n'));
        case 'endless-sse': {
          write(SSE_HEAD);
          let events = '';
          while (events.length < 64 * 1024) events += TOKEN_EVENT(7);
          return pump(Buffer.from(events), 1024 ** 3);
        }
        case 'endless-sse-line':
          write(SSE_HEAD + 'data:');
          return pump(Buffer.alloc(64 * 1024, 'a'), 1024 ** 3);
        case 'huge-body': {
          const size = options.size ?? 1024 ** 3;
          const length = options.undeclared === true ? 'Connection: close' : `Content-Length: ${size}`;
          write(`HTTP/1.1 ${options.status ?? '200 OK'}\r\nContent-Type: application/json\r\n${length}\r\n\r\n`);
          return pump(Buffer.alloc(64 * 1024, 'a'), size);
        }
        case 'invalid-utf8': {
          const body = Buffer.concat([Buffer.from('{"generated_text":"a'), Buffer.from([0xff]), Buffer.from('b"}')]);
          return json(body);
        }
        case 'sse-invalid-utf8':
          write(sse(TOKEN_EVENT(1) + 'data:{"index":2,"token":{"id":2,"text":"'));
          write(Buffer.from([0xc3, 0x28]));
          write('","logprob":-1,"special":false},"generated_text":null,"details":null}\n\n');
          socket.end();
          return;
        case 'invalid-json':
          return json('{"generated_text": "unterminated');
        case 'deep-json': {
          const depth = options.depth ?? 100_000;
          return json('['.repeat(depth) + ']'.repeat(depth));
        }
        case 'big-integers':
          return json(
            '{"generated_text":"a","details":{"finish_reason":"length","generated_tokens":1,"seed":18446744073709551615,"prefill":[],"tokens":[{"id":9007199254740993,"text":"a","logprob":-1,"special":false}]}}',
          );
        case 'short-content-length':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"generat');
          after(30, () => socket.end());
          return;
        case 'long-content-length':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"generated_text":"a"}');
          socket.end();
          return;
        case 'invalid-content-length':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}');
          socket.end();
          return;
        case 'chunked-truncated':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"gen\r\n');
          after(30, () => socket.end());
          return;
        case 'reset-mid-body':
          write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
          write('{"generated_text":"' + 'x'.repeat(81));
          after(30, () => socket.resetAndDestroy());
          return;
        case 'reset-mid-stream':
          write(sse(TOKEN_EVENT(1) + TOKEN_EVENT(2)));
          after(30, () => socket.resetAndDestroy());
          return;
        case 'close-without-response':
          socket.end();
          return;
        case 'reset-on-accept':
          return; // handled on accept
        case 'html-200':
          return json(
            '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
            '200 OK',
            'text/html; charset=utf-8',
          );
        case 'redirect':
          write(
            `HTTP/1.1 302 Found\r\nLocation: ${options.location ?? '/'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
          );
          socket.end();
          return;
        case 'gzip-bomb': {
          const body = bombBody ?? Buffer.alloc(0);
          write(
            `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`,
          );
          write(body);
          socket.end();
          return;
        }
        case 'not-http':
          write('SSH-2.0-OpenSSH_9.6\r\n');
          socket.end();
          return;
        case 'switch-protocols':
          write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nhello');
          return;
        case 'header-flood':
          write('HTTP/1.1 200 OK\r\n');
          return pump(Buffer.from('X-Flood: ' + 'a'.repeat(1000) + '\r\n'), 1024 ** 3);
        case 'header-drip':
          write('HTTP/1.1 200 OK\r\n');
          return drip('X-Slow: ' + 'a'.repeat(1000), true);
        case 'slow-streams': {
          write(SSE_HEAD);
          let i = 0;
          return every(dripMs, () => write(TOKEN_EVENT(i++)));
        }
      }
    };

    if (options.mode === 'reset-on-accept') {
      socket.resetAndDestroy();
      return;
    }
    // Read one request: head, then a Content-Length body.
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (data: Buffer) => {
      if (answered) return;
      buffered = Buffer.concat([buffered, data]);
      if (options.answerAnything) {
        answered = true;
        requests.push({ method: '', path: '', headers: {}, body: buffered.toString('latin1') });
        respond();
        return;
      }
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const lines = buffered.subarray(0, headEnd).toString('latin1').split('\r\n');
      const [method = '', path = ''] = (lines[0] ?? '').split(' ');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      answered = true;
      requests.push({ method, path, headers, body: buffered.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8') });
      respond();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    port,
    host,
    requests,
    get bytesWritten() {
      return written;
    },
    get openConnections() {
      return sockets.size;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

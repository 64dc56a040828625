/**
 * A hostile server in its own process, so that what a test measures of another process (tgc's
 * resident memory) is not shared with the server's. Run with tsx:
 *
 *   node --import tsx src/transport/__fixtures__/hostile-process.ts '{"mode":"endless-sse"}'
 *
 * Prints `listening on http://127.0.0.1:PORT` once it listens; exits on SIGTERM/SIGINT, when its
 * stdin closes (the parent died), or after `lifetimeMs` (default 10 minutes) whatever happens.
 * Test code only.
 */
import { startHostileServer, type HostileServerOptions } from './hostile-server.js';

const options = JSON.parse(process.argv[2] ?? '{}') as HostileServerOptions & { lifetimeMs?: number };
const server = await startHostileServer(options);
process.stdout.write(`listening on ${server.url}\n`);

let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  const force = setTimeout(() => process.exit(0), 2_000);
  force.unref();
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
setTimeout(stop, options.lifetimeMs ?? 600_000).unref();

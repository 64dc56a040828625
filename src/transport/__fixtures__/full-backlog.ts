/**
 * A loopback port where a TCP connect hangs: a listener whose accept queue is full. Linux drops
 * a SYN to a listener whose accept queue is full (tcp_abort_on_overflow = 0, the default), so
 * the client keeps retransmitting its SYN and `connect` neither succeeds nor fails: exactly a
 * connect timeout, without sending anything off the machine.
 *
 * node always accepts, so the listener is a child process (`backlog: 1`) that is stopped with
 * SIGSTOP: the kernel still completes handshakes into its queue (backlog + 1 of them) and then
 * drops the rest. Test code only; Linux (and other POSIX systems with that behaviour).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface FullBacklog {
  port: number;
  /** Kills the child (by its pid) and closes the filler sockets. */
  close(): Promise<void>;
}

const LISTENER = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(String(server.address().port) + '\\n');
});
`;

/** Resolves once a connect to `port` hangs; rejects if that could not be arranged. */
export async function startFullBacklog(): Promise<FullBacklog> {
  const child: ChildProcess = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'ignore'] });
  const fillers: net.Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the listener child did not start')), 5_000);
      child.once('error', reject);
      child.stdout?.once('data', (data: Buffer) => {
        clearTimeout(timer);
        resolve(Number(String(data).trim()));
      });
    });
    child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Fill the accept queue: connect until one connect stays pending.
    for (let i = 0; i < 16; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      fillers.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 200);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!connected) return { port, close };
    }
    throw new Error('every connect succeeded: this system does not drop SYNs to a full accept queue');
  } catch (e) {
    await close();
    throw e;
  }
}

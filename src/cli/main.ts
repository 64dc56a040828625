#!/usr/bin/env node
/** The `tgc` executable. */
import { tuneHeap } from './heap.js';

// Bounded memory (issue 17): the old generation grows by half at most between full collections,
// the young one stays at 16 MiB at most (./heap.ts says why, with the figures).
tuneHeap();

let interrupt: (signal: 'SIGINT' | 'SIGTERM') => void = () => undefined;
const interrupted = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => {
  interrupt = resolve;
});
// The first signal stops the command, which writes what it has; a second leaves at once
// (130 for Ctrl-C, 143 for SIGTERM), whatever the first is still waiting on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupt(signal);
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
  });
}

// Loaded after the handlers are in place, so that a signal during start-up (loading takes most of
// a second on a busy machine) is one tgc handles, not the default that kills without a report.
const { runCli } = await import('./program.js');
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  interrupted,
  isTTY: process.stdout.isTTY === true,
  progressStream: process.stdout,
});
process.exitCode = code;
// Nothing tgc starts outlives its command; leave even if a misbehaving peer holds a socket.
setTimeout(() => process.exit(code), 200).unref();

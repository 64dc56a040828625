#!/usr/bin/env node
/** The `tgc` executable. */
import v8 from 'node:v8';

// What a run holds is bounded (src/engine/retention.ts: counts, and the first findings of each
// kind), but V8 lets its heap grow to up to 4× the live data between full collections when they
// are cheap: a run of 10,000 cases then peaked near 300 MB resident for about 50 MB live. Growing
// by half at most keeps it near what it holds (bench/memory.ts), for a few more short collections.
v8.setFlagsFromString('--heap-growing-percent=50');

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

#!/usr/bin/env node
/** The `tgc` executable. */
import { runCli } from './program.js';

let interrupt: () => void = () => undefined;
const interrupted = new Promise<void>((resolve) => {
  interrupt = resolve;
});
process.once('SIGINT', () => {
  interrupt();
  // A second Ctrl-C leaves at once.
  process.once('SIGINT', () => process.exit(130));
});
process.once('SIGTERM', () => interrupt());

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

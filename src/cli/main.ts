#!/usr/bin/env node
/** The `tgc` executable. */
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;

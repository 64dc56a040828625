/** Test helpers: the built tgc executable in child processes, as a user runs it. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = path.join(ROOT, 'dist', 'cli', 'main.js');

export interface TgcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tgc args…` to completion (asynchronously: a mock server may run in this process). */
export function tgc(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<TgcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tgc ${args.join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tgcSync(args: readonly string[], cwd = ROOT): TgcResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface MockProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  stop(): Promise<number | null>;
}

/** A child process that printed "listening on URL". */
export interface Listening {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
}

/**
 * Starts `node …args` and waits for its "listening on URL" line; rejects if it exits first or
 * says nothing of the kind within 30 s (`what` names it in the error).
 */
export function startListening(args: readonly string[], what: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start: ${out}${err}`));
    }, 30_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child, output: () => out });
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${out}${err}`));
    });
  });
}

/** Starts `tgc mock --port 0 …` and waits for its "listening on URL" line. */
export async function startMock(args: readonly string[] = []): Promise<MockProcess> {
  const { url, child, output } = await startListening([BIN, 'mock', '--port', '0', ...args], 'tgc mock');
  return {
    url,
    child,
    output,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('close', (code) => done(code));
        child.kill('SIGINT');
      }),
  };
}

/**
 * `tgc run` as a user runs it: the built executable against the built-in reference server and
 * against `tgc mock` in another process, over real HTTP on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TgcReport } from '../report/report.js';
import { BIN, startMock, tgc, type MockProcess } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-run-'));
const readReport = (dir: string): TgcReport => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
const quick = ['--max-examples', '6'];

describe.skipIf(!existsSync(BIN))('tgc run against correct servers', () => {
  it('passes against the built-in reference server (no --url)', async () => {
    const dir = path.join(tmp, 'builtin');
    const r = await tgc(['run', '--seed', '11', '--report-dir', dir, ...quick]);
    expect(r.stdout).toContain('testing the built-in reference server');
    expect(r.stdout).toMatch(/0 violations/);
    expect(r.code).toBe(0);
    const report = readReport(dir);
    expect(report.schemaVersion).toBe(2);
    expect(report.target.builtIn).toBe(true);
    expect(report.summary.violations).toBe(0);
    expect(report.checks.every((c) => c.status !== 'fail' && c.status !== 'error')).toBe(true);
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('# tgc conformance report: conforms');
  });

  describe('against tgc mock in another process', () => {
    let mock: MockProcess;
    let hf: MockProcess;
    beforeAll(async () => {
      [mock, hf] = await Promise.all([startMock(), startMock(['--profile', 'hf', '--loading-ms', '300'])]);
    });
    afterAll(async () => {
      await Promise.all([mock?.stop(), hf?.stop()]);
    });

    it.each([1, 2, 3, 4, 5])('exits 0 with no violation for seed %i', async (seed) => {
      const dir = path.join(tmp, `mock-${seed}`);
      const r = await tgc(['run', '--url', mock.url, '--seed', String(seed), '--report-dir', dir, '--rate', '0', ...quick]);
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      expect(readReport(dir).summary.violations).toBe(0);
    });

    it('exits 0 against the hf profile with --api hf (the 503 while loading is retried)', async () => {
      const dir = path.join(tmp, 'hf');
      const r = await tgc(['run', '--api', 'hf', '--url', `${hf.url}/models/tgc/reference-model`, '--seed', '3', '--report-dir', dir, '--rate', '0', ...quick]);
      expect(r.code, r.stdout).toBe(0);
      const report = readReport(dir);
      expect(report.summary.violations).toBe(0);
      expect(report.target.api).toBe('hf');
    });

    it('records every exchange; validate exchanges accepts the recording', async () => {
      const dir = path.join(tmp, 'record');
      const record = path.join(tmp, 'run.jsonl');
      const r = await tgc(['run', '--url', mock.url, '--seed', '9', '--report-dir', dir, '--record', record, '--rate', '0', ...quick]);
      expect(r.code).toBe(0);
      const lines = readFileSync(record, 'utf8').trim().split('\n');
      expect(lines.length).toBe(readReport(dir).summary.requests - 1); // all but GET /info
      const v = await tgc(['validate', 'exchanges', record]);
      expect(v.stdout).toMatch(/0 violations/);
      expect(v.code).toBe(0);
    });
  });
});

describe.skipIf(!existsSync(BIN))('tgc run: what cannot be tested exits 2', () => {
  it.each([
    ['a closed port', ['run', '--url', 'http://127.0.0.1:9'], /^tgc: cannot reach http:\/\/127\.0\.0\.1:9/],
    ['a bad URL', ['run', '--url', 'not a url'], /^tgc: --url: not a URL/],
    ['a non-http URL', ['run', '--url', 'ftp://127.0.0.1/'], /^tgc: --url: only http and https/],
    ['an unknown check', ['run', '--checks', 'nope'], /^tgc: --checks: unknown check "nope"/],
    ['a bad number', ['run', '--concurrency', 'many'], /^tgc: --concurrency must be a whole number/],
    ['a malformed header', ['run', '--header', 'novalue'], /^tgc: --header must look like/],
    ['a missing baseline', ['run', '--baseline', 'missing.json'], /^tgc: cannot read baseline missing\.json/],
  ])('%s', async (_name, args, stderr) => {
    const r = await tgc(args, { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reproduce commands use $HF_TOKEN, never the token', async () => {
    // The token reaches no file even when the run fails to reach its target.
    const r = await tgc(['run', '--url', 'http://127.0.0.1:9', '--token', 'hf_secret_value_1234'], { cwd: tmp });
    expect(r.stdout + r.stderr).not.toContain('hf_secret_value_1234');
    expect(spawnSync('grep', ['-rl', 'hf_secret_value_1234', tmp], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });
});

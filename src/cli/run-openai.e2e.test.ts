/**
 * `tgc run --api openai` as a user runs it: the built executable against the built-in reference
 * server, against `tgc mock` (faithful, with a fault, with a quirk) in another process, and both
 * surfaces of one TGI server in one report (`--api tgi,openai`).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TgcReport } from '../report/report.js';
import { BIN, startMock, tgc, type MockProcess } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-run-openai-'));
const readReport = (dir: string): TgcReport => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
const quick = ['--max-examples', '4', '--rate', '0', '--concurrency', '8'];

describe.skipIf(!existsSync(BIN))('tgc run --api openai', () => {
  it('the built-in reference server: exit 0, no violation and no warning', async () => {
    const dir = path.join(tmp, 'builtin');
    const r = await tgc(['run', '--api', 'openai', '--seed', '5', '--report-dir', dir, ...quick]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = readReport(dir);
    expect(report.target).toMatchObject({ api: 'openai', builtIn: true });
    expect(report.target.url).toMatch(/\/v1$/);
    expect(report.summary.violations).toBe(0);
    expect(report.summary.warnings).toBe(0);
    expect(report.checks.map((c) => c.id)).toContain('openai-finish-reason');
    expect(report.checks.find((c) => c.id === 'openai-models')?.status).toBe('pass');
  });

  describe('against tgc mock in another process', () => {
    let faithful: MockProcess;
    let faulty: MockProcess;
    let quirky: MockProcess;
    let noGrammar: MockProcess;
    beforeAll(async () => {
      [faithful, faulty, quirky, noGrammar] = await Promise.all([
        startMock(),
        startMock(['--fault', 'openai-finish-reason-eos-token']),
        startMock(['--quirk', 'tgi-2.0.1']),
        startMock(['--no-grammar']),
      ]);
    });
    afterAll(async () => {
      await Promise.all([faithful?.stop(), faulty?.stop(), quirky?.stop(), noGrammar?.stop()]);
    });

    it('a server without grammar support refuses tools and response_format: learned, retested without, one warning, exit 0', async () => {
      const dir = path.join(tmp, 'no-grammar');
      const r = await tgc(['run', '--api', 'openai', '--url', `${noGrammar.url}/v1`, '--seed', '2', '--report-dir', dir, ...quick]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = readReport(dir);
      expect(report.limits['grammarSupported']).toEqual({ value: false, source: 'learned' });
      expect(report.findings.map((f) => `${f.severity} ${f.check} ${f.kind}`)).toEqual(['warning openai-request-rejection feature-refused:grammarSupported']);
      expect(report.summary.skippedCases).toBeGreaterThan(0);
    });

    it('a faithful server: exit 0; the model comes from GET /v1/models, the token from OPENAI_API_KEY', async () => {
      const dir = path.join(tmp, 'faithful');
      const record = path.join(tmp, 'faithful.jsonl');
      const r = await tgc(['run', '--api', 'openai', '--url', `${faithful.url}/v1`, '--seed', '6', '--report-dir', dir, '--record', record, ...quick], {
        env: { OPENAI_API_KEY: 'sk-tgc-e2e-secret-123' },
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(readReport(dir).summary.warnings).toBe(0);
      const lines = readFileSync(record, 'utf8').trim().split('\n');
      expect(lines.join('\n')).not.toContain('sk-tgc-e2e-secret-123');
      const chat = lines.map((l) => JSON.parse(l) as { route: string; request?: { model?: string } }).filter((e) => e.route === 'POST /v1/chat/completions');
      expect(chat.filter((e) => e.request?.model === 'tgc/reference-model').length).toBeGreaterThan(chat.length / 2);
      // The recording is judged as the run judged it.
      const again = await tgc(['validate', 'exchanges', record]);
      expect(again.code, again.stdout).toBe(0);
    });

    it('a fault: exit 1 by the check it names, with a reproduce command that writes $OPENAI_API_KEY', async () => {
      const dir = path.join(tmp, 'faulty');
      const r = await tgc(['run', '--api', 'openai', '--url', `${faulty.url}/v1`, '--seed', '6', '--report-dir', dir, ...quick], {
        env: { OPENAI_API_KEY: 'sk-tgc-e2e-secret-123' },
      });
      expect(r.code).toBe(1);
      const report = readReport(dir);
      const v = report.findings.filter((f) => f.severity === 'violation');
      expect(v.map((f) => f.check)).toContain('openai-finish-reason');
      const reproduce = v.find((f) => f.reproduce !== undefined)?.reproduce ?? '';
      expect(reproduce).toContain('$OPENAI_API_KEY');
      expect(reproduce).toContain('/v1/');
      expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).not.toContain('sk-tgc-e2e-secret-123');
    });

    it('a quirk (TGI 2.0.1): exit 1 by the checks of its departures', async () => {
      const dir = path.join(tmp, 'quirky');
      const r = await tgc(['run', '--api', 'openai', '--url', `${quirky.url}/v1`, '--seed', '6', '--report-dir', dir, ...quick, '--stream-idle-ms', '2000']);
      expect(r.code).toBe(1);
      const checks = new Set(readReport(dir).findings.filter((f) => f.severity === 'violation').map((f) => f.check));
      for (const id of ['openai-object', 'openai-finish-reason', 'openai-stream-done']) expect(checks).toContain(id);
    });

    it('--api tgi,openai against the server\'s base URL: both surfaces in one report', async () => {
      const dir = path.join(tmp, 'both');
      const r = await tgc(['run', '--api', 'tgi,openai', '--url', faithful.url, '--seed', '7', '--report-dir', dir, ...quick]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = readReport(dir);
      expect(report.target.apis).toEqual(['tgi', 'openai']);
      const ids = report.checks.map((c) => c.id);
      expect(ids).toContain('tokens-count');
      expect(ids).toContain('openai-usage');
      expect(new Set(ids).size).toBe(ids.length);
      const routes = new Set(report.timings.map((t) => t.route));
      expect(routes.has('POST /generate')).toBe(true);
      expect(routes.has('POST /v1/chat/completions')).toBe(true);
    });

    it('a --url that does not end in /v1: exit 2 with a hint', async () => {
      const r = await tgc(['run', '--api', 'openai', '--url', faithful.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ending in /v1');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});

/**
 * The evidence a violation carries is real: its curl command, run as printed against the faulty
 * server, shows the violation again; and a recording of the run, validated offline, reports the
 * same single-exchange violations as the run did.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFinding, TgcReport } from '../report/report.js';
import { BIN, startMock, tgc, type MockProcess } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-repro-'));
const haveCurl = spawnSync('curl', ['--version']).status === 0;
const FAULT = 'generated-tokens-off-by-one';

describe.skipIf(!existsSync(BIN) || !haveCurl)(`violations against tgc mock --fault ${FAULT}${haveCurl ? '' : ' (skipped: curl not found)'}`, () => {
  let mock: MockProcess;
  let report: TgcReport;
  const record = path.join(tmp, 'run.jsonl');
  beforeAll(async () => {
    mock = await startMock(['--fault', FAULT]);
    const r = await tgc(['run', '--url', mock.url, '--seed', '5', '--max-examples', '6', '--rate', '0', '--report-dir', tmp, '--record', record]);
    expect(r.code, r.stdout).toBe(1);
    report = JSON.parse(readFileSync(path.join(tmp, 'report.json'), 'utf8')) as TgcReport;
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('prints curl commands that show the violation when run as printed', async () => {
    // Checks that read headers or timings need more than the body that `tgc validate` takes.
    const bodyOnly = (f: ReportFinding): boolean => !['response-headers', 'response-kind', 'stream-incremental', 'response-completes'].includes(f.check);
    const withCurl = report.findings.filter((f) => f.severity === 'violation' && f.reproduce !== undefined && bodyOnly(f));
    expect(withCurl.length).toBeGreaterThan(0);
    const sample = [...new Map(withCurl.map((f) => [`${f.check}|${f.route ?? ''}`, f])).values()].slice(0, 4);
    for (const f of sample) {
      const out = spawnSync('sh', ['-c', f.reproduce ?? ''], { encoding: 'utf8', timeout: 30_000 });
      expect(out.status, out.stderr).toBe(0);
      const request = f.request?.body;
      expect(request).toBeDefined();
      const req = path.join(tmp, `req-${f.case?.id ?? 0}.json`);
      writeFileSync(req, request ?? '');
      const stream = f.reproduce?.includes(' -N ') === true;
      const body = path.join(tmp, `res-${f.case?.id ?? 0}.${stream ? 'sse' : 'json'}`);
      writeFileSync(body, out.stdout);
      const v = await tgc(['validate', stream ? 'stream' : 'response', body, '--request', req]);
      expect(v.code, `${f.reproduce}\n${v.stdout}`).toBe(1);
      expect(v.stdout).toContain(`violation ${f.check}`);
    }
  });

  it('validate exchanges on the recording reports the same single-exchange violations', async () => {
    const scenario = new Set(['determinism', 'stream-equivalence']);
    const key = (f: Pick<ReportFinding, 'check' | 'kind'>): string => `${f.check}|${f.kind}`;
    const fromRun = new Set(report.findings.filter((f) => f.severity === 'violation' && !scenario.has(f.check)).map(key));
    const v = await tgc(['validate', 'exchanges', record, '--format', 'json']);
    expect(v.code).toBe(1);
    const out = JSON.parse(v.stdout) as { findings: { check: string; kind: string; severity: string }[] };
    const fromRecording = new Set(out.findings.filter((f) => f.severity === 'violation').map(key));
    expect([...fromRecording].sort()).toEqual([...fromRun].sort());
  });
});

/**
 * `tgc run` against hostile servers (the transport's loopback test server, one behaviour each):
 * tgc ends within its deadlines plus a margin, names the behaviour in a violation, and exits 1,
 * because the connection was accepted (exit 2 is for a target that refuses it).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TgcReport } from '../report/report.js';
import { startHostileServer, type HostileMode } from '../transport/__fixtures__/hostile-server.js';
import { BIN, tgc } from './__fixtures__/tgc-process.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-hostile-'));
const LIMITS = ['--timeout-ms', '800', '--stream-idle-ms', '800', '--stream-timeout-ms', '2000', '--max-body-bytes', '1000000', '--max-requests', '6', '--concurrency', '6', '--rate', '0'];

describe.skipIf(!existsSync(BIN))('tgc run against a hostile server', () => {
  it.each<[HostileMode, RegExp]>([
    ['never-answers', /first-byte-timeout/],
    ['headers-then-stall', /deadline|stream-idle/],
    ['drip', /deadline/],
    ['huge-body', /body-too-large/],
    ['endless-sse', /stream-deadline|body-too-large|too-many-events/],
    ['reset-mid-body', /reset|bad-content-length/],
    ['not-http', /protocol-error/],
    ['gzip-bomb', /protocol-error/],
    ['redirect', /redirect/],
    ['invalid-json', /not JSON|response-schema|response-kind/],
  ])('%s: a violation naming it, exit 1, within the deadlines', async (mode, named) => {
    const server = await startHostileServer({ mode, location: 'http://127.0.0.2:9/generate' });
    try {
      const dir = path.join(tmp, mode);
      const started = Date.now();
      const r = await tgc(['run', '--url', server.url, '--seed', '1', '--report-dir', dir, ...LIMITS], { timeoutMs: 60_000 });
      // 7 requests (GET /info and 6 cases) at most 2 s each, most in parallel: a wide margin.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TgcReport;
      const violations = report.findings.filter((f) => f.severity === 'violation');
      expect(violations.map((f) => `${f.check} ${f.kind} ${f.message}`).join('\n')).toMatch(named);
    } finally {
      await server.close();
    }
  });
});

/**
 * `tgc run --api openai` against each quirk, in-process (the engine `tgc run` drives, the server
 * `tgc mock --quirk` serves, over a real port on 127.0.0.1): the verdict the quirk declares holds
 * on the whole run. A violation verdict gives at least one violation from its check; a warning
 * verdict a warning from its check and no violation at all; `null` (data-no-space, correct SSE)
 * no finding at all. The conformant server gives no violation and no warning. The runs go in
 * parallel, with short deadlines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../engine/run.js';
import type { TgcReport } from '../../report/report.js';
import { DEFAULT_LIMITS } from '../../transport/index.js';
import type { Fault } from '../faults/fault.js';
import { startReferenceServer } from '../server.js';
import type { ReferenceServer } from '../server.js';
import { quirks } from './index.js';

const SEED = 1;

async function runAgainst(fault: Fault | undefined): Promise<TgcReport> {
  const server: ReferenceServer = await startReferenceServer({ port: 0, ...(fault ? { fault } : {}) });
  try {
    return await runConformance({
      url: `${server.url}/v1`,
      api: 'openai',
      authRequired: false,
      headers: {},
      seed: SEED,
      maxExamples: 2,
      checks: [],
      excludeChecks: [],
      concurrency: 8,
      rate: 0,
      maxRequests: 5000,
      // Generous: every quirk runs at once in this process, server and client on one event loop.
      limits: { ...DEFAULT_LIMITS, timeoutMs: 15_000, streamIdleMs: 5_000, streamTotalMs: 20_000 },
      serverLimits: {},
    });
  } finally {
    await server.close();
  }
}

/** `severity check kind` of each finding, for readable failures. */
const summary = (r: TgcReport): string[] => [...new Set(r.findings.map((f) => `${f.severity} ${f.check} ${f.kind}`))].sort();

describe('tgc run --api openai against each quirk', () => {
  const reports = new Map<string, TgcReport>();
  beforeAll(async () => {
    const entries = await Promise.all([
      runAgainst(undefined).then((r) => ['(conformant)', r] as const),
      ...quirks.map(async (q) => [q.name, await runAgainst(q)] as const),
    ]);
    for (const [name, r] of entries) reports.set(name, r);
  }, 90_000);
  afterAll(() => reports.clear());

  it('the conformant server: no violation, no warning', () => {
    const r = reports.get('(conformant)');
    expect(r?.summary.cases).toBeGreaterThan(0);
    expect(r && summary(r)).toEqual([]);
    expect(r?.summary.violations).toBe(0);
    expect(r?.summary.warnings).toBe(0);
  });

  it.each(quirks.map((q) => [q.name, q] as const))('%s: the declared verdict', (name, quirk) => {
    const r = reports.get(name);
    if (!r) throw new Error(`no report for ${name}`);
    const findings = summary(r);
    const violations = r.findings.filter((f) => f.severity === 'violation');
    const warnings = r.findings.filter((f) => f.severity === 'warning');
    if (quirk.verdict === null) {
      expect(findings).toEqual([]);
    } else if (quirk.verdict.severity === 'violation') {
      expect(violations.some((f) => f.check === quirk.verdict?.check), findings.join('\n')).toBe(true);
    } else {
      expect(violations, findings.join('\n')).toEqual([]);
      expect(warnings.some((f) => f.check === quirk.verdict?.check), findings.join('\n')).toBe(true);
    }
  });
});

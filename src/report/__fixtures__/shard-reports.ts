/**
 * Shard reports made by hand, as `tgc run --shard I/N --seed 7` writes them for a plan of six
 * cases: one exchange check (`tokens-count`), one check skipped everywhere, one scenario check
 * (`determinism`, run by the last shard). Case 4 has a violation; the scenario check one more.
 */
import type { ReportCheck, ReportFinding, TgcReport } from '../report.js';
import { cleanReport } from './sample-reports.js';

const PLANNED = 6;

const violation = (check: string, caseId: number | undefined): ReportFinding => ({
  check,
  severity: 'violation',
  kind: check === 'determinism' ? 'seed-ignored' : 'tokens-length-mismatch',
  title: `${check} failed`,
  message: `${check} failed${caseId === undefined ? '' : ` on case ${caseId}`}`,
  dedupeKey: check === 'determinism' ? 'determinism|POST /generate|seed-ignored' : 'tokens-count|POST /generate|tokens-length-mismatch',
  route: 'POST /generate',
  seed: 7,
  ...(caseId !== undefined ? { case: { id: caseId, label: `random valid request #${caseId + 1}`, purpose: 'positive' } } : {}),
});

/** The report of shard `index` of `count`. */
export function shardReport(index: number, count: number): TgcReport {
  const base = cleanReport();
  const caseIds = Array.from({ length: PLANNED }, (_, id) => id).filter((id) => id % count === index - 1);
  const ownsScenario = index === count;
  const caseFindings = caseIds.filter((id) => id === 4).map((id) => violation('tokens-count', id));
  const scenarioFindings = ownsScenario ? [violation('determinism', undefined)] : [];
  const findings = [...caseFindings, ...scenarioFindings];
  const tokens = caseFindings.length;
  const checks: ReportCheck[] = [
    { id: 'tokens-count', severity: 'violation', title: 'tokens', status: tokens > 0 ? 'fail' : 'pass', cases: caseIds.length, violations: tokens, warnings: 0 },
    { id: 'serverless-headers', severity: 'violation', title: 'serverless', status: 'skip', reason: 'not the serverless endpoint (--api hf)', cases: 0, violations: 0, warnings: 0 },
    ownsScenario
      ? { id: 'determinism', severity: 'violation', title: 'determinism', status: 'fail', cases: 2, violations: 1, warnings: 0 }
      : { id: 'determinism', severity: 'violation', title: 'determinism', status: 'skip', reason: `runs in shard ${count}/${count}`, cases: 0, violations: 0, warnings: 0 },
  ];
  return {
    ...base,
    seed: 7,
    summary: { checks: 3, cases: caseIds.length, requests: caseIds.length + 1, violations: findings.length, warnings: 0, known: 0, skippedCases: 0 },
    checks,
    findings,
    shard: {
      index,
      count,
      cases: caseIds.length,
      surfaces: [
        {
          api: 'tgi',
          url: base.target.url,
          planned: PLANNED,
          caseIds,
          scenarioChecks: ownsScenario ? ['determinism'] : [],
          findings: { cases: caseFindings.length, learned: [], scenarios: scenarioFindings.length },
          skipped: [],
          checks: checks.map((c) => ({ ...c })),
          skipReasons: { 'serverless-headers': [{ reason: 'not the serverless endpoint (--api hf)', count: caseIds.length, first: caseIds[0] ?? 0 }] },
        },
      ],
    },
    run: { maxExamples: 3, checks: [], excludeChecks: [], maxRequests: 2000, serverLimits: {}, authRequired: false, token: false, headers: [] },
  };
}

/**
 * report.schema.json and the TypeScript interface `TgcReport` describe the same data: the key
 * lists below are checked against the interface by the compiler (a missing or extra key is a
 * type error) and against the schema at run time; every report the tests build validates.
 */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../core/finding.js';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { itAgrees, keysOf, membersOf, schemaAt, type ObjectKeys } from './__fixtures__/schema-agreement.js';
import { REPORT_SCHEMA, reportSchemaErrors } from './__fixtures__/report-schema.js';
import { applyBaseline } from './baseline.js';
import type {
  CheckStatus,
  ParameterCoverage,
  ReportCheck,
  ReportFinding,
  ReportOmittedFindings,
  ReportRequest,
  ReportResponse,
  ReportRunOptions,
  ReportShard,
  ReportShardSurface,
  ReportSuppression,
  TgcReport,
} from './report.js';
import { REPORT_SCHEMA_VERSION } from './report.js';
import { applySuppressions } from './suppressions.js';

type Finding = ReportFinding;
const OBJECTS: [string, string, ObjectKeys][] = [
  ['TgcReport', '', keysOf<TgcReport>()(
    ['schemaVersion', 'tool', 'target', 'seed', 'startedAt', 'durationMs', 'interrupted', 'limits', 'summary', 'checks', 'findings', 'skipped', 'timings', 'coverage'],
    ['fixed', 'suppressions', 'omittedFindings', 'shard', 'run'],
  )],
  ['tool', '/properties/tool', keysOf<TgcReport['tool']>()(['name', 'version'], [])],
  ['target', '/properties/target', keysOf<TgcReport['target']>()(['url', 'api', 'builtIn'], ['apis'])],
  ['limits[*]', '/properties/limits/additionalProperties', keysOf<TgcReport['limits'][string]>()(['value', 'source'], [])],
  ['summary', '/properties/summary', keysOf<TgcReport['summary']>()(['checks', 'cases', 'requests', 'violations', 'warnings', 'known', 'skippedCases'], ['suppressed'])],
  ['skipped[*]', '/properties/skipped/items', keysOf<TgcReport['skipped'][number]>()(['case', 'reason'], [])],
  ['timings[*]', '/properties/timings/items', keysOf<TgcReport['timings'][number]>()(['route', 'totalMs'], ['status', 'firstByteMs', 'firstEventMs'])],
  ['coverage[*]', '/properties/coverage/additionalProperties', keysOf<ParameterCoverage>()(['sent', 'boundaries'], ['values'])],
  ['suppressions[*]', '/properties/suppressions/items', keysOf<ReportSuppression>()(['check', 'reason', 'matched'], ['route'])],
  ['ReportCheck', '/$defs/check', keysOf<ReportCheck>()(['id', 'severity', 'title', 'status', 'cases', 'violations', 'warnings'], ['reason'])],
  ['ReportFinding', '/$defs/finding', keysOf<Finding>()(
    ['check', 'severity', 'kind', 'title', 'message', 'dedupeKey', 'seed'],
    ['route', 'pointer', 'event', 'case', 'request', 'response', 'reproduce', 'shrunk', 'known', 'suppressed'],
  )],
  ['shard', '/properties/shard', keysOf<ReportShard>()(['index', 'count', 'cases', 'surfaces'], [])],
  ['shard.surfaces[*]', '/properties/shard/properties/surfaces/items', keysOf<ReportShardSurface>()(
    ['api', 'url', 'planned', 'caseIds', 'scenarioChecks', 'findings', 'skipped', 'checks', 'skipReasons'],
    [],
  )],
  ['shard.surfaces[*].findings', '/properties/shard/properties/surfaces/items/properties/findings', keysOf<ReportShardSurface['findings']>()(['cases', 'learned', 'scenarios'], [])],
  ['run', '/properties/run', keysOf<ReportRunOptions>()(
    ['maxExamples', 'checks', 'excludeChecks', 'maxRequests', 'serverLimits', 'authRequired', 'token', 'headers'],
    ['model'],
  )],
  ['ReportFinding.case', '/$defs/finding/properties/case', keysOf<NonNullable<Finding['case']>>()(['id', 'label', 'purpose'], [])],
  ['ReportFinding.shrunk', '/$defs/finding/properties/shrunk', keysOf<NonNullable<Finding['shrunk']>>()(['from', 'to', 'requests'], [])],
  ['ReportRequest', '/$defs/finding/properties/request', keysOf<ReportRequest>()(['method', 'url', 'headers'], ['body'])],
  ['ReportResponse', '/$defs/finding/properties/response', keysOf<ReportResponse>()([], ['status', 'headers', 'excerpt', 'failure'])],
  ['omittedFindings[*]', '/properties/omittedFindings/items', keysOf<ReportOmittedFindings>()(['dedupeKey', 'check', 'severity', 'count'], ['route'])],
];

const ENUMS: [string, string, string[]][] = [
  ['CheckStatus', '/$defs/check/properties/status', membersOf<CheckStatus>()(['pass', 'fail', 'error', 'skip'])],
  ['Severity', '/$defs/severity', membersOf<Severity>()(['violation', 'warning'])],
  ['target.api', '/properties/target/properties/api', membersOf<TgcReport['target']['api']>()(['tgi', 'hf', 'openai'])],
  ['limits source', '/properties/limits/additionalProperties/properties/source', membersOf<TgcReport['limits'][string]['source']>()(['user', 'info', 'learned', 'default'])],
];

const at = (pointer: string): Record<string, unknown> => schemaAt(REPORT_SCHEMA, pointer);

describe('report.schema.json agrees with TgcReport', () => {
  itAgrees(REPORT_SCHEMA, OBJECTS, ENUMS);

  it('has the same schemaVersion', () => {
    expect(at('/properties/schemaVersion')['const']).toBe(REPORT_SCHEMA_VERSION);
  });
});

describe('reports validate against report.schema.json', () => {
  it.each([
    ['a run with violations, known, suppressed, fixed', reportWithViolations()],
    ['a clean run', cleanReport()],
  ])('%s', (_name, report) => {
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('a report after baseline and suppressions are applied', () => {
    const report = cleanReport();
    report.findings.push({ ...reportWithViolations().findings[0]!, known: undefined, suppressed: undefined } as ReportFinding);
    applySuppressions(report, [{ check: 'tokens-count', reason: 'accepted' }]);
    applyBaseline(report, new Set(['tokens-count|POST /generate|tokens-length-mismatch', 'tokens-count|POST /|gone']));
    expect(report.fixed).toEqual(['tokens-count|POST /|gone']);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it.each([
    ['a missing key', (r: Record<string, unknown>) => delete r['summary'], /must have required property 'summary'/],
    ['an unknown key', (r: Record<string, unknown>) => (r['extra'] = 1), /must NOT have additional properties/],
    ['a wrong status', (r: Record<string, unknown>) => ((r['checks'] as { status: string }[])[0]!.status = 'ok'), /\/checks\/0\/status must be equal to one of the allowed values/],
    ['a bad date', (r: Record<string, unknown>) => (r['startedAt'] = 'yesterday'), /\/startedAt must match format "date-time"/],
  ])('rejects %s', (_name, spoil, message) => {
    const report = reportWithViolations() as unknown as Record<string, unknown>;
    spoil(report);
    expect(reportSchemaErrors(report).join('\n')).toMatch(message);
  });
});

/**
 * What the proxy has seen, as the report `tgc run` writes (`TgcReport`, the same schema): a row
 * per check of every API seen (and `client-request`, the client's side), the findings, the
 * exchanges not judged with their reasons (`skipped`), timings and parameter coverage.
 *
 * Bounded, however long the proxy runs: findings are counted without limit but listed at most
 * {@link MAX_LISTED_PER_KIND} times per kind (check, route, kind), timings at most
 * {@link MAX_TIMINGS}, not-judged exchanges grouped by path and reason.
 */
import type { ApiDefinition } from '../apis/index.js';
import type { ApiName, BaseExchangeView, RouteName } from '../core/exchange.js';
import { dedupeKey, type Finding } from '../core/finding.js';
import type { CheckOutcome } from '../engine/inspect-exchange.js';
import { curlCommand } from '../engine/reproduce.js';
import { REPORT_SCHEMA_VERSION, type ReportCheck, type ReportFinding, type TgcReport } from '../report/report.js';
import { VERSION } from '../version.js';
import { CLIENT_CHECK, isClientFinding, type Judgement } from './judge.js';

export const MAX_LISTED_PER_KIND = 100;
export const MAX_TIMINGS = 10_000;
const MAX_NOT_JUDGED_GROUPS = 1_000;
const MAX_COVERAGE_KEYS = 1_000;
/** Characters of a body or stream kept in a finding, as `tgc run` keeps them. */
export const EXCERPT_CHARS = 2_000;
/** Request bodies larger than this get no curl command (it would not fit a report line). */
const MAX_REPRODUCE_CHARS = 64 * 1024;

/** One exchange as the report describes it; the texts are asked for only when a finding needs them. */
export interface ExchangeFacts {
  route: RouteName;
  method: string;
  /** The URL on the target. */
  url: string;
  stream: boolean;
  totalMs: number;
  firstByteMs?: number;
  status?: number;
  detail(): ExchangeDetail;
}

export interface ExchangeDetail {
  /** Lower-case names, credentials redacted. */
  requestHeaders: Record<string, string>;
  requestText?: string;
  /** The client sent `Authorization: Bearer …` (the curl command says `$HF_TOKEN`). */
  bearer: boolean;
  responseHeaders?: Record<string, string>;
  responseText?: string;
  failure?: string;
}

/** An exchange's timing; `route` is the route, or the method and path of an exchange not judged. */
export interface TimingFacts {
  route: string;
  status?: number;
  totalMs: number;
  firstByteMs?: number;
}

interface CheckTally {
  id: string;
  severity: ReportCheck['severity'];
  title: string;
  ran: number;
  violations: number;
  warnings: number;
  error?: string;
  skips: Map<string, number>;
}

export class Tally {
  readonly apis: ApiName[] = [];
  exchanges = 0;
  judged = 0;
  notJudgedCount = 0;
  violations = 0;
  warnings = 0;
  clientViolations = 0;
  clientWarnings = 0;
  /** Exchanges whose answer came from the target (any status): false means the target was never reached. */
  answered = 0;
  /** Exchanges that never got a connection to the target (refused, no such host, connect timeout). */
  unreachable = 0;
  private readonly checks = new Map<string, CheckTally>();
  private readonly findings: ReportFinding[] = [];
  private readonly listed = new Map<string, number>();
  private readonly notJudged = new Map<string, { label: string; reason: string; count: number }>();
  private readonly timings: TgcReport['timings'] = [];
  private readonly coverage: TgcReport['coverage'] = {};

  /** Adds a judged exchange (its findings listed up to the bound per kind). */
  add(facts: ExchangeFacts, judgement: Judgement, requestBody: unknown): void {
    this.exchanges++;
    this.judged++;
    this.seeApi(judgement.api);
    for (const [id, outcome] of judgement.outcomes) this.outcome(id, outcome);
    this.timing(facts);
    for (const k of judgement.api.driver?.parametersOf(requestBody as never) ?? []) {
      const entry = this.coverage[k] ?? (Object.keys(this.coverage).length < MAX_COVERAGE_KEYS ? (this.coverage[k] = { sent: 0, boundaries: 0 }) : undefined);
      if (entry) entry.sent++;
    }
    if (judgement.findings.length === 0) return;
    let detail: ExchangeDetail | undefined;
    for (const f of judgement.findings) {
      const client = isClientFinding(f);
      const violation = f.severity === 'violation';
      if (client && violation) this.clientViolations++;
      else if (client) this.clientWarnings++;
      else if (violation) this.violations++;
      else this.warnings++;
      const row = this.checks.get(f.check);
      if (row && violation) row.violations++;
      else if (row) row.warnings++;
      const key = dedupeKey(f, facts.route);
      const n = this.listed.get(key) ?? 0;
      this.listed.set(key, n + 1);
      // Past the bound only counted: the request and response texts are not even made.
      if (n < MAX_LISTED_PER_KIND) this.findings.push(toReportFinding(f, facts, (detail ??= facts.detail())));
    }
  }

  /** Adds an exchange that was forwarded but not judged; returns true the first time its path and reason are seen. */
  skip(label: string, reason: string, facts?: TimingFacts): boolean {
    this.exchanges++;
    this.notJudgedCount++;
    if (facts) this.timing(facts);
    const key = `${label}\n${reason}`;
    const seen = this.notJudged.get(key);
    if (seen) {
      seen.count++;
      return false;
    }
    if (this.notJudged.size < MAX_NOT_JUDGED_GROUPS) this.notJudged.set(key, { label, reason, count: 1 });
    else {
      const other = this.notJudged.get('\nother') ?? { label: 'other paths', reason: `more than ${MAX_NOT_JUDGED_GROUPS} kinds of exchange not judged`, count: 0 };
      other.count++;
      this.notJudged.set('\nother', other);
    }
    return true;
  }

  /** The report, as `tgc run` writes it; `target` is the proxied URL. */
  report(options: { target: string; fallbackApi: ApiName; startedAt: Date; interrupted: boolean }): TgcReport {
    const checks: ReportCheck[] = [...this.checks.values()].map((c) => {
      const base = { id: c.id, severity: c.severity, title: c.title, cases: c.ran, violations: c.violations, warnings: c.warnings };
      if (c.error !== undefined) return { ...base, status: 'error', reason: c.error };
      if (c.violations > 0) return { ...base, status: 'fail' };
      if (c.ran > 0) return { ...base, status: 'pass' };
      const reason = [...c.skips.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'no exchange to judge';
      return { ...base, status: 'skip', reason };
    });
    const apis = this.apis.length > 0 ? [...this.apis] : [options.fallbackApi];
    const violations = this.violations + this.clientViolations;
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'tgc', version: VERSION },
      target: { url: options.target, api: apis[0] ?? options.fallbackApi, builtIn: false, apis },
      seed: 0,
      startedAt: options.startedAt.toISOString(),
      durationMs: Math.max(0, Date.now() - options.startedAt.getTime()),
      interrupted: options.interrupted,
      limits: {},
      summary: {
        checks: checks.length,
        cases: this.judged,
        requests: this.exchanges,
        violations,
        warnings: this.warnings + this.clientWarnings,
        known: 0,
        skippedCases: this.notJudgedCount,
      },
      checks,
      // Copies: baselines and suppressions mark findings in place, and a report may be written twice.
      findings: this.findings.map((f) => ({ ...f })),
      skipped: [...this.notJudged.values()].map((s) => ({
        case: s.count === 1 ? s.label : `${s.label} (${s.count} exchanges)`,
        reason: `not judged: ${s.reason}`,
      })),
      timings: [...this.timings],
      coverage: Object.fromEntries(Object.entries(this.coverage).map(([k, v]) => [k, { ...v }])),
    };
  }

  private seeApi(api: ApiDefinition<BaseExchangeView>): void {
    if (this.apis.includes(api.name)) return;
    this.apis.push(api.name);
    // The client's row stays last.
    const client = this.checks.get(CLIENT_CHECK.id);
    this.checks.delete(CLIENT_CHECK.id);
    for (const c of api.checks) {
      if (!this.checks.has(c.id)) this.checks.set(c.id, { id: c.id, severity: c.severity, title: c.title, ran: 0, violations: 0, warnings: 0, skips: new Map() });
    }
    this.checks.set(
      CLIENT_CHECK.id,
      client ?? { id: CLIENT_CHECK.id, severity: CLIENT_CHECK.severity, title: CLIENT_CHECK.title, ran: 0, violations: 0, warnings: 0, skips: new Map() },
    );
  }

  private outcome(id: string, outcome: CheckOutcome): void {
    const row = this.checks.get(id);
    if (!row) return;
    if (outcome.status === 'skip') row.skips.set(outcome.reason, (row.skips.get(outcome.reason) ?? 0) + 1);
    else {
      row.ran++;
      if (outcome.status === 'error') row.error ??= outcome.reason;
    }
  }

  private timing(facts: TimingFacts): void {
    if (this.timings.length >= MAX_TIMINGS) return;
    this.timings.push({
      route: facts.route,
      ...(facts.status !== undefined && facts.status > 0 ? { status: facts.status } : {}),
      totalMs: Math.round(facts.totalMs),
      ...(facts.firstByteMs !== undefined ? { firstByteMs: Math.round(facts.firstByteMs) } : {}),
    });
  }
}

function bounded(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}… (${text.length} characters)` : text;
}

const NOT_IN_CURL = new Set(['user-agent', 'accept', 'host', 'content-length', 'accept-encoding', 'connection']);

function toReportFinding(f: Finding, facts: ExchangeFacts, detail: ExchangeDetail): ReportFinding {
  const out: ReportFinding = {
    check: f.check,
    severity: f.severity,
    kind: f.kind,
    title: f.title,
    message: f.message,
    dedupeKey: dedupeKey(f, facts.route),
    seed: 0,
    route: facts.route,
    ...(f.pointer !== undefined ? { pointer: f.pointer } : {}),
    ...(f.event !== undefined ? { event: f.event } : {}),
  };
  out.request = {
    method: facts.method,
    url: facts.url,
    headers: detail.requestHeaders,
    ...(detail.requestText !== undefined ? { body: bounded(detail.requestText) } : {}),
  };
  out.response = {
    ...(facts.status !== undefined && facts.status > 0 ? { status: facts.status } : {}),
    ...(detail.responseHeaders ? { headers: detail.responseHeaders } : {}),
    ...(detail.responseText !== undefined ? { excerpt: bounded(detail.responseText) } : {}),
    ...(detail.failure !== undefined ? { failure: detail.failure } : {}),
  };
  if (detail.requestText === undefined || detail.requestText.length <= MAX_REPRODUCE_CHARS) {
    const shown: Record<string, string> = {};
    for (const [k, v] of Object.entries(detail.requestHeaders)) if (!NOT_IN_CURL.has(k) && v !== '[redacted]' && k !== 'authorization') shown[k] = v;
    out.reproduce = curlCommand({
      method: facts.method,
      url: facts.url,
      headers: shown,
      withToken: detail.bearer,
      ...(detail.requestText !== undefined ? { body: detail.requestText } : {}),
      stream: facts.stream,
    });
  }
  return out;
}

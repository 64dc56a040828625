/**
 * The JSON report (`report.json`): the contract others rely on (DESIGN.md). Its JSON Schema is
 * `report.schema.json` beside this file; bump `schemaVersion` on any incompatible change.
 *
 * Version 2: `target.api` may be `openai` (the OpenAI-compatible routes), and `limits` holds each
 * API's own (feature switches such as `toolsSupported` on those routes). Baselines of version 1
 * are read as before: a baseline needs only the findings' `dedupeKey` and `severity`, which have
 * not changed.
 */
import type { ApiName } from '../core/exchange.js';
import type { Severity } from '../core/finding.js';

export const REPORT_SCHEMA_VERSION = 2;

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface ReportRequest {
  method: string;
  url: string;
  /** As sent, with the Authorization value replaced by `Bearer $HF_TOKEN`. */
  headers: Record<string, string>;
  /** The body as sent (JSON text), bounded. */
  body?: string;
}

export interface ReportResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A bounded excerpt of the body, or of the raw event stream. */
  excerpt?: string;
  /** Why the exchange did not complete, when it did not. */
  failure?: string;
}

export interface ReportFinding {
  check: string;
  severity: Severity;
  kind: string;
  title: string;
  message: string;
  /** check | route | kind: never built from generated values, so baselines match across seeds. */
  dedupeKey: string;
  route?: string;
  pointer?: string;
  event?: number;
  /** The case that showed it: its label and its position in the plan. */
  case?: { id: number; label: string; purpose: string };
  request?: ReportRequest;
  response?: ReportResponse;
  /** A curl command that replays the exchange (token as $HF_TOKEN), where one exchange shows it. */
  reproduce?: string;
  /** Set when the request was shrunk from a larger failing one. */
  shrunk?: { from: number; to: number; requests: number };
  seed: number;
  /** In the baseline (`--baseline`): known, does not fail the run. */
  known?: boolean;
  /** Matched a suppression (`--suppress`): its reason. Listed, never hidden; does not fail the run. */
  suppressed?: string;
}

export interface ReportCheck {
  id: string;
  severity: Severity;
  title: string;
  status: CheckStatus;
  /** Why it was skipped or errored. */
  reason?: string;
  /** Exchanges (or scenario groups) it judged. */
  cases: number;
  violations: number;
  warnings: number;
}

export interface TgcReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'tgc'; version: string };
  /**
   * The target. `api` is the surface tested; a run of several (`--api tgi,openai`) names the
   * first there and all of them in `apis`, and its `url` is the server's base URL.
   */
  target: { url: string; api: ApiName; builtIn: boolean; apis?: ApiName[] };
  seed: number;
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
  /** Server limits used, and where each came from. */
  limits: Record<string, { value: number | boolean; source: 'user' | 'info' | 'learned' | 'default' }>;
  summary: {
    checks: number;
    cases: number;
    requests: number;
    violations: number;
    warnings: number;
    /** Violations in the baseline. */
    known: number;
    /** Violations matched by a suppression (absent when no suppressions were given). May overlap `known`. */
    suppressed?: number;
    /** Cases skipped (load, budget), each with its reason in `skipped`. */
    skippedCases: number;
  };
  checks: ReportCheck[];
  findings: ReportFinding[];
  skipped: { case: string; reason: string }[];
  /** Per-request timings, for latency and time-to-first-token charts. */
  timings: { route: string; status?: number; totalMs: number; firstByteMs?: number; firstEventMs?: number }[];
  /** Which parameters (and boundary values) the run exercised. */
  coverage: Record<string, ParameterCoverage>;
  /**
   * With `--baseline`: dedupeKeys of the baseline's violations that this run no longer shows,
   * among the checks it ran. Absent without a baseline.
   */
  fixed?: string[];
  /** With `--suppress`: the rules applied, each with how many findings it matched. */
  suppressions?: ReportSuppression[];
  /**
   * Findings of cases counted but not listed in `findings` (see `listedPerKind`): per kind and
   * severity, how many more there were. Every count (`summary`, `checks`) includes them; absent
   * when every finding is listed.
   */
  omittedFindings?: ReportOmittedFindings[];
  /** A slice of a run (`tgc run --shard I/N`): which one, and what `tgc merge` needs to join the slices. */
  shard?: ReportShard;
  /** On a shard's report: the options every shard of one run must share (`tgc merge` refuses others). */
  run?: ReportRunOptions;
}

/** Findings of one kind (dedupeKey) and severity that a report counts but does not list. */
export interface ReportOmittedFindings {
  dedupeKey: string;
  check: string;
  severity: Severity;
  route?: string;
  /** Not listed in `findings` (beyond those that are). */
  count: number;
}

/** A run lists at most this many findings of one kind (dedupeKey) from its cases, the first by plan order. */
export const LISTED_PER_KIND = 200;
/** … and about this many in all: with many kinds, fewer of each (never fewer than one). */
export const LISTED_FINDINGS = 1000;

/**
 * How many findings of each kind a run (or one surface of it) lists, when its cases showed
 * `kinds` kinds: the first of each by plan order (case id, then the finding's place in its
 * case), so that the same seed lists the same ones whatever order the answers came in. The rest
 * are counted in `omittedFindings`. Scenario findings and those of limits learned are always listed.
 */
export function listedPerKind(kinds: number): number {
  return Math.max(1, Math.min(LISTED_PER_KIND, Math.floor(LISTED_FINDINGS / Math.max(1, kinds))));
}

/** `omittedFindings` in the order a report lists them: by dedupeKey, then severity. */
export function sortOmitted(list: ReportOmittedFindings[]): ReportOmittedFindings[] {
  return list.sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0));
}

/**
 * Which slice of a run a report holds. The plan is a pure function of the seed and of the limits
 * known before any case (given by the user, stated by the discovery request), so every shard of
 * one run plans the same cases and runs those whose id is `index - 1` modulo `count`.
 */
export interface ReportShard {
  /** 1-based. */
  index: number;
  count: number;
  /** Planned cases of this slice, all surfaces together. */
  cases: number;
  /** Per surface tested (one, or each of `--api tgi,openai`), in order. */
  surfaces: ReportShardSurface[];
}

/** One surface's part of a shard's report, as `tgc merge` reads it. */
export interface ReportShardSurface {
  api: ApiName;
  url: string;
  /** Cases in the whole (unsharded) plan. */
  planned: number;
  /** The plan positions (case ids) of this slice. */
  caseIds: number[];
  /** The scenario checks this slice ran; each runs whole in one slice. */
  scenarioChecks: string[];
  /**
   * This surface's findings, in the report's order: those of cases, those of limits learned
   * (each with the limit and the case that taught it), those of scenarios.
   */
  findings: { cases: number; learned: { limit: string; case: number }[]; scenarios: number };
  /** The plan position of each of this surface's entries in the report's `skipped`, in order. */
  skipped: number[];
  /** This surface's check rows, before the surfaces are combined. */
  checks: ReportCheck[];
  /** For each check skipped in this slice: each reason, how many exchanges gave it, the first case that did. */
  skipReasons: Record<string, { reason: string; count: number; first: number }[]>;
}

/** What must be equal in every shard of one run, beside the seed, the tool's version and the target. */
export interface ReportRunOptions {
  maxExamples: number;
  checks: string[];
  excludeChecks: string[];
  /** `--max-requests` as given (each shard spends its share). */
  maxRequests: number;
  /** Server limits the user gave (`--max-best-of` …). */
  serverLimits: Record<string, number | boolean>;
  authRequired: boolean;
  /** Whether a token was sent (never the token). */
  token: boolean;
  model?: string;
  /** Names of the extra request headers (never their values). */
  headers: string[];
}

export interface ParameterCoverage {
  /** Requests that set the parameter. */
  sent: number;
  /** Of those, boundary cases of this parameter. */
  boundaries: number;
  /** The boundary values sent, as the cases label them (`0.0`, `1.0 - 1e-7`, …). */
  values?: string[];
}

/** A rule a team decided to accept: findings of `check` (on `route`, when given) are suppressed. */
export interface ReportSuppression {
  check: string;
  route?: string;
  reason: string;
  /** Findings it matched in this run (0: the rule may be stale). */
  matched: number;
}

/**
 * Violations that fail the run: neither known (in the baseline) nor suppressed. The exit code
 * follows this number; warnings never count.
 */
export function failingViolations(report: Pick<TgcReport, 'findings' | 'omittedFindings'>): number {
  return countFindings(report, (f) => f.severity === 'violation' && f.known !== true && f.suppressed === undefined);
}

/**
 * Findings, listed and omitted, that satisfy `test`. An omitted finding is judged as a listed one
 * of its kind (every kind with omitted findings has one listed): its check, route, and its
 * `known` and `suppressed` marks, which belong to the kind, with its own severity.
 */
export function countFindings(report: Pick<TgcReport, 'findings' | 'omittedFindings'>, test: (f: ReportFinding) => boolean): number {
  let n = 0;
  for (const f of report.findings) if (test(f)) n++;
  for (const { omitted, like } of omittedWithKind(report)) if (like && test(like)) n += omitted.count;
  return n;
}

/** Each omitted entry with a listed finding of its kind, its severity set to the entry's. */
export function omittedWithKind(report: Pick<TgcReport, 'findings' | 'omittedFindings'>): { omitted: ReportOmittedFindings; like?: ReportFinding }[] {
  const omitted = report.omittedFindings ?? [];
  if (omitted.length === 0) return [];
  const byKey = new Map<string, ReportFinding>();
  for (const f of report.findings) if (!byKey.has(f.dedupeKey)) byKey.set(f.dedupeKey, f);
  return omitted.map((o) => {
    const f = byKey.get(o.dedupeKey);
    return f ? { omitted: o, like: { ...f, severity: o.severity } } : { omitted: o };
  });
}

/**
 * One finding per dedupeKey, in first-seen order, with how often the key was seen: with
 * `omitted` (the report's `omittedFindings`), those of the same kind and severity count too.
 */
export function findingsByKind(
  findings: readonly ReportFinding[],
  omitted: readonly ReportOmittedFindings[] = [],
): { finding: ReportFinding; count: number }[] {
  const byKey = new Map<string, { finding: ReportFinding; count: number }>();
  for (const f of findings) {
    const entry = byKey.get(f.dedupeKey);
    if (entry) entry.count++;
    else byKey.set(f.dedupeKey, { finding: f, count: 1 });
  }
  for (const o of omitted) {
    const entry = byKey.get(o.dedupeKey);
    if (entry && entry.finding.severity === o.severity) entry.count += o.count;
  }
  return [...byKey.values()];
}

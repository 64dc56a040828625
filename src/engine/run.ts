/**
 * The conformance engine: discovers the target's limits, plans cases, sends them through the
 * transport (bounded by the scheduler), applies every check to every exchange, runs the scenario
 * checks, shrinks failing random cases, and returns the report. One engine serves `tgc run` and
 * the vitest suites.
 */
import { apiByName, type ApiDefinition, type ApiDriver, type Decoder, type Limits } from '../apis/index.js';
import type { CheckDefinition, ScenarioCheck, ScenarioContext } from '../checks/check.js';
import type { BaseExchangeView, RecordedExchange, RouteName } from '../core/exchange.js';
import { dedupeKey, type Finding } from '../core/finding.js';
import { stringifyJson, type ExactJson } from '../core/json.js';
import type { ReportCheck, ReportFinding, ReportRunOptions, ReportShard, TgcReport } from '../report/report.js';
import { REPORT_SCHEMA_VERSION } from '../report/report.js';
import { send, toRecordedExchange, type TransportResult } from '../transport/index.js';
import { VERSION } from '../version.js';
import type { Case } from './cases.js';
import { applyChecks, type CheckOutcome } from './inspect-exchange.js';
import type { KnownServerLimits, RunOptions, ShardSpec } from './options.js';
import { curlCommand } from './reproduce.js';
import { createScheduler, RequestBudgetExhausted, sleep, type Scheduler } from './scheduler.js';

/** The target refused the connection or did not resolve before any byte: nothing was tested. */
export class TargetUnreachableError extends Error {
  override readonly name = 'TargetUnreachableError';
}

export type RunEvent =
  | { type: 'start'; cases: number; url: string; api: string; seed: number }
  | { type: 'case'; done: number; total: number; violations: number }
  | { type: 'phase'; name: string }
  | { type: 'exchange'; exchange: RecordedExchange };

export interface RunHooks {
  onEvent?: (event: RunEvent) => void;
}

const RETRY_STATUSES = new Set([429, 503, 424]);
const MAX_RETRIES = 3;
const WRONG_TOKEN = 'hf_tgc_wrong_token_XYZ';
const EXCERPT_BYTES = 2000;
const MAX_SHRINKS = 5;
const MAX_SHRINK_REQUESTS = 40;

interface Sent {
  caseLabel: string;
  c?: Case;
  exchange?: RecordedExchange;
  result: TransportResult;
  requestText?: string;
  requestHeaders: Record<string, string>;
  url: string;
  /** Once judged (see `compact`): the bounded excerpt of the body, which is then let go. */
  excerpt?: { text?: string; stream: boolean };
}

interface Judged {
  sent: Sent;
  view?: BaseExchangeView;
  findings: Finding[];
  outcomes: Map<string, CheckOutcome>;
}

export async function runConformance(
  options: RunOptions,
  hooks: RunHooks = {},
  signal?: AbortSignal,
  target: { builtIn: boolean } = { builtIn: false },
): Promise<TgcReport> {
  const run = await prepare(options, hooks, signal);
  await discover(run);
  const cases = takeShard(run, plan(run));
  const judged = await sendCases(run, cases);
  const scenarios = await runScenarios(run);
  const shrinks = await shrinkFailures(run, judged);
  return buildReport(run, { cases, judged, scenarios, shrinks }, target);
}

/** What the stages of a run share: the API, its checks, the scheduler, the limits learned so far. */
interface Run {
  options: RunOptions;
  api: ApiDefinition<BaseExchangeView>;
  driver: ApiDriver<BaseExchangeView>;
  decode: Decoder<BaseExchangeView>;
  checks: CheckDefinition<BaseExchangeView>[];
  scenarioChecks: ScenarioCheck<BaseExchangeView>[];
  scheduler: Scheduler;
  signal: AbortSignal | undefined;
  startedAt: Date;
  emit: (e: RunEvent) => void;
  requests: number;
  limits: Limits;
  sources: TgcReport['limits'];
  /** The model to name in requests: `--model`, else the first the server lists. */
  model?: string;
  /**
   * Warnings about limits learned (a refused feature), once per limit, with the exchange that
   * taught it: the first case of the plan that did, whatever the order the answers came in.
   */
  learnedFindings: Map<string, { finding: Finding; sent: Sent; case: number }>;
  /** The limits the plan was drawn with (before any case): a case's redraw starts from these. */
  plannedLimits: Limits;
  /** Cases skipped (load, budget, a limit learned), with their plan position: the report lists them in plan order. */
  skipped: (TgcReport['skipped'][number] & { id: number })[];
  /** With `--shard I/N`: the slice this run holds (see `takeShard`). */
  shard?: ShardSlice;
}

/** The I-th of N slices of the plan: the cases whose id is I-1 modulo N, and its scenario checks. */
interface ShardSlice extends ShardSpec {
  /** Cases in the whole plan. */
  planned: number;
  caseIds: number[];
}

interface ScenarioResults {
  findings: { check: ScenarioCheck<BaseExchangeView>; findings: Finding[]; sent: Sent[] }[];
  outcomes: Map<string, CheckOutcome[]>;
}

type Shrinks = Map<Judged, NonNullable<ReportFinding['shrunk']> & { sent: Sent }>;

async function prepare(options: RunOptions, hooks: RunHooks, signal: AbortSignal | undefined): Promise<Run> {
  const api = apiByName(options.api);
  if (!api?.driver) throw new Error(`tgc run cannot drive the API "${options.api}"`);
  const run: Run = {
    options,
    api,
    driver: api.driver,
    decode: await api.decoder(),
    checks: selectChecks(api.checks, options),
    scenarioChecks: selectChecks(api.scenarioChecks, options),
    scheduler: createScheduler({ ...options, maxRequests: requestBudget(options), ...(signal ? { signal } : {}) }),
    signal,
    startedAt: new Date(),
    emit: (e) => hooks.onEvent?.(e),
    requests: 0,
    limits: { ...api.driver.defaultLimits },
    sources: {},
    skipped: [],
    learnedFindings: new Map(),
    plannedLimits: {},
    ...(options.model !== undefined ? { model: options.model } : {}),
  };
  for (const [k, v] of Object.entries(api.driver.defaultLimits)) run.sources[k] = { value: v, source: 'default' };
  for (const [k, v] of Object.entries(options.serverLimits)) {
    if (v !== undefined) setLimit(run, k, v, 'user');
  }
  return run;
}

function setLimit(run: Run, name: string, value: number | boolean, source: 'user' | 'info' | 'learned'): void {
  run.limits[name] = value;
  run.sources[name] = { value, source };
}

/** Sends one request through the scheduler and records the exchange. */
function sendOne(run: Run, route: RouteName | 'discover', body: ExactJson | undefined, extra: Partial<Case> = {}): Promise<Sent> {
  const { options, signal } = run;
  return run.scheduler.schedule(async () => {
    run.requests++;
    const url = run.driver.routeUrl(options.url, route);
    const headers: Record<string, string> = { accept: '*/*', 'user-agent': `tgc/${VERSION}`, ...options.headers, ...extra.headers };
    const requestText = extra.rawBody ?? (body === undefined ? undefined : stringifyJson(body));
    if (requestText !== undefined) headers['content-type'] = extra.contentType ?? 'application/json';
    const wire = { ...headers };
    const auth = extra.auth ?? 'default';
    if (auth === 'default' && options.token !== undefined) wire['authorization'] = `Bearer ${options.token}`;
    if (auth === 'wrong') wire['authorization'] = `Bearer ${WRONG_TOKEN}`;
    const method = route === 'discover' || route.startsWith('GET ') ? 'GET' : 'POST';
    const result = await send(
      { method, url, headers: wire, ...(requestText !== undefined ? { body: requestText } : {}) },
      options.limits,
      signal,
    );
    let exchange = route === 'discover' ? undefined : toRecordedExchange(route, body, result);
    if (!exchange && route !== 'discover' && result.connected && result.failure) {
      // Accepted, then no answer at all (a hang before the headers, garbage instead of HTTP):
      // the server misbehaved, and response-completes must see it.
      exchange = { route, request: body, status: 0, transportFailure: { kind: result.failure.kind, message: result.failure.message } };
    }
    if (exchange) {
      exchange.api = options.api;
      exchange.requestHeaders = headers; // without Authorization
      const t = result.timings;
      exchange.timings = {
        totalMs: Math.round(t.totalMs * 10) / 10,
        ...(t.firstByteMs !== undefined ? { firstByteMs: Math.round(t.firstByteMs * 10) / 10 } : {}),
        ...(t.eventMs.length > 0 ? { eventMs: t.eventMs.map((ms) => Math.round(ms * 10) / 10) } : {}),
      };
      if (extra.expectation) exchange.expectation = extra.expectation;
      run.emit({ type: 'exchange', exchange });
    }
    return {
      caseLabel: extra.expectation?.label ?? route,
      ...(extra.id !== undefined ? { c: extra as Case } : {}),
      ...(exchange ? { exchange } : {}),
      result,
      ...(requestText !== undefined ? { requestText } : {}),
      requestHeaders: headers,
      url,
    };
  });
}

/** Decodes a sent exchange and applies the selected checks (with the case's expectation). */
function judge(run: Run, sent: Sent, c: Case | undefined): Judged {
  if (!sent.exchange) return { sent, findings: [], outcomes: new Map() };
  const exchange = c ? { ...sent.exchange, expectation: c.expectation } : sent.exchange;
  const view = run.decode(exchange, { sse: { maxEvents: run.options.limits.maxEvents, maxEventBytes: run.options.limits.maxEventBytes } });
  const r = applyChecks(view, run.checks);
  return { sent, view, findings: r.findings, outcomes: r.outcomes };
}

/** Stage 1: reach the target and learn the limits it states (TGI's /info). */
async function discover(run: Run): Promise<void> {
  run.emit({ type: 'phase', name: 'discover' });
  const read = run.driver.discover;
  if (!read) return;
  const info = await sendOne(run, 'discover', undefined);
  if (!info.result.connected) throw new TargetUnreachableError(unreachable(run.options.url, info.result));
  if (info.result.status === 200 && info.result.bodyText !== undefined) {
    const found = read(info.result.bodyText);
    for (const [k, v] of Object.entries(found.limits)) {
      if (v !== undefined && run.options.serverLimits[k as keyof KnownServerLimits] === undefined) setLimit(run, k, v, 'info');
    }
    if (run.model === undefined && found.model !== undefined) run.model = found.model;
  }
}

/** Stage 2: plan every case, a pure function of the seed and the limits known. */
function plan(run: Run): Case[] {
  const known = new Set(Object.entries(run.sources).filter(([, s]) => s.source !== 'default').map(([k]) => k));
  const cases = run.driver.planCases({
    ...(run.model !== undefined ? { model: run.model } : {}),
    seed: run.options.seed,
    maxExamples: run.options.maxExamples,
    limits: run.limits,
    knownLimits: known,
    authRequired: run.options.authRequired,
    hasToken: run.options.token !== undefined,
  });
  run.plannedLimits = { ...run.limits };
  return cases;
}

/**
 * Stage 2b (`--shard I/N`): keep the I-th of N slices of the plan, the cases whose id is I-1
 * modulo N. The plan is the same on every machine (the seed and the limits known before any
 * case), so the slices never overlap and together are the plan; what one shard learns later
 * changes only its own cases' redraws.
 */
function takeShard(run: Run, cases: Case[]): Case[] {
  const spec = run.options.shard;
  const mine = spec ? cases.filter((c) => c.id % spec.count === spec.index - 1) : cases;
  if (spec) run.shard = { ...spec, planned: cases.length, caseIds: mine.map((c) => c.id) };
  run.emit({ type: 'start', cases: mine.length, url: run.options.url, api: run.options.api, seed: run.options.seed });
  return mine;
}

/** `--max-requests`, or with `--shard I/N` this shard's share of it (rounded up). */
function requestBudget(options: RunOptions): number {
  return options.shard ? Math.ceil(options.maxRequests / options.shard.count) : options.maxRequests;
}

/**
 * The shard (1-based) that runs a scenario check, by the check's place in its API's list: the
 * first to the last shard, the next to the one before (shard 1 has the extra case, if any).
 */
function scenarioShard(run: Run, checkId: string): number {
  const count = run.options.shard?.count ?? 1;
  return count - (Math.max(0, run.api.scenarioChecks.findIndex((c) => c.id === checkId)) % count);
}

/**
 * Stage 3: send every case and judge its exchange. Load rejections are retried with back-off
 * (verdict-policy item 20); a rejection that states a limit teaches it and the case is redrawn
 * (item 5). The first case runs alone: a refused target stops the run before anything else.
 */
async function sendCases(run: Run, cases: readonly Case[]): Promise<Judged[]> {
  run.emit({ type: 'phase', name: 'cases' });
  const { options, signal } = run;
  const judged: Judged[] = [];
  let done = 0;
  let violations = 0;
  let first = true;

  const runCase = async (c: Case): Promise<void> => {
    let current = c;
    // A redraw uses the limits the plan had and those this case learned, never another case's:
    // the same case then sends the same requests in a shard as in the whole run.
    const learnedHere: Limits = {};
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return;
      let sent: Sent;
      try {
        sent = await sendOne(run, current.route, current.body, current);
      } catch (e) {
        if (e instanceof RequestBudgetExhausted) {
          run.skipped.push({ case: current.expectation.label ?? `case ${current.id}`, reason: e.message, id: c.id });
          return;
        }
        throw e;
      }
      if (signal?.aborted) return; // interrupted: the cut exchange is not the server's fault
      if (!sent.result.connected) {
        if (first) throw new TargetUnreachableError(unreachable(options.url, sent.result));
        // The target was reachable and is no more: it stopped accepting connections.
        sent.exchange = {
          route: current.route,
          request: current.body,
          status: 0,
          transportFailure: { kind: 'connection-refused-mid-run', message: `the server stopped accepting connections: ${sent.result.failure?.message ?? ''}` },
        };
      }
      const status = sent.result.status ?? 0;
      if (first && (status === 401 || status === 403) && current.expectation.purpose !== 'auth') {
        throw new TargetUnreachableError(
          options.token === undefined
            ? `${options.url} answered ${status}: it requires a token (pass --token or set ${run.driver.tokenEnv.join(' or ')})`
            : `${options.url} answered ${status}: it rejected the token given`,
        );
      }
      first = false;
      const j = judge(run, sent, current);
      const loadRejection = RETRY_STATUSES.has(status) || (j.view !== undefined && run.driver.isLoadError(j.view));
      if (loadRejection && current.expectation.outcome !== 'reject' && current.expectation.purpose !== 'serverless') {
        if (attempt < MAX_RETRIES) {
          await sleep(250 * 2 ** attempt, signal);
          continue;
        }
        run.skipped.push({ case: current.expectation.label ?? `case ${c.id}`, reason: `HTTP ${status} after ${MAX_RETRIES} retries (load: verdict-policy item 20)`, id: c.id });
        return;
      }
      // A rejection that teaches a limit: learn it, redraw, retest (verdict-policy item 5).
      const learned = current.expectation.outcome === 'accept' && j.view ? run.driver.learnLimit(j.view) : undefined;
      if (learned && attempt < MAX_RETRIES) {
        if (learned.finding) keepLearnedFinding(run, learned.name, { finding: learned.finding, sent, case: c.id });
        setLimit(run, learned.name, learned.value, 'learned');
        learnedHere[learned.name] = learned.value;
        if (current.redraw) {
          current = { ...current, body: current.redraw({ ...run.plannedLimits, ...learnedHere } as unknown as KnownServerLimits) };
          continue;
        }
        // A case made for what the server just said it does not serve: nothing to retest it with.
        run.skipped.push({ case: current.expectation.label ?? `case ${c.id}`, reason: `the server stated a limit tgc did not know (${learned.name} = ${String(learned.value)}): learned, not judged`, id: c.id });
        return;
      }
      compact(j);
      judged.push(j);
      done++;
      violations += j.findings.filter((f) => f.severity === 'violation').length;
      run.emit({ type: 'case', done, total: cases.length, violations });
      return;
    }
  };

  const [head, ...rest] = cases;
  if (head) await runCase(head);
  await Promise.all(rest.map((c) => runCase(c)));
  // In plan order, whatever order the answers came in: the report lists findings by case.
  return judged.sort((a, b) => (a.sent.c?.id ?? 0) - (b.sent.c?.id ?? 0));
}

/** A limit's warning is reported once, with the first case of the plan that taught it. */
function keepLearnedFinding(run: Run, limit: string, learned: { finding: Finding; sent: Sent; case: number }): void {
  const kept = run.learnedFindings.get(limit);
  if (!kept || learned.case < kept.case) run.learnedFindings.set(limit, learned);
}

/** Stage 4: the scenario checks: the requests each declares, assessed together. */
async function runScenarios(run: Run): Promise<ScenarioResults> {
  run.emit({ type: 'phase', name: 'scenarios' });
  const { signal } = run;
  const context: ScenarioContext = {
    api: run.options.api,
    ...run.driver.scenarioContext,
    ...(run.model !== undefined ? { model: run.model } : {}),
    seed: run.options.seed,
    maxExamples: run.options.maxExamples,
    limits: run.limits as unknown as ScenarioContext['limits'],
    grammarSupported: run.limits['grammarSupported'] !== false,
  };
  const results: ScenarioResults = { findings: [], outcomes: new Map() };
  // With --shard, each scenario check runs whole in one shard; the others list it as skipped.
  const elsewhere = run.scenarioChecks.filter((check) => run.shard && scenarioShard(run, check.id) !== run.shard.index);
  for (const check of elsewhere) {
    results.outcomes.set(check.id, [{ status: 'skip', reason: `runs in shard ${scenarioShard(run, check.id)}/${run.shard?.count ?? 1}` }]);
  }
  await Promise.all(
    run.scenarioChecks.filter((check) => !elsewhere.includes(check)).map(async (check) => {
      const outcomes: CheckOutcome[] = [];
      results.outcomes.set(check.id, outcomes);
      for (const group of check.plan(context)) {
        if (signal?.aborted) return;
        let sents: Sent[];
        try {
          sents = await Promise.all(group.requests.map((r) => sendOne(run, r.route, r.body, r.headers ? { headers: r.headers } : {})));
        } catch (e) {
          if (e instanceof RequestBudgetExhausted) {
            outcomes.push({ status: 'skip', reason: e.message });
            return;
          }
          throw e;
        }
        if (signal?.aborted) return;
        const views = sents.map((s) => judge(run, s, undefined).view).filter((v): v is BaseExchangeView => v !== undefined);
        if (views.length !== sents.length) {
          outcomes.push({ status: 'skip', reason: 'a request of the scenario got no answer' });
          continue;
        }
        let result: ReturnType<ScenarioCheck['assess']>;
        try {
          result = check.assess(group, views);
        } catch (e) {
          outcomes.push({ status: 'error', reason: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (!Array.isArray(result)) {
          outcomes.push({ status: 'skip', reason: result.skip });
          continue;
        }
        results.findings.push({ check, findings: result, sent: sents });
        outcomes.push({ status: result.some((f) => f.severity === 'violation') ? 'fail' : 'pass' });
      }
    }),
  );
  return results;
}

/** Stage 5: shrink failing random cases to a minimal request, by the API's own structure. */
async function shrinkFailures(run: Run, judged: readonly Judged[]): Promise<Shrinks> {
  run.emit({ type: 'phase', name: 'shrink' });
  const shrinks: Shrinks = new Map();
  const shrunkKeys = new Set<string>();
  for (const j of judged) {
    if (shrinks.size >= MAX_SHRINKS || run.signal?.aborted) break;
    const c = j.sent.c;
    const target = j.findings.find((f) => f.severity === 'violation');
    if (!c || c.expectation.purpose !== 'positive' || !target) continue;
    const key = dedupeKey(target, c.route);
    if (shrunkKeys.has(key)) continue;
    shrunkKeys.add(key);
    let last: Sent | undefined;
    const reproduces = async (body: ExactJson): Promise<boolean> => {
      const s = await sendOne(run, c.route, body, { ...c, body }).catch(() => undefined);
      if (!s) return false;
      const r = judge(run, s, c);
      const shows = r.findings.some((f) => f.check === target.check && f.kind === target.kind);
      if (shows) last = s;
      return shows;
    };
    const result = await run.driver.shrink(c.body, reproduces, MAX_SHRINK_REQUESTS);
    if (result && last) shrinks.set(j, { from: result.from, to: result.to, requests: result.requests, sent: last });
  }
  return shrinks;
}

/** Stage 6: findings, per-check outcomes and the summary, as report.json holds them. */
function buildReport(
  run: Run,
  results: { cases: readonly Case[]; judged: readonly Judged[]; scenarios: ScenarioResults; shrinks: Shrinks },
  target: { builtIn: boolean },
): TgcReport {
  const { options } = run;
  const { judged, scenarios, shrinks } = results;
  const findings: ReportFinding[] = [];
  for (const j of judged) {
    const shrunk = shrinks.get(j);
    const sent = shrunk?.sent ?? j.sent;
    for (const f of j.findings) {
      findings.push(
        toReportFinding(f, sent, run, {
          ...(j.sent.c ? { c: j.sent.c } : {}),
          ...(shrunk && f.severity === 'violation' ? { shrunk: { from: shrunk.from, to: shrunk.to, requests: shrunk.requests } } : {}),
        }),
      );
    }
  }
  const caseFindings = findings.length;
  const learned = [...run.learnedFindings].sort(([, a], [, b]) => a.case - b.case);
  for (const [, { finding, sent }] of learned) findings.push(toReportFinding(finding, sent, run, {}));
  // By scenario check, in the order the checks are listed (each check's groups in plan order).
  for (const check of run.scenarioChecks) {
    for (const s of scenarios.findings) {
      if (s.check !== check) continue;
      for (const f of s.findings) findings.push(toReportFinding(f, s.sent[0], run, { scenario: true }));
    }
  }

  const checks: ReportCheck[] = [];
  for (const check of run.checks) {
    const outcomes = judged.map((j) => j.outcomes.get(check.id)).filter((o): o is CheckOutcome => o !== undefined);
    checks.push(summarise(check, outcomes, findings));
  }
  for (const check of run.scenarioChecks) checks.push(summarise(check, scenarios.outcomes.get(check.id) ?? [], findings));

  const timings: TgcReport['timings'] = judged.map((j) => ({
    route: j.sent.exchange?.route ?? '',
    ...(j.sent.result.status !== undefined ? { status: j.sent.result.status } : {}),
    totalMs: Math.round(j.sent.result.timings.totalMs),
    ...(j.sent.result.timings.firstByteMs !== undefined ? { firstByteMs: Math.round(j.sent.result.timings.firstByteMs) } : {}),
    ...(j.sent.result.timings.eventMs[0] !== undefined ? { firstEventMs: Math.round(j.sent.result.timings.eventMs[0]) } : {}),
  }));

  const coverage: TgcReport['coverage'] = {};
  for (const c of results.cases) {
    for (const k of run.driver.parametersOf(c.body)) {
      const entry = (coverage[k] ??= { sent: 0, boundaries: 0 });
      entry.sent++;
      if (c.expectation.purpose === 'boundary' && c.expectation.label?.startsWith(`${k} =`)) entry.boundaries++;
    }
  }

  const violationCount = findings.filter((f) => f.severity === 'violation').length;
  const skipped = [...run.skipped].sort((a, b) => a.id - b.id);
  const sharding = run.shard
    ? shardSections(run, {
        checks,
        judged,
        skipped: skipped.map((s) => s.id),
        findings: { cases: caseFindings, learned: learned.map(([limit, l]) => ({ limit, case: l.case })), scenarios: findings.length - caseFindings - learned.length },
      })
    : {};
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'tgc', version: VERSION },
    target: { url: options.url, api: options.api, builtIn: target.builtIn },
    seed: options.seed,
    startedAt: run.startedAt.toISOString(),
    durationMs: Date.now() - run.startedAt.getTime(),
    interrupted: run.signal?.aborted ?? false,
    limits: run.sources,
    summary: {
      checks: checks.length,
      cases: judged.length,
      requests: run.requests,
      violations: violationCount,
      warnings: findings.length - violationCount,
      known: 0,
      skippedCases: skipped.length,
    },
    checks,
    findings,
    skipped: skipped.map(({ case: label, reason }) => ({ case: label, reason })),
    timings,
    coverage,
    ...sharding,
  };
}

/** A shard's report: which slice it is, what `tgc merge` needs, and the options all shards share. */
function shardSections(
  run: Run,
  parts: { checks: readonly ReportCheck[]; judged: readonly Judged[]; skipped: number[]; findings: ReportShard['surfaces'][number]['findings'] },
): { shard?: ReportShard; run?: ReportRunOptions } {
  const slice = run.shard;
  if (!slice) return {};
  const { options } = run;
  const skipReasons: ReportShard['surfaces'][number]['skipReasons'] = {};
  for (const row of parts.checks) {
    if (row.status !== 'skip' || !run.checks.some((c) => c.id === row.id)) continue;
    const reasons: { reason: string; count: number; first: number }[] = [];
    for (const j of parts.judged) {
      const o = j.outcomes.get(row.id);
      if (o?.status !== 'skip') continue;
      const seen = reasons.find((r) => r.reason === o.reason);
      if (seen) seen.count++;
      else reasons.push({ reason: o.reason, count: 1, first: j.sent.c?.id ?? 0 });
    }
    skipReasons[row.id] = reasons;
  }
  const serverLimits: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(options.serverLimits)) if (v !== undefined) serverLimits[k] = v;
  return {
    shard: {
      index: slice.index,
      count: slice.count,
      cases: slice.caseIds.length,
      surfaces: [
        {
          api: options.api,
          url: options.url,
          planned: slice.planned,
          caseIds: slice.caseIds,
          scenarioChecks: run.scenarioChecks.filter((c) => scenarioShard(run, c.id) === slice.index).map((c) => c.id),
          findings: parts.findings,
          skipped: parts.skipped,
          checks: parts.checks.map((c) => ({ ...c })),
          skipReasons,
        },
      ],
    },
    run: {
      maxExamples: options.maxExamples,
      checks: [...options.checks],
      excludeChecks: [...options.excludeChecks],
      maxRequests: options.maxRequests,
      serverLimits,
      authRequired: options.authRequired,
      token: options.token !== undefined,
      ...(options.model !== undefined ? { model: options.model } : {}),
      headers: Object.keys(options.headers).map((h) => h.toLowerCase()).sort(),
    },
  };
}

function selectChecks<T extends { id: string }>(checks: readonly T[], options: RunOptions): T[] {
  return checks.filter(
    (c) => (options.checks.length === 0 || options.checks.includes(c.id)) && !options.excludeChecks.includes(c.id),
  );
}

function unreachable(url: string, result: TransportResult): string {
  return `cannot reach ${url}: ${result.failure?.message ?? 'no connection'}`;
}

function summarise(
  check: Pick<CheckDefinition, 'id' | 'severity' | 'title'>,
  outcomes: readonly CheckOutcome[],
  findings: readonly ReportFinding[],
): ReportCheck {
  const mine = findings.filter((f) => f.check === check.id);
  const violations = mine.filter((f) => f.severity === 'violation').length;
  const base = { id: check.id, severity: check.severity, title: check.title, violations, warnings: mine.length - violations };
  const ran = outcomes.filter((o) => o.status !== 'skip');
  const error = outcomes.find((o): o is Extract<CheckOutcome, { status: 'error' }> => o.status === 'error');
  if (error) return { ...base, status: 'error', reason: error.reason, cases: ran.length };
  if (violations > 0) return { ...base, status: 'fail', cases: ran.length };
  if (ran.length > 0) return { ...base, status: 'pass', cases: ran.length };
  return { ...base, status: 'skip', reason: commonestReason(outcomes) ?? 'no exchange to judge', cases: 0 };
}

function commonestReason(outcomes: readonly CheckOutcome[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of outcomes) if (o.status === 'skip') counts.set(o.reason, (counts.get(o.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function toReportFinding(
  f: Finding,
  sent: Sent | undefined,
  run: Run,
  extra: { c?: Case; shrunk?: ReportFinding['shrunk']; scenario?: boolean },
): ReportFinding {
  const { options } = run;
  const tokenVar = run.driver.tokenEnv[0] ?? 'HF_TOKEN';
  const route = sent?.exchange?.route;
  const out: ReportFinding = {
    check: f.check,
    severity: f.severity,
    kind: f.kind,
    title: f.title,
    message: f.message,
    dedupeKey: dedupeKey(f, route ?? 'scenario'),
    seed: options.seed,
    ...(route !== undefined ? { route } : {}),
    ...(f.pointer !== undefined ? { pointer: f.pointer } : {}),
    ...(f.event !== undefined ? { event: f.event } : {}),
    ...(extra.c ? { case: { id: extra.c.id, label: extra.c.expectation.label ?? '', purpose: extra.c.expectation.purpose } } : {}),
    ...(extra.shrunk ? { shrunk: extra.shrunk } : {}),
  };
  if (!sent) return out;
  const auth = extra.c?.auth ?? 'default';
  const headers = { ...sent.requestHeaders };
  if (auth === 'default' && options.token !== undefined) headers['authorization'] = `Bearer $${tokenVar}`;
  out.request = {
    method: sent.exchange && !sent.exchange.route.startsWith('GET ') ? 'POST' : 'GET',
    url: sent.url,
    headers,
    ...(sent.requestText !== undefined ? { body: bounded(sent.requestText) } : {}),
  };
  const r = sent.result;
  out.response = {
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    ...excerptOf(sent),
    ...(r.failure ? { failure: `${r.failure.kind}: ${r.failure.message}` } : {}),
  };
  if (!extra.scenario) {
    const { 'user-agent': _ua, accept: _accept, ...shown } = sent.requestHeaders;
    out.reproduce = curlCommand({
      method: out.request.method,
      url: sent.url,
      headers: shown,
      withToken: auth === 'default' && options.token !== undefined,
      tokenVar,
      ...(auth === 'wrong' ? { wrongToken: WRONG_TOKEN } : {}),
      ...(sent.requestText !== undefined ? { body: sent.requestText } : {}),
      stream: sent.excerpt?.stream ?? r.stream !== undefined,
    });
  }
  return out;
}

/**
 * Lets a judged case's bodies go, keeping what the report needs: its findings, the request, the
 * status, headers and timings, and a bounded excerpt. A run of many cases, or against a server
 * that floods, then holds a few kilobytes per case instead of every body it read.
 */
function compact(j: Judged): void {
  delete j.view;
  const sent = j.sent;
  const r = sent.result;
  sent.excerpt = {
    stream: r.stream !== undefined,
    ...(r.stream ? { text: bounded(r.stream.raw) } : r.bodyText !== undefined ? { text: bounded(r.bodyText) } : {}),
  };
  delete r.stream;
  delete r.bodyText;
  if (r.timings.eventMs.length > 1) r.timings.eventMs = r.timings.eventMs.slice(0, 1);
  if (sent.exchange) {
    const { stream: _s, response: _r, responseText: _t, timings: _timings, ...light } = sent.exchange;
    sent.exchange = light;
  }
}

function excerptOf(sent: Sent): { excerpt?: string } {
  if (sent.excerpt) return sent.excerpt.text !== undefined ? { excerpt: sent.excerpt.text } : {};
  const r = sent.result;
  return r.stream ? { excerpt: bounded(r.stream.raw) } : r.bodyText !== undefined ? { excerpt: bounded(r.bodyText) } : {};
}

function bounded(text: string): string {
  return text.length > EXCERPT_BYTES ? `${text.slice(0, EXCERPT_BYTES)}… (${text.length} characters)` : text;
}


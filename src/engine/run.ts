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
import type { ReportCheck, ReportFinding, ReportOmittedFindings, ReportRunOptions, ReportShard, TgcReport } from '../report/report.js';
import { REPORT_SCHEMA_VERSION } from '../report/report.js';
import { createConnectionPool, send, toRecordedExchange, type ConnectionPool, type TransportResult } from '../transport/index.js';
import { VERSION } from '../version.js';
import { caseLimits, errorBodyBound } from './case-limits.js';
import type { Case } from './cases.js';
import { applyChecks, type AppliedChecks, type CheckOutcome } from './inspect-exchange.js';
import type { KnownServerLimits, RunOptions, ShardSpec } from './options.js';
import { curlCommand } from './reproduce.js';
import { commonestSkip, FindingSample, newTally, skipReasons as skipReasonsOf, tallyOf, tallyOutcome, type CheckTally } from './retention.js';
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
  /** Each check's result (applyChecks), until the case is counted (keepCase). */
  results: Pick<AppliedChecks, 'forEachResult'> | undefined;
}

/**
 * What the report keeps of the cases judged (see retention.ts): counts of everything, and, as
 * examples, the first findings of each kind by plan order with their (compacted) exchanges. A
 * case without a kept finding is let go once counted: memory does not grow with the cases.
 */
interface CaseResults {
  /** Cases judged. */
  count: number;
  violations: number;
  /** Per check id: its outcomes over the cases, counted. */
  tallies: Map<string, CheckTally>;
  findings: FindingSample<Judged>;
  /** One timing row per case judged, with its case id (the report lists them in plan order). */
  timings: { id: number; row: TgcReport['timings'][number] }[];
  /** For each kind of violation, the first positive case (plan order) whose first violation it is: what shrinking tries. */
  shrinkable: Map<string, Judged>;
}

export async function runConformance(
  options: RunOptions,
  hooks: RunHooks = {},
  signal?: AbortSignal,
  target: { builtIn: boolean } = { builtIn: false },
): Promise<TgcReport> {
  const run = await prepare(options, hooks, signal);
  try {
    await discover(run);
    // A run judges every kind of body: the contract compiles now, before the first case (after
    // discovery, which tells at once a target that cannot be reached).
    await run.api.warm?.();
    const cases = takeShard(run, plan(run));
    const coverage = coverageOf(run, cases);
    const judged = await sendCases(run, cases);
    const scenarios = await runScenarios(run);
    const shrinks = await shrinkFailures(run, judged);
    return buildReport(run, { coverage, judged, scenarios, shrinks }, target);
  } finally {
    run.connections.close();
  }
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
  /** Kept-alive connections to the target, at most `concurrency`: a run reuses them as real clients do. */
  connections: ConnectionPool;
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
  const decode = await api.decoder();
  const run: Run = {
    options,
    api,
    driver: api.driver,
    decode,
    checks: selectChecks(api.checks, options),
    scenarioChecks: selectChecks(api.scenarioChecks, options),
    scheduler: createScheduler({ ...options, maxRequests: requestBudget(options), ...(signal ? { signal } : {}) }),
    connections: createConnectionPool({ maxSockets: options.concurrency }),
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
    // A stream is held to the events, and a 2xx answer to the bytes, its request allows, where the contract bounds them.
    const caseBound = caseLimits(
      options.limits,
      {
        events: options.fixedMaxEvents === true ? undefined : (b) => run.driver.streamEventBound?.(b),
        bodyBytes: options.fixedMaxBodyBytes === true ? undefined : (b) => run.driver.bodyByteBound?.(b),
        errorBytes: options.fixedMaxBodyBytes === true ? undefined : errorBodyBound,
      },
      body,
      requestText === undefined ? 0 : Buffer.byteLength(requestText),
    );
    const result = await send(
      {
        method,
        url,
        headers: wire,
        ...(requestText !== undefined ? { body: requestText } : {}),
        ...(caseBound.maxOkBodyBytes !== undefined ? { maxOkBodyBytes: caseBound.maxOkBodyBytes } : {}),
        ...(caseBound.maxErrorBodyBytes !== undefined ? { maxErrorBodyBytes: caseBound.maxErrorBodyBytes } : {}),
      },
      caseBound.limits,
      signal,
      run.connections,
    );
    caseBound.explain(result);
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
        ...(t.resent ? { resent: t.resent } : {}),
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
  if (!sent.exchange) return { sent, findings: [], results: undefined };
  const exchange = c ? { ...sent.exchange, expectation: c.expectation } : sent.exchange;
  const view = run.decode(exchange, { sse: { maxEvents: run.options.limits.maxEvents, maxEventBytes: run.options.limits.maxEventBytes } });
  const r = applyChecks(view, run.checks);
  return { sent, view, findings: r.findings, results: r };
}

/** Stage 1: reach the target and learn the limits it states (TGI's /info). */
async function discover(run: Run): Promise<void> {
  run.emit({ type: 'phase', name: 'discover' });
  const read = run.driver.discover;
  if (!read) return;
  const info = await sendOne(run, 'discover', undefined);
  if (!info.result.connected) throw new TargetUnreachableError(unreachable(run.options.url, info.result));
  // Only a body the transport passed whole: not one cut by a limit or nested past MAX_JSON_DEPTH
  // (JSON.parse of `[` nested a million deep builds a million arrays: 60 MB for nothing).
  if (info.result.status === 200 && info.result.bodyText !== undefined && info.result.failure === undefined) {
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
async function sendCases(run: Run, cases: (Case | undefined)[]): Promise<CaseResults> {
  run.emit({ type: 'phase', name: 'cases' });
  const { options, signal } = run;
  const total = cases.length;
  const results: CaseResults = { count: 0, violations: 0, tallies: new Map(), findings: new FindingSample(), timings: [], shrinkable: new Map() };
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
      // Only a case with findings is kept past this point (keepCase): only it needs compacting.
      if (j.findings.length > 0) compact(j);
      keepCase(results, j, c.id);
      run.emit({ type: 'case', done: results.count, total, violations: results.violations });
      return;
    }
  };

  // The plan's list lets go of each case as it is queued: a case then lives only until it is judged.
  let next = 0;
  const take = (): Case | undefined => {
    const c = cases[next];
    cases[next++] = undefined;
    return c;
  };
  const head = take();
  if (head) await runCase(head);
  // Every other case queued at once, in plan order (the scheduler's order, and the budget's: a
  // retry waits behind every case); each holds its case only until it is judged.
  const pending: Promise<void>[] = [];
  for (let c = take(); c; c = take()) pending.push(runCase(c));
  await Promise.all(pending);
  // In plan order, whatever order the answers came in.
  results.timings.sort((a, b) => a.id - b.id);
  return results;
}

/** Counts a judged case and keeps what the report may show of it (see `CaseResults`). */
function keepCase(results: CaseResults, j: Judged, caseId: number): void {
  results.count++;
  j.results?.forEachResult((id, o) => {
    let t = results.tallies.get(id);
    if (!t) results.tallies.set(id, (t = newTally()));
    tallyOutcome(t, o, caseId);
  });
  j.results = undefined;
  const r = j.sent.result;
  results.timings.push({
    id: caseId,
    row: {
      route: j.sent.exchange?.route ?? '',
      ...(r.status !== undefined ? { status: r.status } : {}),
      totalMs: Math.round(r.timings.totalMs),
      ...(r.timings.firstByteMs !== undefined ? { firstByteMs: Math.round(r.timings.firstByteMs) } : {}),
      ...(r.timings.eventMs[0] !== undefined ? { firstEventMs: Math.round(r.timings.eventMs[0]) } : {}),
    },
  });
  const route = j.sent.exchange?.route;
  j.findings.forEach((f, i) => {
    if (f.severity === 'violation') results.violations++;
    results.findings.add({ dedupeKey: dedupeKey(f, route ?? 'scenario'), check: f.check, severity: f.severity, ...(route !== undefined ? { route } : {}) }, caseId, i, j);
  });
  const c = j.sent.c;
  const target = j.findings.find((f) => f.severity === 'violation');
  if (c && c.expectation.purpose === 'positive' && target) {
    const key = dedupeKey(target, c.route);
    const seen = results.shrinkable.get(key);
    if (!seen || caseId < (seen.sent.c?.id ?? 0)) results.shrinkable.set(key, j);
  }
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
async function shrinkFailures(run: Run, results: CaseResults): Promise<Shrinks> {
  run.emit({ type: 'phase', name: 'shrink' });
  const shrinks: Shrinks = new Map();
  const shrunkKeys = new Set<string>();
  // The first case of each kind of violation, in plan order (as if every case were walked).
  const judged = [...results.shrinkable.values()].sort((a, b) => (a.sent.c?.id ?? 0) - (b.sent.c?.id ?? 0));
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

/** Which parameters (and boundary values) the planned cases of this run set: counted before they are sent and let go. */
function coverageOf(run: Run, cases: readonly Case[]): TgcReport['coverage'] {
  const coverage: TgcReport['coverage'] = {};
  for (const c of cases) {
    for (const k of run.driver.parametersOf(c.body)) {
      const entry = (coverage[k] ??= { sent: 0, boundaries: 0 });
      entry.sent++;
      if (c.expectation.purpose === 'boundary' && c.expectation.label?.startsWith(`${k} =`)) entry.boundaries++;
    }
  }
  return coverage;
}

/** Stage 6: findings, per-check outcomes and the summary, as report.json holds them. */
function buildReport(
  run: Run,
  results: { coverage: TgcReport['coverage']; judged: CaseResults; scenarios: ScenarioResults; shrinks: Shrinks },
  target: { builtIn: boolean },
): TgcReport {
  const { options } = run;
  const { judged, scenarios, shrinks } = results;
  const findings: ReportFinding[] = [];
  // The findings of cases kept as examples, in plan order; the others are counted (`omitted`).
  for (const { item: j, index } of judged.findings.kept()) {
    const f = j.findings[index];
    if (!f) continue;
    const shrunk = shrinks.get(j);
    findings.push(
      toReportFinding(f, shrunk?.sent ?? j.sent, run, {
        ...(j.sent.c ? { c: j.sent.c } : {}),
        ...(shrunk && f.severity === 'violation' ? { shrunk: { from: shrunk.from, to: shrunk.to, requests: shrunk.requests } } : {}),
      }),
    );
  }
  const omitted = judged.findings.omitted();
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
  for (const check of run.checks) checks.push(summarise(check, judged.tallies.get(check.id) ?? newTally(), findings, omitted));
  for (const check of run.scenarioChecks) checks.push(summarise(check, tallyOf(scenarios.outcomes.get(check.id) ?? []), findings, omitted));

  const timings: TgcReport['timings'] = judged.timings.map((t) => t.row);

  const { coverage } = results;

  const violationCount =
    findings.filter((f) => f.severity === 'violation').length + omitted.reduce((n, o) => n + (o.severity === 'violation' ? o.count : 0), 0);
  const findingCount = findings.length + omitted.reduce((n, o) => n + o.count, 0);
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
      cases: judged.count,
      requests: run.requests,
      violations: violationCount,
      warnings: findingCount - violationCount,
      known: 0,
      skippedCases: skipped.length,
    },
    checks,
    findings,
    skipped: skipped.map(({ case: label, reason }) => ({ case: label, reason })),
    timings,
    coverage,
    ...(omitted.length > 0 ? { omittedFindings: omitted } : {}),
    ...sharding,
  };
}

/** A shard's report: which slice it is, what `tgc merge` needs, and the options all shards share. */
function shardSections(
  run: Run,
  parts: { checks: readonly ReportCheck[]; judged: CaseResults; skipped: number[]; findings: ReportShard['surfaces'][number]['findings'] },
): { shard?: ReportShard; run?: ReportRunOptions } {
  const slice = run.shard;
  if (!slice) return {};
  const { options } = run;
  const skipReasons: ReportShard['surfaces'][number]['skipReasons'] = {};
  for (const row of parts.checks) {
    if (row.status !== 'skip' || !run.checks.some((c) => c.id === row.id)) continue;
    const tally = parts.judged.tallies.get(row.id);
    skipReasons[row.id] = tally ? skipReasonsOf(tally) : [];
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
  tally: CheckTally,
  findings: readonly ReportFinding[],
  omitted: readonly ReportOmittedFindings[],
): ReportCheck {
  let violations = 0;
  let warnings = 0;
  for (const f of findings) if (f.check === check.id) f.severity === 'violation' ? violations++ : warnings++;
  for (const o of omitted) if (o.check === check.id) o.severity === 'violation' ? (violations += o.count) : (warnings += o.count);
  const base = { id: check.id, severity: check.severity, title: check.title, violations, warnings };
  if (tally.error) return { ...base, status: 'error', reason: tally.error.reason, cases: tally.ran };
  if (violations > 0) return { ...base, status: 'fail', cases: tally.ran };
  if (tally.ran > 0) return { ...base, status: 'pass', cases: tally.ran };
  return { ...base, status: 'skip', reason: commonestSkip(tally) ?? 'no exchange to judge', cases: 0 };
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
  // A copy, not a slice: V8's slice of a long string keeps the whole string alive.
  return text.length > EXCERPT_BYTES ? `${flatCopy(text.slice(0, EXCERPT_BYTES))}… (${text.length} characters)` : text;
}

/** A string that shares no storage with the one it came from (lone surrogates kept). */
function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}


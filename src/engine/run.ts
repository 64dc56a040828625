/**
 * The conformance engine: discovers the target's limits, plans cases, sends them through the
 * transport (bounded by the scheduler), applies every check to every exchange, runs the scenario
 * checks, shrinks failing random cases, and returns the report. One engine serves `tgc run` and
 * the vitest suites.
 */
import type { CheckDefinition, ScenarioCheck, ScenarioContext } from '../checks/check.js';
import { allChecks, scenarioChecks } from '../checks/index.js';
import { learnLimit } from '../checks/_internals/learned-limits.js';
import type { ExchangeView, RecordedExchange, RouteName } from '../core/exchange.js';
import { dedupeKey, type Finding } from '../core/finding.js';
import { stringifyJson, type ExactJson } from '../core/json.js';
import { loadContract } from '../contract/contract.js';
import type { ReportCheck, ReportFinding, TgcReport } from '../report/report.js';
import { REPORT_SCHEMA_VERSION } from '../report/report.js';
import { send, toRecordedExchange, type TransportResult } from '../transport/index.js';
import { VERSION } from '../version.js';
import { planCases, type Case } from './cases.js';
import { inspectExchange, type CheckOutcome } from './inspect-exchange.js';
import { TGI_DEFAULT_LIMITS, type KnownServerLimits, type RunOptions } from './options.js';
import { curlCommand } from './reproduce.js';
import { createScheduler, RequestBudgetExhausted, sleep } from './scheduler.js';

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
}

interface Judged {
  sent: Sent;
  view?: ExchangeView;
  findings: Finding[];
  outcomes: Map<string, CheckOutcome>;
}

export async function runConformance(
  options: RunOptions,
  hooks: RunHooks = {},
  signal?: AbortSignal,
  target: { builtIn: boolean } = { builtIn: false },
): Promise<TgcReport> {
  const startedAt = new Date();
  const emit = (e: RunEvent): void => hooks.onEvent?.(e);
  const contract = await loadContract();
  const selected = selectChecks(allChecks, options);
  const selectedScenarios = selectChecks(scenarioChecks, options);
  const scheduler = createScheduler({ ...options, ...(signal ? { signal } : {}) });
  const state = { requests: 0 };

  const limits: KnownServerLimits = { ...TGI_DEFAULT_LIMITS };
  const sources: TgcReport['limits'] = {};
  for (const [k, v] of Object.entries(TGI_DEFAULT_LIMITS)) sources[k] = { value: v, source: 'default' };
  const setLimit = (name: keyof KnownServerLimits, value: number | boolean, source: 'user' | 'info' | 'learned'): void => {
    (limits as unknown as Record<string, number | boolean>)[name] = value;
    sources[name] = { value, source };
  };
  for (const [k, v] of Object.entries(options.serverLimits)) {
    if (v !== undefined) setLimit(k as keyof KnownServerLimits, v, 'user');
  }

  const sendOne = (route: RouteName | 'GET /info', body: ExactJson | undefined, extra: Partial<Case> = {}): Promise<Sent> =>
    scheduler.schedule(async () => {
      state.requests++;
      const url = routeUrl(options, route);
      const headers: Record<string, string> = { accept: '*/*', 'user-agent': `tgc/${VERSION}`, ...options.headers, ...extra.headers };
      const requestText = extra.rawBody ?? (body === undefined ? undefined : stringifyJson(body));
      if (requestText !== undefined) headers['content-type'] = extra.contentType ?? 'application/json';
      const wire = { ...headers };
      const auth = extra.auth ?? 'default';
      if (auth === 'default' && options.token !== undefined) wire['authorization'] = `Bearer ${options.token}`;
      if (auth === 'wrong') wire['authorization'] = `Bearer ${WRONG_TOKEN}`;
      const result = await send(
        { method: route === 'GET /info' ? 'GET' : 'POST', url, headers: wire, ...(requestText !== undefined ? { body: requestText } : {}) },
        options.limits,
        signal,
      );
      let exchange = route === 'GET /info' ? undefined : toRecordedExchange(route, body, result);
      if (!exchange && route !== 'GET /info' && result.connected && result.failure) {
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
        emit({ type: 'exchange', exchange });
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

  // 1. Reach the target and learn its limits.
  emit({ type: 'phase', name: 'discover' });
  if (options.api === 'tgi') {
    const info = await sendOne('GET /info', undefined);
    if (!info.result.connected) throw new TargetUnreachableError(unreachable(options.url, info.result));
    if (info.result.status === 200 && info.result.bodyText !== undefined) {
      const infoLimits = readInfo(info.result.bodyText);
      for (const [k, v] of Object.entries(infoLimits)) {
        if (options.serverLimits[k as keyof KnownServerLimits] === undefined) setLimit(k as keyof KnownServerLimits, v, 'info');
      }
    }
  }

  // 2. Plan and send every case.
  const known = new Set(Object.entries(sources).filter(([, s]) => s.source !== 'default').map(([k]) => k)) as Set<keyof KnownServerLimits>;
  const cases = planCases({
    api: options.api,
    seed: options.seed,
    maxExamples: options.maxExamples,
    limits,
    knownLimits: known,
    authRequired: options.authRequired,
    hasToken: options.token !== undefined,
  });
  emit({ type: 'start', cases: cases.length, url: options.url, api: options.api, seed: options.seed });
  emit({ type: 'phase', name: 'cases' });

  const judged: Judged[] = [];
  const skipped: TgcReport['skipped'] = [];
  let done = 0;
  let violations = 0;
  let first = true;

  const judge = (sent: Sent, c: Case | undefined): Judged => {
    if (!sent.exchange) return { sent, findings: [], outcomes: new Map() };
    const exchange = c ? { ...sent.exchange, expectation: c.expectation } : sent.exchange;
    const r = inspectExchange(exchange, contract, selected, {
      sse: { maxEvents: options.limits.maxEvents, maxEventBytes: options.limits.maxEventBytes },
    });
    return { sent, view: r.view, findings: r.findings, outcomes: r.outcomes };
  };

  const runCase = async (c: Case): Promise<void> => {
    let current = c;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return;
      let sent: Sent;
      try {
        sent = await sendOne(current.route, current.body, current);
      } catch (e) {
        if (e instanceof RequestBudgetExhausted) {
          skipped.push({ case: current.expectation.label ?? `case ${current.id}`, reason: e.message });
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
            ? `${options.url} answered ${status}: it requires a token (pass --token or set HF_TOKEN)`
            : `${options.url} answered ${status}: it rejected the token given`,
        );
      }
      first = false;
      const j = judge(sent, current);
      const streamErrorType = j.view?.streamError?.error_type;
      const loadRejection = RETRY_STATUSES.has(status) || (streamErrorType !== undefined && LOAD_ERROR_TYPES.has(streamErrorType));
      if (loadRejection && current.expectation.outcome !== 'reject' && current.expectation.purpose !== 'serverless') {
        if (attempt < MAX_RETRIES) {
          await sleep(250 * 2 ** attempt, signal);
          continue;
        }
        skipped.push({ case: current.expectation.label ?? `case ${c.id}`, reason: `HTTP ${status} after ${MAX_RETRIES} retries (load: verdict-policy item 20)` });
        return;
      }
      // A rejection that teaches a limit: learn it, redraw, retest (verdict-policy item 5).
      const learned = current.expectation.outcome === 'accept' ? learnFrom(j) : undefined;
      if (learned && current.redraw && attempt < MAX_RETRIES) {
        setLimit(learned.name, learned.value, 'learned');
        current = { ...current, body: current.redraw(limits) };
        continue;
      }
      judged.push(j);
      done++;
      violations += j.findings.filter((f) => f.severity === 'violation').length;
      emit({ type: 'case', done, total: cases.length, violations });
      return;
    }
  };

  // The first case runs alone: a refused target stops the run before anything else is sent.
  const [head, ...rest] = cases;
  if (head) await runCase(head);
  await Promise.all(rest.map((c) => runCase(c)));

  // 3. Scenario checks: the requests they declare, assessed together.
  emit({ type: 'phase', name: 'scenarios' });
  const scenarioContext: ScenarioContext = {
    api: options.api,
    seed: options.seed,
    maxExamples: options.maxExamples,
    limits,
    grammarSupported: limits.grammarSupported,
  };
  const scenarioFindings: { check: ScenarioCheck; findings: Finding[]; sent: Sent[] }[] = [];
  const scenarioOutcomes = new Map<string, CheckOutcome[]>();
  await Promise.all(
    selectedScenarios.map(async (check) => {
      const outcomes: CheckOutcome[] = [];
      scenarioOutcomes.set(check.id, outcomes);
      for (const group of check.plan(scenarioContext)) {
        if (signal?.aborted) return;
        let sents: Sent[];
        try {
          sents = await Promise.all(group.requests.map((r) => sendOne(r.route, r.body, r.headers ? { headers: r.headers } : {})));
        } catch (e) {
          if (e instanceof RequestBudgetExhausted) {
            outcomes.push({ status: 'skip', reason: e.message });
            return;
          }
          throw e;
        }
        if (signal?.aborted) return;
        const views = sents.map((s) => judge(s, undefined).view).filter((v): v is ExchangeView => v !== undefined);
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
        scenarioFindings.push({ check, findings: result, sent: sents });
        outcomes.push({ status: result.some((f) => f.severity === 'violation') ? 'fail' : 'pass' });
      }
    }),
  );

  // 4. Shrink failing random cases to a minimal request.
  emit({ type: 'phase', name: 'shrink' });
  const shrinks = new Map<Judged, NonNullable<ReportFinding['shrunk']> & { sent: Sent }>();
  const shrunkKeys = new Set<string>();
  for (const j of judged) {
    if (shrinks.size >= MAX_SHRINKS || signal?.aborted) break;
    const c = j.sent.c;
    const target = j.findings.find((f) => f.severity === 'violation');
    if (!c || c.expectation.purpose !== 'positive' || !target) continue;
    const key = dedupeKey(target, c.route);
    if (shrunkKeys.has(key)) continue;
    shrunkKeys.add(key);
    const reproduces = async (body: ExactJson): Promise<Sent | undefined> => {
      const s = await sendOne(c.route, body, { ...c, body }).catch(() => undefined);
      if (!s) return undefined;
      const r = judge(s, c);
      return r.findings.some((f) => f.check === target.check && f.kind === target.kind) ? s : undefined;
    };
    const result = await shrinkRequest(c.body, reproduces, MAX_SHRINK_REQUESTS);
    if (result) shrinks.set(j, result);
  }

  // 5. Findings and per-check outcomes.
  const findings: ReportFinding[] = [];
  for (const j of judged) {
    const shrunk = shrinks.get(j);
    const sent = shrunk?.sent ?? j.sent;
    for (const f of j.findings) {
      findings.push(
        toReportFinding(f, sent, options, {
          ...(j.sent.c ? { c: j.sent.c } : {}),
          ...(shrunk && f.severity === 'violation' ? { shrunk: { from: shrunk.from, to: shrunk.to, requests: shrunk.requests } } : {}),
        }),
      );
    }
  }
  for (const s of scenarioFindings) {
    for (const f of s.findings) findings.push(toReportFinding(f, s.sent[0], options, { scenario: true }));
  }

  const checks: ReportCheck[] = [];
  for (const check of selected) {
    const outcomes = judged.map((j) => j.outcomes.get(check.id)).filter((o): o is CheckOutcome => o !== undefined);
    checks.push(summarise(check, outcomes, findings));
  }
  for (const check of selectedScenarios) checks.push(summarise(check, scenarioOutcomes.get(check.id) ?? [], findings));

  const timings: TgcReport['timings'] = judged.map((j) => ({
    route: j.sent.exchange?.route ?? '',
    ...(j.sent.result.status !== undefined ? { status: j.sent.result.status } : {}),
    totalMs: Math.round(j.sent.result.timings.totalMs),
    ...(j.sent.result.timings.firstByteMs !== undefined ? { firstByteMs: Math.round(j.sent.result.timings.firstByteMs) } : {}),
    ...(j.sent.result.timings.eventMs[0] !== undefined ? { firstEventMs: Math.round(j.sent.result.timings.eventMs[0]) } : {}),
  }));

  const violationCount = findings.filter((f) => f.severity === 'violation').length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'tgc', version: VERSION },
    target: { url: options.url, api: options.api, builtIn: target.builtIn },
    seed: options.seed,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    interrupted: signal?.aborted ?? false,
    limits: sources,
    summary: {
      checks: checks.length,
      cases: judged.length,
      requests: state.requests,
      violations: violationCount,
      warnings: findings.length - violationCount,
      known: 0,
      skippedCases: skipped.length,
    },
    checks,
    findings,
    skipped,
    timings,
    coverage: coverageOf(cases),
  };
}

const LOAD_ERROR_TYPES = new Set(['overloaded']);

function selectChecks<T extends { id: string }>(checks: readonly T[], options: RunOptions): T[] {
  return checks.filter(
    (c) => (options.checks.length === 0 || options.checks.includes(c.id)) && !options.excludeChecks.includes(c.id),
  );
}

function routeUrl(options: RunOptions, route: RouteName | 'GET /info'): string {
  if (options.api === 'hf') return options.url;
  const base = options.url.replace(/\/+$/, '');
  switch (route) {
    case 'POST /generate':
      return `${base}/generate`;
    case 'POST /generate_stream':
      return `${base}/generate_stream`;
    case 'GET /info':
      return `${base}/info`;
    case 'POST /':
      return `${base}/`;
  }
}

function unreachable(url: string, result: TransportResult): string {
  return `cannot reach ${url}: ${result.failure?.message ?? 'no connection'}`;
}

function readInfo(text: string): Partial<KnownServerLimits> {
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    return {};
  }
  if (info === null || typeof info !== 'object') return {};
  const o = info as Record<string, unknown>;
  const out: Partial<KnownServerLimits> = {};
  const int = (k: string): number | undefined => (typeof o[k] === 'number' && Number.isInteger(o[k]) ? (o[k] as number) : undefined);
  const pairs: [keyof KnownServerLimits, string][] = [
    ['maxBestOf', 'max_best_of'],
    ['maxStopSequences', 'max_stop_sequences'],
    ['maxInputTokens', 'max_input_tokens'],
    ['maxTotalTokens', 'max_total_tokens'],
  ];
  for (const [name, key] of pairs) {
    const v = int(key) ?? (name === 'maxInputTokens' ? int('max_input_length') : undefined);
    if (v !== undefined) (out as Record<string, number>)[name] = v;
  }
  return out;
}

function learnFrom(j: Judged): ReturnType<typeof learnLimit> {
  const message = j.view?.error?.error ?? j.view?.streamError?.error;
  if (message === undefined || j.view?.status === undefined) return undefined;
  return learnLimit(message);
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
  options: RunOptions,
  extra: { c?: Case; shrunk?: ReportFinding['shrunk']; scenario?: boolean },
): ReportFinding {
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
  if (auth === 'default' && options.token !== undefined) headers['authorization'] = 'Bearer $HF_TOKEN';
  out.request = {
    method: sent.exchange ? 'POST' : 'GET',
    url: sent.url,
    headers,
    ...(sent.requestText !== undefined ? { body: bounded(sent.requestText) } : {}),
  };
  const r = sent.result;
  out.response = {
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.stream ? { excerpt: bounded(r.stream.raw) } : r.bodyText !== undefined ? { excerpt: bounded(r.bodyText) } : {}),
    ...(r.failure ? { failure: `${r.failure.kind}: ${r.failure.message}` } : {}),
  };
  if (!extra.scenario) {
    const { 'user-agent': _ua, accept: _accept, ...shown } = sent.requestHeaders;
    out.reproduce = curlCommand({
      method: out.request.method,
      url: sent.url,
      headers: shown,
      withToken: auth === 'default' && options.token !== undefined,
      ...(auth === 'wrong' ? { wrongToken: WRONG_TOKEN } : {}),
      ...(sent.requestText !== undefined ? { body: sent.requestText } : {}),
      stream: r.stream !== undefined,
    });
  }
  return out;
}

function bounded(text: string): string {
  return text.length > EXCERPT_BYTES ? `${text.slice(0, EXCERPT_BYTES)}… (${text.length} characters)` : text;
}

function coverageOf(cases: readonly Case[]): TgcReport['coverage'] {
  const out: TgcReport['coverage'] = {};
  for (const c of cases) {
    const body = c.body;
    if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) continue;
    const params = body['parameters'];
    if (params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) continue;
    for (const k of Object.keys(params)) {
      const entry = (out[k] ??= { sent: 0, boundaries: 0 });
      entry.sent++;
      if (c.expectation.purpose === 'boundary' && c.expectation.label?.startsWith(`${k} =`)) entry.boundaries++;
    }
  }
  return out;
}

/**
 * Shrinks a failing request: drops parameters one at a time, then halves max_new_tokens and
 * shortens inputs, keeping each step that still shows the same violation. Delta debugging over
 * the request's own structure, rather than fast-check's shrinker, because the failing value was
 * drawn outside fast-check's runner (cases run concurrently) and each step costs a request.
 */
async function shrinkRequest(
  body: ExactJson | undefined,
  reproduces: (body: ExactJson) => Promise<Sent | undefined>,
  budget: number,
): Promise<(NonNullable<ReportFinding['shrunk']> & { sent: Sent }) | undefined> {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = body['parameters'];
  if (params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) return undefined;
  let current: Record<string, ExactJson> = { ...params };
  let inputs = body['inputs'];
  const from = Object.keys(current).length;
  let requests = 0;
  let last: Sent | undefined;
  const attempt = async (p: Record<string, ExactJson>, i: ExactJson | undefined): Promise<boolean> => {
    if (requests >= budget) return false;
    requests++;
    const candidate: Record<string, ExactJson> = { ...body, parameters: p };
    if (i !== undefined) candidate['inputs'] = i;
    const s = await reproduces(candidate);
    if (s) last = s;
    return s !== undefined;
  };
  for (const key of Object.keys(current)) {
    if (key === 'max_new_tokens') continue; // the server default may be thousands of tokens
    const { [key]: _dropped, ...without } = current;
    if (await attempt(without, inputs)) current = without;
  }
  const mnt = current['max_new_tokens'];
  if (typeof mnt === 'number' && mnt > 1) {
    const halved = { ...current, max_new_tokens: Math.max(1, Math.floor(mnt / 2)) };
    if (await attempt(halved, inputs)) current = halved;
  }
  if (typeof inputs === 'string' && [...inputs].length > 1) {
    const shorter = [...inputs].slice(0, Math.ceil([...inputs].length / 2)).join('');
    if (await attempt(current, shorter)) inputs = shorter;
  }
  if (!last) return undefined;
  return { from, to: Object.keys(current).length, requests, sent: last };
}

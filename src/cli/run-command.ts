/**
 * `tgc run [--url URL]`: the conformance run. Without --url it starts the reference server on
 * 127.0.0.1 and runs against it over real HTTP.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { formatExchangeLine } from '../engine/exchange-lines.js';
import { DEFAULT_LIMITS, type TransportLimits } from '../transport/index.js';
import { API_NAMES, apiByName, type ApiDriver } from '../apis/index.js';
import type { ApiName, BaseExchangeView } from '../core/exchange.js';
import { combineReports } from '../report/combine.js';
import { RUN_DEFAULTS, type Api, type KnownServerLimits, type RunOptions, type ShardSpec } from '../engine/options.js';
import { runConformance, TargetUnreachableError, type RunEvent } from '../engine/run.js';
import type { ReferenceServer } from '../reference/index.js';
import { applyBaseline, baselineKeys } from '../report/baseline.js';
import { appendGithubSummary } from '../report/github-summary.js';
import { BUILTIN_REPORTERS, isBuiltinReporter, reportFileNames, reporters, type BuiltinReporter } from '../report/index.js';
import { failingViolations, type TgcReport } from '../report/report.js';
import { createScrubber } from '../report/scrub.js';
import { applySuppressions, parseSuppressions, type Suppression } from '../report/suppressions.js';
import { EXIT, TgcInputError } from './errors.js';
import { makeDirectory } from './make-directory.js';
import type { CliIo } from './io.js';


/** How much recorded text waits in memory before it is appended to the --record file. */
const RECORD_FLUSH_CHARS = 4 * 1024 * 1024;

export interface RawRunOptions {
  url?: string;
  api: string;
  model?: string;
  token?: string;
  authRequired?: boolean;
  header: string[];
  seed?: string;
  maxExamples?: string;
  checks?: string;
  excludeChecks?: string;
  concurrency?: string;
  rate?: string;
  maxRequests?: string;
  timeoutMs?: string;
  connectTimeoutMs?: string;
  streamIdleMs?: string;
  streamTimeoutMs?: string;
  maxBodyBytes?: string;
  maxEvents?: string;
  maxEventBytes?: string;
  maxBestOf?: string;
  maxStopSequences?: string;
  maxTopNTokens?: string;
  maxInputTokens?: string;
  maxTotalTokens?: string;
  grammar?: boolean;
  reportDir: string;
  format?: string;
  baseline?: string;
  suppress?: string;
  record?: string;
  shard?: string;
}

export async function runCommand(raw: RawRunOptions, io: CliIo, knownCheckIds: readonly string[]): Promise<number> {
  // The API's own variables (OPENAI_API_KEY, then HF_TOKEN, on the OpenAI-compatible routes).
  const tokenEnv = [...new Set(apiNames(raw.api).flatMap((name) => apiByName(name)?.driver?.tokenEnv ?? ['HF_TOKEN']))];
  const token = raw.token ?? tokenEnv.map((name) => io.env[name]).find((v) => v !== undefined && v !== '');
  const scrub = createScrubber([token]);
  const out = (line: string): void => io.stdout(scrub(line));
  const formats = parseFormats(raw.format);
  const options = parseRunOptions(raw, token, knownCheckIds);
  const surfaces = surfacesOf(raw.api);
  const reportDir = path.resolve(io.cwd, raw.reportDir);
  const baseline = raw.baseline !== undefined ? await readBaseline(raw.baseline, io.cwd) : undefined;
  const suppressions = raw.suppress !== undefined ? await readSuppressions(raw.suppress, io.cwd, knownCheckIds) : undefined;
  await ensureWritableDir(reportDir, raw.reportDir);
  const recordFile = raw.record !== undefined ? path.resolve(io.cwd, raw.record) : undefined;
  if (recordFile) await writeFile(recordFile, '').catch((e: NodeJS.ErrnoException) => {
    throw new TgcInputError(`cannot write ${raw.record}: ${e.code ?? e.message}`);
  });

  let server: ReferenceServer | undefined;
  if (options.url === '') {
    // The built-in server is tgc's own process: no need to be gentle with it.
    if (raw.rate === undefined) options.rate = 0;
    if (raw.concurrency === undefined) options.concurrency = 8;
    const builtIn = surfaces[0]?.builtIn;
    if (!builtIn) throw new TgcInputError(`--api ${options.api}: the built-in reference server does not serve it`);
    // Loaded only for the built-in target: a run against --url never needs the reference server.
    const { startReferenceServer } = await import('../reference/index.js');
    server = await startReferenceServer({ profile: builtIn.profile, host: '127.0.0.1', port: 0 });
    options.url = surfaces.length > 1 ? server.url : builtIn.url(server.url);
    out(`tgc: no --url given: testing the built-in reference server at ${options.url}\n`);
  }

  const controller = new AbortController();
  const stop: { signal?: 'SIGINT' | 'SIGTERM' } = {};
  void io.interrupted?.then((signal) => {
    if (signal) stop.signal = signal;
    controller.abort();
  });
  const progress = createProgress(io, out);
  const records: string[] = [];
  let recordBytes = 0;
  let flushing = Promise.resolve();
  const onEvent = (e: RunEvent): void => {
    if (e.type === 'exchange' && recordFile) {
      const line = scrub(formatExchangeLine(e.exchange));
      records.push(line);
      recordBytes += line.length;
      // Flushed by count or size: a server that floods must not fill tgc's memory with lines.
      if (records.length >= 50 || recordBytes >= RECORD_FLUSH_CHARS) {
        const chunk = `${records.splice(0).join('\n')}\n`;
        recordBytes = 0;
        flushing = flushing.then(() => appendFile(recordFile, chunk));
      }
      return;
    }
    progress.onEvent(e);
  };

  let report: TgcReport;
  try {
    // Several surfaces of one server (--api tgi,openai): one run each, in order, one report.
    const reports: TgcReport[] = [];
    for (const surface of surfaces) {
      if (controller.signal.aborted) break;
      const url = surfaces.length > 1 ? surface.builtIn.url(options.url) : options.url;
      reports.push(await runConformance({ ...options, api: surface.name, url }, { onEvent }, controller.signal, { builtIn: server !== undefined }));
    }
    report = combineReports(reports);
    if (surfaces.length > 1) report.target.url = options.url;
  } catch (e) {
    progress.stop();
    if (e instanceof TargetUnreachableError) {
      io.stderr(`tgc: ${scrub(e.message)}\n`);
      return EXIT.cannotTest;
    }
    throw e;
  } finally {
    await server?.close();
  }
  progress.stop();
  if (recordFile) {
    if (records.length > 0) flushing = flushing.then(() => appendFile(recordFile, `${records.join('\n')}\n`));
    await flushing;
  }

  await publishReport(report, { formats, reportDir, baseline, suppressions, scrub, out, io });
  if (report.interrupted) return stop.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  return verdictOf(report);
}

/** Where and how a finished report is written: `tgc run` and `tgc merge` alike. */
export interface ReportOutput {
  formats: readonly BuiltinReporter[];
  reportDir: string;
  baseline: Set<string> | undefined;
  suppressions: Suppression[] | undefined;
  scrub: (text: string) => string;
  out: (line: string) => void;
  io: CliIo;
}

/** Applies suppressions and the baseline, writes every format, the job summary and the summary lines. */
export async function publishReport(report: TgcReport, o: ReportOutput): Promise<void> {
  // Suppressions first: a suppressed violation is neither new nor known.
  const unused = o.suppressions ? applySuppressions(report, o.suppressions).unused : [];
  const baselineOutcome = o.baseline ? applyBaseline(report, o.baseline) : undefined;
  for (const f of o.formats) await writeFile(path.join(o.reportDir, reportFileNames[f]), o.scrub(reporters[f](report)));
  await appendGithubSummary(o.scrub(reporters.md(report)), { env: o.io.env, append: (file, text) => appendFile(file, text) });
  printSummary(report, o.out, baselineOutcome?.fixed ?? []);
  for (const u of unused) o.out(`tgc: suppression never used: ${JSON.stringify(u)}\n`);
  o.out(`tgc: reports in ${path.relative(o.io.cwd, o.reportDir) || '.'}/ (${o.formats.map((f) => reportFileNames[f]).join(', ')})\n`);
}

/** The exit code a finished (not interrupted) report calls for: 2 if a check errored, 1 on a failing violation, else 0. */
export function verdictOf(report: TgcReport): number {
  if (report.checks.some((c) => c.status === 'error')) return EXIT.cannotTest;
  return failingViolations(report) > 0 ? EXIT.violations : EXIT.ok;
}

export function parseFormats(text: string | undefined): BuiltinReporter[] {
  if (text === undefined) return [...BUILTIN_REPORTERS];
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) {
    if (!isBuiltinReporter(f)) throw new TgcInputError(`--format: unknown format "${f}" (choose from ${BUILTIN_REPORTERS.join(', ')})`);
  }
  if (list.length === 0) throw new TgcInputError('--format: no format given');
  return [...new Set(list)] as BuiltinReporter[];
}

export async function readSuppressions(file: string, cwd: string, knownCheckIds: readonly string[]): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new TgcInputError(`cannot read suppressions ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return parseSuppressions(text, knownCheckIds);
  } catch (e) {
    throw new TgcInputError(`suppressions ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function int(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new TgcInputError(`${flag} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || !Number.isSafeInteger(n)) throw new TgcInputError(`${flag} must be at least ${min}, got ${value}`);
  return n;
}

export function parseRunOptions(raw: RawRunOptions, token: string | undefined, knownCheckIds: readonly string[]): RunOptions {
  let url = '';
  if (raw.url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(raw.url);
    } catch {
      throw new TgcInputError(`--url: not a URL: "${raw.url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TgcInputError(`--url: only http and https URLs, got "${parsed.protocol}"`);
    }
    url = parsed.toString();
  }
  const surfaces = surfacesOf(raw.api);
  const [api] = surfaces;
  if (url !== '' && api) {
    try {
      // One surface: its own URL (the base ending in /v1 for openai); several: the server's base.
      url = surfaces.length === 1 ? api.driver.normaliseUrl(url) : url.replace(/\/+$/, '');
    } catch (e) {
      throw new TgcInputError(`--url: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const h of raw.header) {
    const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(h);
    if (!m?.[1]) throw new TgcInputError(`--header must look like 'Name: value', got "${h}"`);
    headers[m[1].toLowerCase()] = m[2] ?? '';
  }
  const ids = (list: string | undefined, flag: string): string[] => {
    const out = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const id of out) if (!knownCheckIds.includes(id)) throw new TgcInputError(`${flag}: unknown check "${id}" (see tgc checks)`);
    return out;
  };
  const limits: TransportLimits = {
    connectTimeoutMs: int(raw.connectTimeoutMs, '--connect-timeout-ms', DEFAULT_LIMITS.connectTimeoutMs),
    timeoutMs: int(raw.timeoutMs, '--timeout-ms', DEFAULT_LIMITS.timeoutMs),
    streamIdleMs: int(raw.streamIdleMs, '--stream-idle-ms', DEFAULT_LIMITS.streamIdleMs),
    streamTotalMs: int(raw.streamTimeoutMs, '--stream-timeout-ms', DEFAULT_LIMITS.streamTotalMs),
    maxBodyBytes: int(raw.maxBodyBytes, '--max-body-bytes', DEFAULT_LIMITS.maxBodyBytes),
    maxEvents: int(raw.maxEvents, '--max-events', DEFAULT_LIMITS.maxEvents),
    maxEventBytes: int(raw.maxEventBytes, '--max-event-bytes', DEFAULT_LIMITS.maxEventBytes),
  };
  const serverLimits: Partial<KnownServerLimits> = {};
  const limit = (v: string | undefined, flag: string, key: keyof KnownServerLimits, min: number): void => {
    if (v !== undefined) (serverLimits as Record<string, number>)[key] = int(v, flag, 0, min);
  };
  limit(raw.maxBestOf, '--max-best-of', 'maxBestOf', 1);
  limit(raw.maxStopSequences, '--max-stop-sequences', 'maxStopSequences', 0);
  limit(raw.maxTopNTokens, '--max-top-n-tokens', 'maxTopNTokens', 0);
  limit(raw.maxInputTokens, '--max-input-tokens', 'maxInputTokens', 1);
  limit(raw.maxTotalTokens, '--max-total-tokens', 'maxTotalTokens', 2);
  if (raw.grammar === false) serverLimits.grammarSupported = false;
  const shard = raw.shard !== undefined ? parseShard(raw.shard, raw.seed) : undefined;
  return {
    url,
    api: (api?.name ?? raw.api) as Api,
    ...(raw.model !== undefined ? { model: raw.model } : {}),
    ...(token !== undefined && token !== '' ? { token } : {}),
    authRequired: raw.authRequired === true,
    headers,
    ...(raw.maxEvents !== undefined ? { fixedMaxEvents: true } : {}),
    ...(raw.maxBodyBytes !== undefined ? { fixedMaxBodyBytes: true } : {}),
    seed: raw.seed !== undefined ? int(raw.seed, '--seed', 0, 0) : Math.floor(Math.random() * 2 ** 31),
    maxExamples: int(raw.maxExamples, '--max-examples', RUN_DEFAULTS.maxExamples),
    checks: ids(raw.checks, '--checks'),
    excludeChecks: ids(raw.excludeChecks, '--exclude-checks'),
    concurrency: int(raw.concurrency, '--concurrency', RUN_DEFAULTS.concurrency),
    rate: int(raw.rate, '--rate', RUN_DEFAULTS.rate, 0),
    maxRequests: int(raw.maxRequests, '--max-requests', RUN_DEFAULTS.maxRequests),
    limits,
    serverLimits,
    ...(shard ? { shard } : {}),
  };
}

/** `--shard I/N`: 1 ≤ I ≤ N; every shard must plan the same cases, so the seed is required. */
function parseShard(text: string, seed: string | undefined): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new TgcInputError(`--shard must be I/N with 1 <= I <= N (e.g. --shard 2/4), got "${text}"`);
  }
  if (seed === undefined) throw new TgcInputError('--shard needs --seed: every shard must plan the same cases from the same seed');
  return { index, count };
}

export async function readBaseline(file: string, cwd: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new TgcInputError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return baselineKeys(text);
  } catch (e) {
    throw new TgcInputError(`baseline ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function ensureWritableDir(dir: string, shown: string): Promise<void> {
  try {
    await makeDirectory(dir);
    const probe = path.join(dir, '.tgc-write-probe');
    await writeFile(probe, '');
    const { rm } = await import('node:fs/promises');
    await rm(probe);
  } catch (e) {
    throw new TgcInputError(`cannot write to the report directory ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function printSummary(report: TgcReport, out: (line: string) => void, fixed: readonly string[]): void {
  const width = Math.max(...report.checks.map((c) => c.id.length), 5);
  out('\n');
  out(`${'check'.padEnd(width)}  status  cases  violations  warnings\n`);
  for (const c of report.checks) {
    const reason = c.status === 'skip' || c.status === 'error' ? `  (${c.reason ?? ''})` : '';
    out(
      `${c.id.padEnd(width)}  ${c.status.padEnd(6)}  ${String(c.cases).padStart(5)}  ${String(c.violations).padStart(10)}  ${String(c.warnings).padStart(8)}${reason}\n`,
    );
  }
  const shown = new Set<string>();
  const violations = report.findings.filter((f) => f.severity === 'violation');
  if (violations.length > 0) out('\nviolations (one per kind):\n');
  for (const f of violations) {
    if (shown.has(f.dedupeKey)) continue;
    shown.add(f.dedupeKey);
    const mark = f.suppressed !== undefined ? `[suppressed: ${f.suppressed}] ` : f.known ? '[known] ' : '';
    out(`  ${mark}${f.check} ${f.route ?? ''}: ${f.message}\n`);
    if (f.case) out(`    case: ${f.case.label}\n`);
    if (f.reproduce) out(`    reproduce: ${f.reproduce}\n`);
  }
  for (const k of fixed) out(`  fixed since the baseline: ${k}\n`);
  const s = report.summary;
  out(
    `\ntgc: ${report.interrupted ? 'INTERRUPTED: ' : ''}${report.shard ? `shard ${report.shard.index}/${report.shard.count}: ` : ''}${s.checks} checks, ${s.cases} cases, ${s.requests} requests: ` +
      `${s.violations} violations${s.known > 0 ? ` (${s.known} known)` : ''}, ${s.warnings} warnings` +
      `${s.skippedCases > 0 ? `, ${s.skippedCases} cases skipped` : ''} (seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s)\n`,
  );
}

interface Progress {
  onEvent(e: RunEvent): void;
  stop(): void;
}

/** A progress bar on a terminal; plain lines otherwise (CI logs). */
function createProgress(io: CliIo, out: (line: string) => void): Progress {
  if (io.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'tgc {bar} {value}/{total} cases | {violations} violations', hideCursor: true, stream: io.progressStream },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onEvent(e) {
        if (e.type === 'start') {
          out(`tgc: ${e.cases} cases against ${e.url} (api ${e.api}, seed ${e.seed})\n`);
          bar.start(e.cases, 0, { violations: 0 });
          started = true;
        } else if (e.type === 'case') bar.update(e.done, { violations: e.violations });
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = -1;
  return {
    onEvent(e) {
      if (e.type === 'start') out(`tgc: ${e.cases} cases against ${e.url} (api ${e.api}, seed ${e.seed})\n`);
      if (e.type === 'phase' && e.name !== 'cases' && e.name !== 'discover') out(`tgc: ${e.name}\n`);
      if (e.type === 'case') {
        const tenth = Math.floor((e.done / e.total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          out(`tgc: ${e.done}/${e.total} cases, ${e.violations} violations\n`);
        }
      }
    },
    stop() {},
  };
}

function apiNames(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

interface Surface {
  name: ApiName;
  driver: ApiDriver<BaseExchangeView>;
  builtIn: ApiDriver<BaseExchangeView>['builtIn'];
}

/**
 * The surfaces `--api` names (`tgi,openai`: both of one TGI server). Several must be served by
 * one server: the same reference profile, each at its path under the server's base URL.
 */
function surfacesOf(list: string): Surface[] {
  const names = apiNames(list);
  if (names.length === 0) throw new TgcInputError(`--api must name one of ${API_NAMES.join(', ')}`);
  const out: Surface[] = [];
  for (const name of names) {
    const api = apiByName(name);
    if (!api) throw new TgcInputError(`--api must be one of ${API_NAMES.join(', ')} (or several, comma-separated), got "${name}"`);
    if (!api.driver) throw new TgcInputError(`--api ${name}: tgc run does not drive ${api.title}; tgc validate judges its recordings`);
    if (out.some((s) => s.name === api.name)) throw new TgcInputError(`--api names ${name} twice`);
    out.push({ name: api.name, driver: api.driver, builtIn: api.driver.builtIn });
  }
  const profiles = new Set(out.map((s) => s.builtIn.profile));
  if (out.length > 1 && profiles.size > 1) {
    throw new TgcInputError(`--api ${list}: these surfaces are not served by one server (TGI serves tgi and openai together)`);
  }
  return out;
}

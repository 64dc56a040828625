/**
 * `tgc proxy --target URL`: forwards live traffic to the target unchanged and judges every
 * exchange (src/proxy/). One line per finding as it happens; on the first SIGINT or SIGTERM it
 * stops accepting, lets the exchanges in flight finish (bounded by --drain-ms), writes the
 * reports as `tgc run` does and exits by the verdict (0 / 1 / 2). A second signal exits at once
 * (130 / 143) after writing what it has.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { formatExchangeLine } from '../engine/exchange-lines.js';
import { startProxy, type ProxyServer } from '../proxy/index.js';
import { failingViolations, isClientFinding } from '../proxy/judge.js';
import type { NativeFlavour } from '../proxy/routes.js';
import { applyBaseline } from '../report/baseline.js';
import { appendGithubSummary } from '../report/github-summary.js';
import { reportFileNames, reporters } from '../report/index.js';
import type { TgcReport } from '../report/report.js';
import { applySuppressions, type Suppression } from '../report/suppressions.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { ensureWritableDir, parseFormats, readBaseline, readSuppressions } from './run-command.js';

export interface RawProxyOptions {
  target: string;
  port: string;
  host: string;
  api: string;
  reportDir: string;
  format?: string;
  baseline?: string;
  suppress?: string;
  record?: string;
  failOnClient?: boolean;
  drainMs: string;
  connectTimeoutMs: string;
  firstByteTimeoutMs: string;
  maxBodyBytes: string;
}

export interface ProxyHooks {
  /**
   * Calls `handler` synchronously on a second SIGINT or SIGTERM, before the process exits at
   * once (src/cli/main.ts); returns the function that stops watching. By default the process's
   * own signals.
   */
  watchSecondSignal?: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
}

const FLAVOURS: readonly NativeFlavour[] = ['tgi', 'hf', 'openai'];
/** The check the proxy adds for the client's side, beside every check of every API. */
const CLIENT_CHECK_ID = 'client-request';

export async function proxyCommand(raw: RawProxyOptions, io: CliIo, knownCheckIds: readonly string[], hooks: ProxyHooks = {}): Promise<number> {
  const target = parseTarget(raw.target);
  if (!(FLAVOURS as readonly string[]).includes(raw.api)) throw new TgcInputError(`--api must be one of ${FLAVOURS.join(', ')}, got "${raw.api}"`);
  const api = raw.api as NativeFlavour;
  const port = int(raw.port, '--port', 0);
  if (port > 65535) throw new TgcInputError(`--port must be at most 65535, got ${raw.port}`);
  const drainMs = int(raw.drainMs, '--drain-ms', 0);
  const limits = { connectTimeoutMs: int(raw.connectTimeoutMs, '--connect-timeout-ms', 1), firstByteTimeoutMs: int(raw.firstByteTimeoutMs, '--first-byte-timeout-ms', 1) };
  const maxBodyBytes = int(raw.maxBodyBytes, '--max-body-bytes', 1);
  const formats = parseFormats(raw.format);
  const reportDir = path.resolve(io.cwd, raw.reportDir);
  const ids = [...knownCheckIds, CLIENT_CHECK_ID];
  const baseline = raw.baseline !== undefined ? await readBaseline(raw.baseline, io.cwd) : undefined;
  const suppressions: Suppression[] | undefined =
    raw.suppress !== undefined ? await readSuppressions(raw.suppress, io.cwd, ids) : undefined;
  await ensureWritableDir(reportDir, raw.reportDir);
  const secretsRef: { scrub: (text: string) => string } = { scrub: (t) => t };
  const record = raw.record !== undefined ? openRecord(path.resolve(io.cwd, raw.record), raw.record, (text) => secretsRef.scrub(text)) : undefined;

  let proxy: ProxyServer;
  let recordStopped = false;
  const collector = youngGenerationCollector();
  const out = (line: string): void => io.stdout(secretsRef.scrub(line));
  try {
    proxy = await startProxy({
      target: target.toString(),
      host: raw.host,
      port,
      api,
      limits,
      maxBodyBytes,
      onFinding: (e) => {
        const at = e.finding.event !== undefined ? ` event ${e.finding.event}` : '';
        const pointer = e.finding.pointer !== undefined && e.finding.pointer !== '' ? ` ${e.finding.pointer}` : '';
        out(`${e.label}: ${e.client ? 'client ' : ''}${e.finding.severity} ${e.finding.check}${at}${pointer}: ${e.finding.message}\n`);
      },
      onNotJudged: (label, reason) => out(`${label}: not judged: ${reason}\n`),
      ...(record
        ? {
            onExchange: (exchange) => {
              // Too many credentials to be sure of scrubbing them: no more bodies written.
              if (!proxy.secrets.overflowed) record.add(formatExchangeLine(exchange));
              else if (!recordStopped) {
                recordStopped = true;
                io.stderr(`tgc proxy: more than 1000 distinct credentials seen: --record stops here (bodies could hold one not kept)\n`);
              }
            },
          }
        : {}),
      ...(collector ? { collect: collector } : {}),
    });
  } catch (e) {
    record?.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new TgcInputError(`cannot listen on ${raw.host}:${port}: ${code ?? (e instanceof Error ? e.message : String(e))}`);
  }
  const { secrets } = proxy;
  secretsRef.scrub = (text) => secrets.scrub(text);
  out(`listening on ${proxy.url}\n`);
  out(
    `tgc proxy: forwarding to ${target.href.replace(/\/+$/, '')}; judging /v1/chat/completions, /v1/completions, /v1/models as openai` +
      `${api === 'openai' ? '' : ` and other paths as ${api}`}; Ctrl-C (or SIGTERM) writes the reports\n`,
  );

  const signal = await (io.interrupted ?? new Promise<void>(() => undefined));
  const started = Date.now();
  const finish = (report: TgcReport): void => {
    // Suppressions first: a suppressed violation is neither new nor known.
    if (suppressions) applySuppressions(report, suppressions);
    if (baseline) applyBaseline(report, baseline);
  };
  // A second signal: write what there is, at once, synchronously; main.ts then exits 130 / 143.
  const unwatch = (hooks.watchSecondSignal ?? watchProcessSignals)(() => {
    try {
      const report = proxy.report(true);
      finish(report);
      for (const f of formats) writeFileSync(path.join(reportDir, reportFileNames[f]), secrets.scrub(reporters[f](report)));
      record?.close();
      io.stderr(`tgc proxy: ${signal === 'SIGTERM' ? 'terminated' : 'interrupted'} again: reports written without waiting for ${proxy.inFlight()} exchanges in flight\n`);
    } catch {
      // Leaving at once matters more than the report.
    }
  });
  try {
    const inFlight = proxy.inFlight();
    out(`tgc proxy: ${signal ?? 'stop'}: not accepting connections; ${inFlight} exchange${inFlight === 1 ? '' : 's'} in flight (waiting up to ${drainMs} ms)\n`);
    const { cut } = await proxy.stop(drainMs);
    if (cut > 0) out(`tgc proxy: cut ${cut} exchange${cut === 1 ? '' : 's'} still in flight after ${Date.now() - started} ms (not judged)\n`);
    record?.close();
    const report = proxy.report(false);
    finish(report);
    for (const f of formats) await writeFile(path.join(reportDir, reportFileNames[f]), secrets.scrub(reporters[f](report)));
    await appendGithubSummary(secrets.scrub(reporters.md(report)), { env: io.env, append: (file, text) => appendFile(file, text) });
    printSummary(report, proxy, out, raw.failOnClient === true);
    out(`tgc: reports in ${path.relative(io.cwd, reportDir) || '.'}/ (${formats.map((f) => reportFileNames[f]).join(', ')})\n`);
    if (report.checks.some((c) => c.status === 'error')) return EXIT.cannotTest;
    if (proxy.tally.answered === 0 && proxy.tally.unreachable > 0) {
      io.stderr(`tgc: could not test: the target ${target.href.replace(/\/+$/, '')} accepted no connection (${proxy.tally.unreachable} refused or timed out)\n`);
      return EXIT.cannotTest;
    }
    return failingViolations(report, raw.failOnClient === true) > 0 ? EXIT.violations : EXIT.ok;
  } finally {
    unwatch();
  }
}

/**
 * A collection of V8's young generation, for the proxy to run every few megabytes passed (see
 * `ProxyOptions.collect`): `gc` is exposed for this process at run time, as `--expose-gc` would.
 * Undefined where the engine refuses.
 */
function youngGenerationCollector(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return undefined;
    return () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
  } catch {
    return undefined;
  }
}

function watchProcessSignals(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void {
  const onInt = (): void => handler('SIGINT');
  const onTerm = (): void => handler('SIGTERM');
  // Before main.ts's own listeners, which exit at once.
  process.prependOnceListener('SIGINT', onInt);
  process.prependOnceListener('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

interface RecordFile {
  add(line: string): void;
  /** Writes what is pending and closes the file. */
  close(): void;
}

/**
 * The `--record` file: lines are kept briefly and written in batches, synchronously (small
 * writes to a local file), so that a second signal can write the rest at once and in order.
 * Each batch is scrubbed as it is written, of every credential seen by then.
 */
function openRecord(file: string, shown: string, scrub: (text: string) => string): RecordFile {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new TgcInputError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || closed) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    try {
      writeSync(fd, scrub(text));
    } catch {
      // A full disk loses record lines, never the proxy.
    }
  };
  return {
    add(line) {
      if (closed) return;
      pending.push(line);
      if (pending.length >= 64) flush();
      else timer ??= setTimeout(flush, 200).unref();
    },
    close() {
      if (closed) return;
      flush();
      closed = true;
      closeSync(fd);
    },
  };
}

function parseTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TgcInputError(`--target: not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TgcInputError(`--target: only http and https URLs, got "${url.protocol}"`);
  if (url.search !== '' || url.hash !== '') throw new TgcInputError('--target: give the base URL, without a query or fragment');
  return url;
}

function int(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value.trim())) throw new TgcInputError(`${flag} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || !Number.isSafeInteger(n) || n > 2_147_483_647) throw new TgcInputError(`${flag} must be a whole number from ${min} to 2147483647, got ${value}`);
  return n;
}

function printSummary(report: TgcReport, proxy: ProxyServer, out: (line: string) => void, failOnClient: boolean): void {
  const t = proxy.tally;
  const shown = new Set<string>();
  const listed = report.findings.filter((f) => f.severity === 'violation');
  if (listed.length > 0) out('\nviolations (one per kind):\n');
  for (const f of listed) {
    if (shown.has(f.dedupeKey)) continue;
    shown.add(f.dedupeKey);
    const mark = f.suppressed !== undefined ? `[suppressed: ${f.suppressed}] ` : f.known ? '[known] ' : isClientFinding(f) ? '[client] ' : '';
    out(`  ${mark}${f.check} ${f.route ?? ''}: ${f.message}\n`);
    if (f.reproduce && !isClientFinding(f)) out(`    reproduce: ${f.reproduce}\n`);
  }
  for (const k of report.fixed ?? []) out(`  fixed since the baseline: ${k}\n`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  out(
    `\ntgc proxy: ${plural(t.exchanges, 'exchange')} (${t.judged} judged, ${t.notJudgedCount} not judged; APIs: ${report.target.apis?.join(', ') ?? report.target.api}): ` +
      `target: ${plural(t.violations, 'violation')}, ${plural(t.warnings, 'warning')}; ` +
      `clients: ${plural(t.clientViolations, 'violation')}, ${plural(t.clientWarnings, 'warning')}${failOnClient ? '' : ' (not failing: --fail-on-client)'}` +
      `${report.summary.known > 0 ? `; ${report.summary.known} known` : ''} (${(report.durationMs / 1000).toFixed(1)} s)\n`,
  );
}

/**
 * validation: bytes of real recordings → findings, over JSON.parse of the same lines; once over
 * all the recordings as they are (`validation.ratio`), and once per kind of exchange
 * (`validation.kinds.<kind>.ratio`, each a metric with goal ≤ 1.3):
 *
 * - `nativeJson`: a native JSON response: the TGI recordings unwrapped onto `POST /generate` (the
 *   one-element array's object as the body, the request without its `stream: false`, everything
 *   else as recorded);
 * - `tgiArray`: a TGI array: the native recordings on `POST /` as recorded (one-element arrays);
 * - `nativeStream`: a stream of 256 events on `POST /generate_stream`, built from the recordings'
 *   own tokens (255 token events and the final event with `generated_text` and `details`), 8
 *   streams from different offsets;
 * - `openaiChatStream`: the recorded OpenAI-compatible chat chunk streams;
 * - `openaiJson`: the recorded /v1 JSON responses (chat and completions, error bodies and the
 *   text/plain rejections included).
 *
 * Both sides start from the same Buffer and pay the same UTF-8 decoding and line splitting; the
 * baseline then JSON.parses every JSON text in the bytes once: each line, and, where the line
 * records a stream, each event's data (lines that start `data:`; before issue 17 the baseline
 * parsed the line only, leaving a stream one string: that figure is kept as `lineOnlyRatio`).
 * tgc parses each with `parseExchangeLine` (exact JSON,
 * u64-safe) and applies the decoder and checks of the API its route names (native or
 * OpenAI-compatible: request and response schemas, SSE decoding of the recorded stream, every
 * check), as `tgc validate exchanges` does. The contracts are compiled before the timing. Each
 * round runs both sides over all the bytes, interleaved in slices (the side that goes first
 * alternating); a round starts after a forced GC; a round's time is the sum of its slices; the
 * ratio is of the medians over rounds.
 *
 * Beside each ratio, the floor (bench/validation-floor.ts): tgc's parse and decoders with every
 * validator accepting and no check, measured the same way against its own baseline in a process
 * of its own (sharing this one's decoders with a second contract would make their call sites
 * polymorphic and slow tgc's side: a kind's ratio rose by up to 0.3 when the two ran here). What
 * a kind costs above its floor is the rules' own work (`rulesShare`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiForExchange, apis, applyChecks, parseExchangeLine, type ApiDefinition, type Decoder } from './tgc.js';
import { envInt, forceGc, log, median, MiB, ROOT, round, measure, runProcess, type Metric, type Sample } from './lib.js';

/** Issue 17 item 1: at most 1.3× JSON.parse, for each kind. */
export const VALIDATION_TARGET = 1.3;
const SLICES = 10;

export const VALIDATION_KINDS = {
  nativeJson: 'a native JSON response (POST /generate; the TGI recordings unwrapped)',
  tgiArray: 'a TGI array (POST /, as recorded)',
  nativeStream: 'a stream of 256 events (POST /generate_stream, from the recordings\' tokens)',
  openaiChatStream: 'an OpenAI-compatible chat chunk stream (recorded)',
  openaiJson: 'a /v1 JSON response (recorded; error bodies included)',
} as const;
export type ValidationKind = keyof typeof VALIDATION_KINDS;

export interface PairResult {
  ratio: number;
  cpuRatio: number;
  /** tgc ÷ JSON.parse of each line alone (the stream left a string): the figure before issue 17. */
  lineOnlyRatio: number;
  /**
   * The floor ÷ JSON.parse (bench/validation-floor.ts, its own process): tgc's parse and decoder
   * with every validator accepting and no check. Not a goal; absent when the floor failed.
   */
  floorRatio?: number;
  /** `ratio` − `floorRatio`: the rules' own work (schemas, request rules, checks), in units of the baseline. */
  rulesShare?: number;
  bytes: number;
  exchanges: number;
  copies: number;
  rounds: number;
  roundRatios: number[];
  medianMs: { baseline: number; tgc: number };
  medianCpuMs: { baseline: number; tgc: number };
  throughputMBps: { baseline: number; tgc: number };
  findingsPerPass: number;
  violationsPerPass: number;
}

export interface ValidationResult {
  ratio: number | null;
  skipped?: string;
  metrics: Metric[];
  [detail: string]: unknown;
}

export function fixturesDir(): string {
  return process.env['BENCH_FIXTURES'] ?? path.resolve(ROOT, '..', 'shared', 'fixtures');
}

/** An API's decoder, as `tgcPass` calls it. */
export type Judge = Decoder<Parameters<ApiDefinition['checks'][number]['run']>[0]>;
export type Judges = Map<ApiDefinition, Judge>;

function skippedMetrics(): Metric[] {
  return [
    { key: 'validation.ratio', label: 'validation.ratio (all recordings: tgc bytes→findings ÷ JSON.parse)', value: null, goal: VALIDATION_TARGET, better: 'lower' },
    ...Object.entries(VALIDATION_KINDS).map(([k, label]): Metric => ({ key: `validation.kinds.${k}.ratio`, label: `validation, ${label}`, value: null, goal: VALIDATION_TARGET, better: 'lower' })),
  ];
}

export async function benchValidation(): Promise<ValidationResult> {
  const dir = fixturesDir();
  if (!existsSync(dir)) {
    const reason = `${dir} is absent: the real recordings are needed (see ../shared/README.md)`;
    log(`validation: skipped: ${reason}`);
    return { ratio: null, skipped: reason, metrics: skippedMetrics() };
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) {
    const reason = `${dir} holds no .jsonl recordings`;
    log(`validation: skipped: ${reason}`);
    return { ratio: null, skipped: reason, metrics: skippedMetrics() };
  }
  const lines = recordedLines(dir, files);
  const rounds = envInt('BENCH_ROUNDS', 3);
  const allMB = envInt('BENCH_VALIDATION_MB', 100);
  const kindMB = envInt('BENCH_VALIDATION_KIND_MB', 20);

  // Every API's contract compiled before timing; each line is judged by the API its route names.
  const contract: Judges = new Map(await Promise.all(apis.map(async (a) => [a, await a.decoder()] as const)));

  // BENCH_VALIDATION_KINDS=all,openaiChatStream: only those (to profile one kind); the default is all of them.
  const only = process.env['BENCH_VALIDATION_KINDS']?.split(',').map((k) => k.trim()).filter(Boolean);
  const wanted = (k: string): boolean => only === undefined || only.length === 0 || only.includes(k);
  log(`validation: ${files.join(', ')}: ${lines.length} exchanges; all at ${allMB} MiB, each kind at ${kindMB} MiB, ${rounds} alternated rounds`);
  const tgc: Side = (bytes) => tgcPass(bytes, contract);
  const all = wanted('all') ? measurePair('all', lines, allMB, rounds, tgc) : undefined;
  const byKind = kindLines(lines);
  const kinds: Partial<Record<ValidationKind, PairResult & { lines: number }>> = {};
  for (const kind of Object.keys(VALIDATION_KINDS) as ValidationKind[]) {
    const ls = byKind[kind];
    if (ls.length === 0 || !wanted(kind)) continue;
    kinds[kind] = { lines: ls.length, ...measurePair(kind, ls, kindMB, rounds, tgc) };
  }

  // The floors, in a process of their own, on the same bytes and rounds.
  const floors = await measureFloors({ kinds: [...(all ? ['all'] : []), ...Object.keys(kinds)], allMB, kindMB, rounds });
  const withFloor = (name: string, r: PairResult): void => {
    const f = floors[name];
    if (f === undefined) return;
    r.floorRatio = f;
    r.rulesShare = round(r.ratio - f);
  };
  if (all) withFloor('all', all);
  for (const [k, r] of Object.entries(kinds)) withFloor(k, r);

  // A kind left out by BENCH_VALIDATION_KINDS has no metric; one without recordings has a null one (short).
  const metrics: Metric[] = [
    ...(wanted('all') ? [{ key: 'validation.ratio', label: 'validation.ratio (all recordings: tgc bytes→findings ÷ JSON.parse)', value: all?.ratio ?? null, goal: VALIDATION_TARGET, better: 'lower' } satisfies Metric] : []),
    ...(Object.entries(VALIDATION_KINDS) as [ValidationKind, string][]).filter(([k]) => wanted(k)).map(
      ([k, label]): Metric => ({ key: `validation.kinds.${k}.ratio`, label: `validation, ${label}`, value: kinds[k]?.ratio ?? null, goal: VALIDATION_TARGET, better: 'lower' }),
    ),
  ];
  return {
    ...(all ?? { ratio: null }),
    target: VALIDATION_TARGET,
    met: all !== undefined && all.ratio <= VALIDATION_TARGET,
    sources: files.map((f) => path.join(path.relative(ROOT, dir), f)),
    kinds,
    metrics,
    timed:
      'each side from the same Buffer, in interleaved slices: UTF-8 decode + split on "\\n" (both); baseline: JSON.parse per line and per stream event (data: lines); ' +
      'tgc: parseExchangeLine + the decoder and checks of the API the route names (as tgc validate exchanges), per line (contracts compiled before timing)',
  };
}

/** The non-empty lines of the recordings `files` in `dir`. */
export function recordedLines(dir: string, files: readonly string[]): string[] {
  return files.flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''));
}

export interface FloorArgs {
  /** `all` and the kinds, as measured by this process. */
  kinds: string[];
  allMB: number;
  kindMB: number;
  rounds: number;
}

/**
 * Runs bench/validation-floor-child.ts: each floor ratio by name (`all`, a kind), or none when it
 * failed (logged: the ratios stand without their floors).
 */
async function measureFloors(args: FloorArgs): Promise<Record<string, number>> {
  if (args.kinds.length === 0) return {};
  const r = await runProcess(['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench', 'validation-floor-child.ts'), JSON.stringify(args)]);
  for (const l of r.stderr.split('\n')) if (l.trim() !== '') process.stderr.write(`${l}\n`);
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, number>;
  } catch {
    log(`validation: the floor's process exited with ${String(r.code)} without its figures: the ratios stand without their floors`);
    return {};
  }
}

/** The recorded lines sorted by kind, with the derived native JSON responses and 256-event streams. */
export function kindLines(lines: readonly string[]): Record<ValidationKind, string[]> {
  const out: Record<ValidationKind, string[]> = { nativeJson: [], tgiArray: [], nativeStream: [], openaiChatStream: [], openaiJson: [] };
  const tokens: { id: number; text: string; logprob: number }[] = [];
  for (const line of lines) {
    const o = JSON.parse(line) as Record<string, unknown>;
    const route = typeof o['route'] === 'string' ? o['route'] : 'POST /';
    if (route.startsWith('POST /v1/')) {
      if (typeof o['stream'] === 'string') {
        if (route === 'POST /v1/chat/completions') out.openaiChatStream.push(line);
      } else out.openaiJson.push(line);
      continue;
    }
    const response = o['response'];
    if (!Array.isArray(response) || response.length !== 1) continue;
    out.tgiArray.push(line);
    // On /generate the body is the object itself, and `stream` is not a key of its request.
    const request = o['request'];
    const { stream: _stream, ...generate } = (request !== null && typeof request === 'object' ? request : {}) as Record<string, unknown>;
    out.nativeJson.push(JSON.stringify({ ...o, route: 'POST /generate', request: generate, response: response[0] }));
    const details = (response[0] as { details?: { tokens?: { id: number; text: string; logprob: number; special: boolean }[] } }).details;
    for (const t of details?.tokens ?? []) if (!t.special && typeof t.logprob === 'number') tokens.push({ id: t.id, text: t.text, logprob: t.logprob });
  }
  if (tokens.length >= 256) {
    for (let s = 0; s < 8; s++) out.nativeStream.push(streamLine(tokens, Math.floor((s * tokens.length) / 8)));
  }
  return out;
}

/** A 256-event TGI stream (`POST /generate_stream`, details asked) from the tokens at `offset`. */
function streamLine(tokens: readonly { id: number; text: string; logprob: number }[], offset: number): string {
  const n = 256;
  let text = '';
  let stream = '';
  for (let i = 1; i <= n; i++) {
    const t = tokens[(offset + i - 1) % tokens.length] as { id: number; text: string; logprob: number };
    text += t.text;
    const token = JSON.stringify({ id: t.id, text: t.text, logprob: t.logprob, special: false });
    stream +=
      i < n
        ? `data:{"index":${i},"token":${token},"generated_text":null,"details":null}\n\n`
        : `data:{"index":${i},"token":${token},"generated_text":${JSON.stringify(text)},"details":{"finish_reason":"length","generated_tokens":${n},"seed":null}}\n\n`;
  }
  return JSON.stringify({
    route: 'POST /generate_stream',
    request: { inputs: 'Write a long story.', parameters: { max_new_tokens: n, details: true } },
    status: 200,
    stream,
  });
}

/** What one side does with a slice of the bytes: tgc's pass, or the floor's (findings 0). */
export type Side = (bytes: Buffer) => { findings: number; violations: number; exchanges: number };

/** Both sides over `lines` replicated to `targetMB`, `rounds` alternated rounds: the baseline and `side`. */
export function measurePair(name: string, lines: readonly string[], targetMB: number, rounds: number, side: Side, sideLabel = 'tgc'): PairResult {
  const unit = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const copies = Math.ceil((targetMB * MiB) / unit.length);
  const bytes = Buffer.concat(Array.from({ length: copies }, () => unit));

  // Warm-up on a slice, so that both sides run optimised code from the first timed round.
  const warm = Buffer.concat(Array.from({ length: Math.max(1, Math.min(copies, Math.ceil((2 * MiB) / unit.length))) }, () => unit));
  baseline(warm);
  side(warm);

  // Each round covers all the bytes on both sides, in slices: each slice is timed on one side then
  // the other (the first side alternating), so that the machine's load, which changes over
  // seconds, weighs on both sides alike. A round's time is the sum over its slices.
  const slices = sliceBuffer(bytes, unit.length, copies, SLICES);
  const base: Sample[] = [];
  const tgc: Sample[] = [];
  const lineOnly: number[] = [];
  const roundRatios: number[] = [];
  let findings = { findings: 0, violations: 0, exchanges: 0 };
  let count = 0;
  for (let r = 0; r < rounds; r++) {
    const b: Sample = { wallMs: 0, cpuMs: 0 };
    const t: Sample = { wallMs: 0, cpuMs: 0 };
    let lineMs = 0;
    const total = { findings: 0, violations: 0, exchanges: 0 };
    count = 0;
    // One forced GC per round, none between slices: V8 shrinks the young generation after a
    // full GC, which would slow whichever side allocates more until it has grown back.
    forceGc();
    slices.forEach((slice, k) => {
      const runBase = (): void => {
        const x = measure(() => baseline(slice));
        count += x.value;
        add(b, x.sample);
      };
      const runTgc = (): void => {
        const x = measure(() => side(slice));
        total.findings += x.value.findings;
        total.violations += x.value.violations;
        total.exchanges += x.value.exchanges;
        add(t, x.sample);
      };
      if ((r + k) % 2 === 0) {
        runBase();
        runTgc();
      } else {
        runTgc();
        runBase();
      }
      lineMs += measure(() => lineBaseline(slice)).sample.wallMs;
    });
    findings = total;
    base.push(b);
    tgc.push(t);
    roundRatios.push(round(t.wallMs / b.wallMs));
    lineOnly.push(lineMs);
    log(`validation ${name}: round ${r + 1}/${rounds}: JSON.parse ${b.wallMs.toFixed(0)} ms, ${sideLabel} ${t.wallMs.toFixed(0)} ms, ratio ${(t.wallMs / b.wallMs).toFixed(2)} (CPU ${(t.cpuMs / b.cpuMs).toFixed(2)})`);
  }
  if (findings.exchanges !== count) throw new Error(`validation ${name}: ${sideLabel} saw ${findings.exchanges} exchanges, the baseline ${count} lines`);

  const baseWall = median(base.map((s) => s.wallMs));
  const tgcWall = median(tgc.map((s) => s.wallMs));
  const baseCpu = median(base.map((s) => s.cpuMs));
  const tgcCpu = median(tgc.map((s) => s.cpuMs));
  const mb = bytes.length / MiB;
  return {
    ratio: round(tgcWall / baseWall),
    cpuRatio: round(tgcCpu / baseCpu),
    lineOnlyRatio: round(tgcWall / median(lineOnly)),
    bytes: bytes.length,
    exchanges: count,
    copies,
    rounds,
    roundRatios,
    medianMs: { baseline: round(baseWall), tgc: round(tgcWall) },
    medianCpuMs: { baseline: round(baseCpu), tgc: round(tgcCpu) },
    throughputMBps: { baseline: round(mb / (baseWall / 1000)), tgc: round(mb / (tgcWall / 1000)) },
    findingsPerPass: findings.findings,
    violationsPerPass: findings.violations,
  };
}

function add(total: Sample, s: Sample): void {
  total.wallMs += s.wallMs;
  total.cpuMs += s.cpuMs;
}

/** About `count` slices of whole copies of the unit (so every slice ends at a line end). */
function sliceBuffer(bytes: Buffer, unitLength: number, copies: number, count: number): Buffer[] {
  const per = Math.max(1, Math.round(copies / count));
  const out: Buffer[] = [];
  for (let i = 0; i < copies; i += per) out.push(bytes.subarray(i * unitLength, Math.min(copies, i + per) * unitLength));
  return out;
}

/**
 * The baseline: JSON.parse of every JSON text in the bytes, once: each line, and where the line
 * records a stream, each event's data (found by the plainest split: lines that start `data:`,
 * `[DONE]` left out). Returns the number of lines.
 */
export function baseline(bytes: Buffer): number {
  const lines = bytes.toString('utf8').split('\n');
  let n = 0;
  for (const line of lines) {
    if (line === '') continue;
    const v = JSON.parse(line) as { stream?: unknown } | undefined;
    if (v !== undefined) n++;
    if (typeof v?.stream === 'string') {
      for (const l of v.stream.split('\n')) {
        if (!l.startsWith('data:')) continue;
        const data = l.charCodeAt(5) === 0x20 ? l.slice(6) : l.slice(5);
        if (data !== '[DONE]') JSON.parse(data);
      }
    }
  }
  return n;
}

/** The former baseline, for comparison with earlier figures: JSON.parse of each line only. */
function lineBaseline(bytes: Buffer): number {
  const lines = bytes.toString('utf8').split('\n');
  let n = 0;
  for (const line of lines) {
    if (line === '') continue;
    if (JSON.parse(line) !== undefined) n++;
  }
  return n;
}

/**
 * tgc from bytes to findings, as `tgc validate exchanges` does for each line. `checks: false`
 * stops after decoding (the floor, bench/validation-floor.ts, with its accepting decoders).
 */
export function tgcPass(bytes: Buffer, contract: Judges, checks = true): { findings: number; violations: number; exchanges: number } {
  const lines = bytes.toString('utf8').split('\n');
  let findings = 0;
  let violations = 0;
  let exchanges = 0;
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parseExchangeLine(line);
    if (!parsed.ok) throw new Error(`validation: a recorded line does not parse: ${parsed.error}`);
    exchanges++;
    const api = apiForExchange(parsed.exchange);
    const decode = api && contract.get(api);
    if (!api || !decode) throw new Error(`validation: no API judges the route ${parsed.exchange.route}`);
    const view = decode(parsed.exchange, {});
    if (!checks) continue;
    const result = applyChecks(view, api.checks);
    findings += result.findings.length;
    for (const f of result.findings) if (f.severity === 'violation') violations++;
  }
  return { findings, violations, exchanges };
}

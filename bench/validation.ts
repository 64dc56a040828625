/**
 * validation.ratio: bytes of real recordings → findings, over JSON.parse of the same lines.
 *
 * Both sides start from the same Buffer and pay the same UTF-8 decoding and line splitting; the
 * baseline then JSON.parses each line, tgc parses each with `parseExchangeLine` (exact JSON,
 * u64-safe) and applies the checks of the API its route names (native or OpenAI-compatible) (request and response schemas, SSE
 * decoding of the recorded stream, every response invariant). The contract is compiled before
 * the timing. Each round runs both sides over all the bytes, interleaved in ~10 MB slices (the
 * side that goes first alternating); a round starts after a forced GC; a round's time is the sum
 * of its slices; the ratio is of the medians over rounds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiForExchange, apis, applyChecks, parseExchangeLine, type ApiDefinition, type Decoder } from './tgc.js';
import { envInt, forceGc, log, median, MiB, ROOT, round, measure, type Sample } from './lib.js';

export const VALIDATION_TARGET = 1.5;
const SLICES = 10;

export interface ValidationResult {
  ratio: number | null;
  skipped?: string;
  [detail: string]: unknown;
}

export function fixturesDir(): string {
  return process.env['BENCH_FIXTURES'] ?? path.resolve(ROOT, '..', 'shared', 'fixtures');
}

export async function benchValidation(): Promise<ValidationResult> {
  const dir = fixturesDir();
  if (!existsSync(dir)) {
    const reason = `${dir} is absent: the real recordings are needed (see ../shared/README.md)`;
    log(`validation: skipped: ${reason}`);
    return { ratio: null, skipped: reason };
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) {
    const reason = `${dir} holds no .jsonl recordings`;
    log(`validation: skipped: ${reason}`);
    return { ratio: null, skipped: reason };
  }
  const parts: Buffer[] = [];
  for (const f of files) {
    const b = readFileSync(path.join(dir, f));
    parts.push(b);
    if (b.length > 0 && b[b.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
  }
  const unit = Buffer.concat(parts);
  const targetMB = envInt('BENCH_VALIDATION_MB', 100);
  const copies = Math.ceil((targetMB * MiB) / unit.length);
  const bytes = Buffer.concat(Array.from({ length: copies }, () => unit));
  const exchangesPerCopy = unit.toString('utf8').split('\n').filter((l) => l !== '').length;
  const rounds = envInt('BENCH_ROUNDS', 3);
  log(`validation: ${files.join(', ')} (${unit.length} bytes, ${exchangesPerCopy} exchanges) × ${copies} = ${(bytes.length / MiB).toFixed(1)} MiB, ${rounds} alternated rounds`);

  // Every API's contract compiled before timing; each line is judged by the API its route names.
  const contract: Judges = new Map(await Promise.all(apis.map(async (a) => [a, await a.decoder()] as const)));

  // Warm-up on a slice, so that both sides run optimised code from the first timed round.
  const warm = Buffer.concat(Array.from({ length: Math.min(copies, 20) }, () => unit));
  baseline(warm);
  tgcPass(warm, contract);

  // Each round covers all the bytes on both sides, in slices of about 10 MB: each slice is timed
  // on one side then the other (the first side alternating), so that the machine's load, which
  // changes over seconds, weighs on both sides alike. A round's time is the sum over its slices.
  const slices = sliceBuffer(bytes, unit.length, copies, SLICES);
  const base: Sample[] = [];
  const tgc: Sample[] = [];
  const pairRatios: number[] = [];
  let findings = { findings: 0, violations: 0, exchanges: 0 };
  let lines = 0;
  for (let r = 0; r < rounds; r++) {
    const b: Sample = { wallMs: 0, cpuMs: 0 };
    const t: Sample = { wallMs: 0, cpuMs: 0 };
    const total = { findings: 0, violations: 0, exchanges: 0 };
    lines = 0;
    // One forced GC per round, none between slices: V8 shrinks the young generation after a
    // full GC, which would slow whichever side allocates more until it has grown back.
    forceGc();
    slices.forEach((slice, k) => {
      const runBase = (): Sample => {
        const x = measure(() => baseline(slice));
        lines += x.value;
        add(b, x.sample);
        return x.sample;
      };
      const runTgc = (): Sample => {
        const x = measure(() => tgcPass(slice, contract));
        total.findings += x.value.findings;
        total.violations += x.value.violations;
        total.exchanges += x.value.exchanges;
        add(t, x.sample);
        return x.sample;
      };
      let sb: Sample;
      let st: Sample;
      if ((r + k) % 2 === 0) {
        sb = runBase();
        st = runTgc();
      } else {
        st = runTgc();
        sb = runBase();
      }
      pairRatios.push(st.wallMs / sb.wallMs);
    });
    findings = total;
    base.push(b);
    tgc.push(t);
    log(`validation: round ${r + 1}/${rounds}: JSON.parse ${b.wallMs.toFixed(0)} ms, tgc ${t.wallMs.toFixed(0)} ms (${slices.length} interleaved slices)`);
  }
  if (findings.exchanges !== lines) throw new Error(`validation: tgc saw ${findings.exchanges} exchanges, the baseline ${lines} lines`);

  const baseWall = median(base.map((s) => s.wallMs));
  const tgcWall = median(tgc.map((s) => s.wallMs));
  const baseCpu = median(base.map((s) => s.cpuMs));
  const tgcCpu = median(tgc.map((s) => s.cpuMs));
  const mb = bytes.length / MiB;
  return {
    ratio: round(tgcWall / baseWall),
    target: VALIDATION_TARGET,
    met: tgcWall / baseWall <= VALIDATION_TARGET,
    cpuRatio: round(tgcCpu / baseCpu),
    bytes: bytes.length,
    exchanges: lines,
    sources: files.map((f) => path.join(path.relative(ROOT, dir), f)),
    copies,
    rounds,
    slicesPerRound: slices.length,
    pairedSliceRatioMedian: round(median(pairRatios)),
    medianMs: { baseline: round(baseWall), tgc: round(tgcWall) },
    medianCpuMs: { baseline: round(baseCpu), tgc: round(tgcCpu) },
    throughputMBps: { baseline: round(mb / (baseWall / 1000)), tgc: round(mb / (tgcWall / 1000)) },
    exchangesPerSecond: { baseline: round(lines / (baseWall / 1000)), tgc: round(lines / (tgcWall / 1000)) },
    samplesMs: { baseline: base.map((s) => round(s.wallMs)), tgc: tgc.map((s) => round(s.wallMs)) },
    findingsPerPass: findings.findings,
    violationsPerPass: findings.violations,
    timed:
      'each side from the same Buffer, in interleaved ~10 MB slices: UTF-8 decode + split on "\\n" (both); baseline: JSON.parse per line; ' +
      'tgc: parseExchangeLine + the decoder and checks of the API the route names (as tgc validate exchanges), per line (contracts compiled before timing)',
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

/** JSON.parse of each line: the baseline. Returns the number of lines. */
function baseline(bytes: Buffer): number {
  const lines = bytes.toString('utf8').split('\n');
  let n = 0;
  for (const line of lines) {
    if (line === '') continue;
    if (JSON.parse(line) !== undefined) n++;
  }
  return n;
}

type Judges = Map<ApiDefinition, Decoder<Parameters<ApiDefinition['checks'][number]['run']>[0]>>;

/** tgc from bytes to findings, as `tgc validate exchanges` does for each line. */
function tgcPass(bytes: Buffer, contract: Judges): { findings: number; violations: number; exchanges: number } {
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
    const result = applyChecks(decode(parsed.exchange, {}), api.checks);
    findings += result.findings.length;
    for (const f of result.findings) if (f.severity === 'violation') violations++;
  }
  return { findings, violations, exchanges };
}

/**
 * One kind of `npm run bench`'s validation, in a tight loop, for profiling (not a benchmark of its
 * own: bench/validation.ts is the measure). Replicates the kind's lines to BENCH_VALIDATION_KIND_MB
 * (default 10), warms both sides, prints REPS (default 3) baseline/tgc pairs and the ratio of their
 * medians, then (PROFILE_PASSES=N) runs tgc alone N more times, so that a `--cpu-prof` profile is
 * mostly tgc's steady state. SIDE=floor puts the floor (bench/validation-floor.ts) in tgc's place;
 * never both in one process: the floor's second contract would make the decoders' call sites
 * polymorphic and slow tgc's side.
 *
 *   node --expose-gc --import tsx bench/validation-kind.ts openaiJson
 *   PROFILE_PASSES=10 node --cpu-prof --cpu-prof-dir=reports/profiles --import tsx bench/validation-kind.ts nativeJson
 *   node --import tsx bench/profile.ts reports/profiles/*.cpuprofile --top 40
 *
 * Kinds: all, nativeJson, tgiArray, nativeStream, openaiChatStream, openaiJson.
 */
import { readdirSync } from 'node:fs';
import { envInt, median, MiB } from './lib.js';
import { floorPass } from './validation-floor.js';
import { apis } from './tgc.js';
import { baseline, fixturesDir, kindLines, recordedLines, tgcPass, type Judges, type ValidationKind } from './validation.js';

const kind = process.argv[2] ?? 'openaiJson';
const dir = fixturesDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
const lines = recordedLines(dir, files);
const contract: Judges = new Map(await Promise.all(apis.map(async (a) => [a, await a.decoder()] as const)));
const chosen = kind === 'all' ? lines : kindLines(lines)[kind as ValidationKind];
if (chosen === undefined || chosen.length === 0) throw new Error(`no lines of kind ${kind}`);
const unit = Buffer.from(`${chosen.join('\n')}\n`, 'utf8');
const copies = Math.ceil((envInt('BENCH_VALIDATION_KIND_MB', 10) * MiB) / unit.length);
const bytes = Buffer.concat(Array.from({ length: copies }, () => unit));
console.log(`${kind}: ${chosen.length} lines, ${unit.length} bytes, ${copies} copies`);
const floorSide = process.env['SIDE'] === 'floor';
const label = floorSide ? 'floor' : 'tgc';
const side = (): void => {
  if (floorSide) floorPass(bytes);
  else tgcPass(bytes, contract);
};
for (let i = 0; i < 2; i++) {
  side();
  baseline(bytes);
}
const reps = envInt('REPS', 3);
const base: number[] = [];
const sided: number[] = [];
for (let i = 0; i < reps; i++) {
  let t = performance.now();
  baseline(bytes);
  const b = performance.now() - t;
  t = performance.now();
  side();
  const g = performance.now() - t;
  base.push(b);
  sided.push(g);
  console.log(`JSON.parse ${b.toFixed(0)} ms, ${label} ${g.toFixed(0)} ms, ratio ${(g / b).toFixed(2)}`);
}
console.log(`${label}: medians of ${reps}: ratio ${(median(sided) / median(base)).toFixed(3)}`);
for (let i = 0; i < envInt('PROFILE_PASSES', 0); i++) side();

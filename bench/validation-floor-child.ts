/**
 * The validation floors (bench/validation-floor.ts) in a process of their own, for
 * bench/validation.ts: the same recordings, kinds, sizes and rounds, each floor against its own
 * JSON.parse baseline in alternated slices. Prints `{"<all or kind>": floorRatio, …}` as its
 * last line on stdout; progress on stderr.
 *
 *   node --expose-gc --import tsx bench/validation-floor-child.ts '{"kinds":["all","nativeJson"],"allMB":100,"kindMB":20,"rounds":3}'
 */
import { readdirSync } from 'node:fs';
import { floorPass } from './validation-floor.js';
import { fixturesDir, kindLines, measurePair, recordedLines, type FloorArgs, type ValidationKind } from './validation.js';

const args = JSON.parse(process.argv[2] ?? '{}') as FloorArgs;
const dir = fixturesDir();
const lines = recordedLines(dir, readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort());
const byKind = kindLines(lines);
const out: Record<string, number> = {};
for (const kind of args.kinds) {
  const ls = kind === 'all' ? lines : byKind[kind as ValidationKind];
  if (ls === undefined || ls.length === 0) continue;
  out[kind] = measurePair(`${kind} floor`, ls, kind === 'all' ? args.allMB : args.kindMB, args.rounds, floorPass, 'floor').ratio;
}
process.stdout.write(`${JSON.stringify(out)}\n`);

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where the time went, by function (self time),
 * by file (self time), and by function including callees. Paths are shown relative to the
 * project; `nm:NAME` is a package in node_modules.
 *
 *   BENCH_ONLY=validation node --cpu-prof --cpu-prof-dir=reports/profiles --expose-gc --import tsx bench/run.ts
 *   node --import tsx bench/profile.ts reports/profiles/*.cpuprofile [--top 25] [--match dist/checks/]
 *
 * `--match TEXT` adds the inclusive time of every file whose path contains TEXT (e.g. each check).
 *
 * `--shares`: for a profile of bench/validation-kind.ts (which runs the baseline and tgc the same
 * number of times), tgc's time by stage in units of the baseline's: the loop, UTF-8 decoding and
 * split (both sides pay them), the exact parse of the line, SSE framing and the events' parse, the
 * rest of the decoder, the schemas and request rules (dist/contract/), the checks (applyChecks);
 * GC apart, as the profile does not say whose it is. How README's "Where the time goes" splits
 * the rules' own work.
 *
 *   REPS=12 node --expose-gc --cpu-prof --cpu-prof-dir=reports/profiles --import tsx bench/validation-kind.ts openaiJson
 *   node --import tsx bench/profile.ts reports/profiles/CPU.*.cpuprofile --shares
 */
import { readFileSync } from 'node:fs';
import { ROOT } from './lib.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const local = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(local);
  if (nm?.[1]) return `nm:${nm[1]}`;
  return local.startsWith(ROOT) ? local.slice(ROOT.length + 1) : local;
}

/** A profile with its nodes by id and each node's parent. */
function loadProfile(file: string): { profile: CpuProfile; byId: Map<number, ProfileNode>; parent: Map<number, number> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { profile, byId, parent };
}

function summarise(file: string, top: number, match: string | undefined): string {
  const { profile, byId, parent } = loadProfile(file);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const v of selfUs.values()) total += v;

  const key = (n: ProfileNode): string => {
    const f = n.callFrame;
    const where = f.url ? ` ${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'}${where}`;
  };
  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const inclusiveFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    selfFn.set(key(node), (selfFn.get(key(node)) ?? 0) + us);
    const f = node.callFrame.url ? shortUrl(node.callFrame.url) : node.callFrame.functionName;
    selfFile.set(f, (selfFile.get(f) ?? 0) + us);
    const seen = new Set<string>();
    const seenFile = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const k = key(n);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      }
      const u = n.callFrame.url ? shortUrl(n.callFrame.url) : '';
      if (match !== undefined && u.includes(match) && !seenFile.has(u)) {
        seenFile.add(u);
        inclusiveFile.set(u, (inclusiveFile.get(u) ?? 0) + us);
      }
    }
  }
  const list = (m: Map<string, number>, n: number): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  const parts = [
    `# ${file}: ${(total / 1000).toFixed(0)} ms sampled`,
    '## self time by function',
    list(selfFn, top),
    '## self time by file',
    list(selfFile, top),
    '## inclusive time by function',
    list(inclusive, top),
  ];
  if (match !== undefined) parts.push(`## inclusive time by file matching "${match}"`, list(inclusiveFile, top));
  return `${parts.join('\n')}\n`;
}

/** The stage of a sample of tgc's side, from the frames of its stack (innermost first). */
function stageOf(frames: readonly ProfileNode['callFrame'][]): string {
  const has = (test: (f: ProfileNode['callFrame']) => boolean): boolean => frames.some(test);
  if (has((f) => f.functionName === 'parseExchangeLine')) return 'exact parse of the line';
  if (has((f) => f.functionName === 'applyChecks')) return 'checks';
  if (has((f) => f.url.includes('/dist/contract/'))) return 'schemas, request rules, error bodies';
  if (has((f) => f.url.includes('/dist/sse/') || f.functionName.startsWith('parseJson'))) return "SSE framing, the events' parse";
  if (has((f) => f.url.includes('/dist/engine/'))) return 'rest of the decoder';
  return 'loop, UTF-8, split';
}

function shares(file: string): string {
  const { profile, byId, parent } = loadProfile(file);
  const us = new Map<string, number>();
  const add = (k: string, v: number): void => void us.set(k, (us.get(k) ?? 0) + v);
  profile.samples.forEach((id, i) => {
    const v = profile.timeDeltas[i] ?? 0;
    const frames: ProfileNode['callFrame'][] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n) frames.push(n.callFrame);
    }
    if (frames[0]?.functionName === '(garbage collector)') return add('GC (both sides)', v);
    if (frames.some((f) => f.functionName === 'baseline')) return add('baseline', v);
    if (frames.some((f) => f.functionName === 'tgcPass')) {
      add('tgc', v);
      add(`tgc: ${stageOf(frames)}`, v);
    }
  });
  const base = us.get('baseline') ?? 0;
  if (base === 0) return `# ${file}: no sample of bench/validation.ts baseline(): not a profile of bench/validation-kind.ts\n`;
  const stages = ['loop, UTF-8, split', 'exact parse of the line', "SSE framing, the events' parse", 'rest of the decoder', 'schemas, request rules, error bodies', 'checks'];
  const order = ['baseline', 'tgc', ...stages.map((st) => `tgc: ${st}`), 'GC (both sides)'];
  const rows = order.filter((k) => us.has(k)).map((k) => `| ${k} | ${((us.get(k) ?? 0) / 1000).toFixed(0)} | ${((us.get(k) ?? 0) / base).toFixed(2)} |`);
  return [`# ${file}: tgc by stage, in units of the baseline`, '| stage | ms | × baseline |', '|---|---|---|', ...rows, ''].join('\n');
}

const args = process.argv.slice(2);
let top = 25;
let match: string | undefined;
let byStage = false;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  if (a === '--top') top = Number(args[++i]);
  else if (a === '--match') match = args[++i];
  else if (a === '--shares') byStage = true;
  else files.push(a);
}
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx bench/profile.ts FILE.cpuprofile… [--top N] [--match TEXT] [--shares]\n');
  process.exitCode = 2;
} else {
  for (const f of files) process.stdout.write(byStage ? shares(f) : summarise(f, top, match));
}

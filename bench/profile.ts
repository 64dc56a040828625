/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where the time went, by function (self time),
 * by file (self time), and by function including callees. Paths are shown relative to the
 * project; `nm:NAME` is a package in node_modules.
 *
 *   BENCH_ONLY=validation node --cpu-prof --cpu-prof-dir=reports/profiles --expose-gc --import tsx bench/run.ts
 *   node --import tsx bench/profile.ts reports/profiles/*.cpuprofile [--top 25] [--match dist/checks/]
 *
 * `--match TEXT` adds the inclusive time of every file whose path contains TEXT (e.g. each check).
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

function summarise(file: string, top: number, match: string | undefined): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
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

const args = process.argv.slice(2);
let top = 25;
let match: string | undefined;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  if (a === '--top') top = Number(args[++i]);
  else if (a === '--match') match = args[++i];
  else files.push(a);
}
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx bench/profile.ts FILE.cpuprofile… [--top N] [--match TEXT]\n');
  process.exitCode = 2;
} else {
  for (const f of files) process.stdout.write(summarise(f, top, match));
}

/**
 * `tgc merge REPORT... --out DIR`: one report, in every format, from the report.json files of
 * the N shards of one run (`tgc run --shard I/N --seed S`), equal to the unsharded run's in its
 * cases, check rows, violations and dedupe keys; its exit code is the one that run would have
 * had. Shards that do not belong together exit 2 with one line (src/report/merge.ts says which).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MergeRefused, mergeShardReports, type ShardInput } from '../report/merge.js';
import { createScrubber } from '../report/scrub.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { ensureWritableDir, parseFormats, publishReport, readBaseline, readSuppressions, verdictOf } from './run-command.js';

export interface RawMergeOptions {
  out: string;
  format?: string;
  baseline?: string;
  suppress?: string;
}

export async function mergeCommand(files: readonly string[], raw: RawMergeOptions, io: CliIo, knownCheckIds: readonly string[]): Promise<number> {
  const formats = parseFormats(raw.format);
  const baseline = raw.baseline !== undefined ? await readBaseline(raw.baseline, io.cwd) : undefined;
  const suppressions = raw.suppress !== undefined ? await readSuppressions(raw.suppress, io.cwd, knownCheckIds) : undefined;
  const inputs: ShardInput[] = [];
  for (const file of files) inputs.push({ name: file, report: await readJson(file, io.cwd) });
  let report;
  try {
    report = mergeShardReports(inputs);
  } catch (e) {
    if (e instanceof MergeRefused) throw new TgcInputError(e.message);
    throw e;
  }
  const reportDir = path.resolve(io.cwd, raw.out);
  await ensureWritableDir(reportDir, raw.out);
  // The shards' reports were scrubbed when written; a token in this environment is scrubbed again.
  const scrub = createScrubber([io.env['HF_TOKEN'], io.env['OPENAI_API_KEY']]);
  const out = (line: string): void => io.stdout(scrub(line));
  out(`tgc: merged ${files.length} shard reports (seed ${report.seed})\n`);
  await publishReport(report, { formats, reportDir, baseline, suppressions, scrub, out, io });
  if (report.interrupted) {
    io.stderr('tgc: a shard was interrupted: the merged report is partial\n');
    return EXIT.cannotTest;
  }
  return verdictOf(report);
}

async function readJson(file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new TgcInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TgcInputError(`${file} is not the report.json of a tgc run --shard: not JSON`);
  }
}

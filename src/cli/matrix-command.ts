/**
 * `tgc matrix FILE… [--out DIR] [--by target|provider|model] [--format json,md,html]
 * [--fail-on-violation]`: the compatibility matrix of the targets in recordings and reports.
 * A report: exit 0 once written; 1 only with --fail-on-violation where a cell fails; 2 on bad
 * input (fail fast, one line) or when a check threw while judging (tgc's own failure).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildMatrix,
  isMatrixFormat,
  MATRIX_FORMATS,
  MATRIX_GROUPINGS,
  MatrixInputError,
  renderMatrixFiles,
  type MatrixFormat,
  type MatrixGrouping,
  type MatrixSourceFile,
  type TgcMatrix,
} from '../matrix/index.js';
import { createScrubber } from '../report/scrub.js';
import { VERSION } from '../version.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { makeDirectory } from './make-directory.js';
import { readText } from './read-input.js';

export interface RawMatrixOptions {
  out?: string;
  by?: string;
  format?: string;
  failOnViolation?: boolean;
}

export const MATRIX_DEFAULT_OUT = 'reports';

export async function matrixCommand(files: readonly string[], opts: RawMatrixOptions, io: CliIo, now?: Date): Promise<number> {
  const by = parseBy(opts.by);
  const formats = parseFormats(opts.format);
  const out = opts.out ?? MATRIX_DEFAULT_OUT;
  if (out.trim() === '') throw new TgcInputError('--out must name a directory');
  if (files.length === 0) throw new TgcInputError('give at least one file of recorded exchanges or a report.json');

  const sources: MatrixSourceFile[] = [];
  for (const file of files) sources.push({ file, text: await readText(file, io.cwd) });
  let built: Awaited<ReturnType<typeof buildMatrix>>;
  try {
    built = await buildMatrix(sources, { by, toolVersion: VERSION, ...(now ? { now } : {}) });
  } catch (e) {
    if (e instanceof MatrixInputError) throw new TgcInputError(e.message);
    throw e;
  }
  const { matrix, secrets, judgeErrors } = built;
  const written = renderMatrixFiles(matrix, formats, secrets);

  const dir = path.resolve(io.cwd, out);
  try {
    await makeDirectory(dir);
  } catch (e) {
    throw new TgcInputError(`cannot create --out ${out}: ${describe(e)}`);
  }
  const names: string[] = [];
  for (const [name, text] of written) {
    try {
      await writeFile(path.join(dir, name), text);
    } catch (e) {
      throw new TgcInputError(`cannot write ${path.join(out, name)}: ${describe(e)}`);
    }
    names.push(path.join(out, name));
  }

  const scrub = createScrubber(secrets);
  io.stdout(scrub(summaryLines(matrix).join('\n')) + '\n');
  io.stdout(`wrote ${names.join(', ')}\n`);
  if (judgeErrors > 0) {
    io.stderr(`tgc: ${judgeErrors} check error${judgeErrors === 1 ? '' : 's'} while judging (tgc's own failure; the cells say "error")\n`);
    return EXIT.cannotTest;
  }
  return opts.failOnViolation === true && matrix.summary.failingRows > 0 ? EXIT.violations : EXIT.ok;
}

function parseBy(value: string | undefined): MatrixGrouping {
  if (value === undefined) return 'target';
  if ((MATRIX_GROUPINGS as readonly string[]).includes(value)) return value as MatrixGrouping;
  throw new TgcInputError(`--by must be one of ${MATRIX_GROUPINGS.join(', ')}, got "${value}"`);
}

function parseFormats(value: string | undefined): MatrixFormat[] {
  if (value === undefined) return [...MATRIX_FORMATS];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !isMatrixFormat(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new TgcInputError(`--format must be a comma-separated list of ${MATRIX_FORMATS.join(', ')}, got "${value}"`);
  }
  return MATRIX_FORMATS.filter((f) => names.includes(f));
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EEXIST') return 'exists and is not a directory';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOENT') return 'a part of the path cannot be created';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** What stdout says: the size of the table and each row's verdict with its failing checks. */
export function summaryLines(m: TgcMatrix): string[] {
  const lines = [
    `tgc matrix: ${m.summary.rows} ${m.by === 'model' ? 'rows (target × model)' : 'targets'} × ${m.checks.length} checks from ${m.summary.exchanges} exchanges ` +
      `in ${m.inputs.length} file${m.inputs.length === 1 ? '' : 's'} (grouped by ${m.by}): ${m.summary.failingRows} with a failing cell`,
  ];
  for (const r of m.rows) {
    const label = m.by === 'model' ? `${r.target} · ${r.model ?? '(no model named)'}` : r.target;
    const ids = (status: string): string[] => r.cells.filter((c) => c.status === status).map((c) => c.check);
    const word = r.status === 'fail' ? 'FAIL' : r.status === 'error' ? 'ERROR' : r.status === 'warn' ? 'warn' : r.status === 'pass' ? 'pass' : '-';
    const detail = r.status === 'fail' ? `: ${ids('fail').join(', ')}` : r.status === 'error' ? `: ${ids('error').join(', ')}` : r.status === 'warn' ? ` (warnings: ${ids('warn').join(', ')})` : '';
    lines.push(`  ${word.padEnd(5)} ${label}${detail}`);
  }
  return lines;
}

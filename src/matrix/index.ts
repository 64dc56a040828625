/**
 * The compatibility matrix: `tgc matrix FILE…` turns recorded exchanges and `tgc run` reports into
 * one table of targets against checks (./build.ts), written as matrix.json, matrix.md and a
 * self-contained matrix.html. Secrets seen in the inputs are scrubbed from every file written.
 */
import { createScrubber } from '../report/scrub.js';
import { renderHtmlMatrix } from './html.js';
import { renderMarkdownMatrix } from './markdown.js';
import type { TgcMatrix } from './model.js';

export { buildMatrix, MatrixInputError, type BuildMatrixOptions, type BuildMatrixResult, type MatrixSourceFile } from './build.js';
export * from './model.js';
export { renderHtmlMatrix } from './html.js';
export { renderMarkdownMatrix } from './markdown.js';

export type MatrixFormat = 'json' | 'md' | 'html';
export const MATRIX_FORMATS: readonly MatrixFormat[] = ['json', 'md', 'html'];

export const matrixFileNames: Readonly<Record<MatrixFormat, string>> = {
  json: 'matrix.json',
  md: 'matrix.md',
  html: 'matrix.html',
};

export function renderJsonMatrix(m: TgcMatrix): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

export const matrixWriters: Readonly<Record<MatrixFormat, (m: TgcMatrix) => string>> = {
  json: renderJsonMatrix,
  md: renderMarkdownMatrix,
  html: renderHtmlMatrix,
};

export function isMatrixFormat(name: string): name is MatrixFormat {
  return (MATRIX_FORMATS as readonly string[]).includes(name);
}

/**
 * The matrix with every string scrubbed of the secrets (each replaced by `$HF_TOKEN`), before any
 * writer escapes it; writers' output is scrubbed again as text.
 */
export function scrubMatrix(m: TgcMatrix, secrets: readonly string[]): { matrix: TgcMatrix; scrub: (text: string) => string } {
  const scrub = createScrubber(secrets);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k), walk(x)]));
    return v;
  };
  return { matrix: secrets.length === 0 ? m : (walk(m) as TgcMatrix), scrub };
}

/** The files of the formats asked for, scrubbed: name → text. */
export function renderMatrixFiles(m: TgcMatrix, formats: readonly MatrixFormat[], secrets: readonly string[]): Map<string, string> {
  const { matrix, scrub } = scrubMatrix(m, secrets);
  return new Map(formats.map((f) => [matrixFileNames[f], scrub(matrixWriters[f](matrix))]));
}

/** Words and symbols the matrix writers share, so that matrix.md and matrix.html say the same. */
import type { MatrixCell, MatrixCellStatus, MatrixRow, MatrixVersion, TgcMatrix } from './model.js';

export const STATUS_ICON: Readonly<Record<MatrixCellStatus, string>> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '💥',
  'not-exercised': '–',
};

export const STATUS_WORD: Readonly<Record<MatrixCellStatus, string>> = {
  pass: 'pass',
  warn: 'warnings',
  fail: 'fail',
  error: 'error',
  'not-exercised': 'not exercised',
};

/** What the figure in a cell means, per status. */
export const LEGEND: readonly [MatrixCellStatus, string][] = [
  ['pass', 'pass: exchanges judged'],
  ['warn', 'warnings only: exchanges judged'],
  ['fail', 'fail: exchanges with a violation / exchanges judged, linked to the findings'],
  ['error', 'tgc could not judge (a check threw)'],
  ['not-exercised', 'not exercised: no exchange of the row is one the check judges'],
];

/** The figure in a cell: `21`, `15/22`, or nothing. */
export function cellFigure(c: MatrixCell): string {
  if (c.status === 'fail') return `${c.failed}/${c.judged}`;
  if (c.status === 'not-exercised') return '';
  return String(c.judged);
}

/** Every count of a cell, in words (a tooltip, a heading). */
export function cellCounts(c: MatrixCell): string {
  const parts = [`${c.judged} exchange${c.judged === 1 ? '' : 's'} judged`];
  if (c.failed > 0) parts.push(`${c.failed} failing`);
  parts.push(`${c.violations} violation${c.violations === 1 ? '' : 's'}`, `${c.warnings} warning${c.warnings === 1 ? '' : 's'}`);
  if (c.errors > 0) parts.push(`${c.errors} error${c.errors === 1 ? '' : 's'} of tgc`);
  return parts.join(', ');
}

/** `2.0.1-sha-2d0a717 ×14, 14 failing` or `server: uvicorn`. */
export function versionText(v: MatrixVersion): string {
  const name = v.from === 'system_fingerprint' ? v.value : `${v.from}: ${v.value}`;
  if (v.exchanges === undefined) return name;
  return `${name} ×${v.exchanges}${v.failing ? `, ${v.failing} failing` : ''}`;
}

/** The row as a reader names it: the target, and with `--by model` its model. */
export function rowLabel(r: MatrixRow, by: TgcMatrix['by']): string {
  if (by !== 'model') return r.target;
  return `${r.target} · ${r.model ?? '(no model named)'}`;
}

/** One line: `2 of 5 targets fail` … */
export function matrixVerdict(m: TgcMatrix): string {
  const n = m.summary.rows;
  const noun = `${m.by === 'model' ? 'row' : 'target'}${n === 1 ? '' : 's'}`;
  if (n === 0) return 'no exchange';
  if (m.summary.failingRows === 0) return `no failing cell in ${n} ${noun}`;
  return `${m.summary.failingRows} of ${n} ${noun} fail`;
}

/**
 * The compatibility matrix (`matrix.json`): targets as rows, checks as columns, one cell each.
 * Its JSON Schema is `matrix.schema.json` beside this file (a test keeps the two in step); bump
 * `schemaVersion` on any incompatible change.
 */
import type { Severity } from '../core/finding.js';

export const MATRIX_SCHEMA_VERSION = 1;

/**
 * How rows are made. `target`: the line's `provider` field, else a report's target URL, else the
 * file's name. `provider`: the same, with a report's URL cut to its host (`host:port`).
 * `model`: each target split by the model its exchanges name.
 */
export type MatrixGrouping = 'target' | 'provider' | 'model';
export const MATRIX_GROUPINGS: readonly MatrixGrouping[] = ['target', 'provider', 'model'];

/**
 * `pass`: judged, no finding; `warn`: warnings only; `fail`: at least one violation;
 * `error`: tgc itself could not judge (a check threw); `not-exercised`: no exchange of the row
 * was one the check judges (every outcome a skip).
 */
export type MatrixCellStatus = 'pass' | 'warn' | 'fail' | 'error' | 'not-exercised';

export interface TgcMatrix {
  schemaVersion: typeof MATRIX_SCHEMA_VERSION;
  tool: { name: 'tgc'; version: string };
  generatedAt: string;
  by: MatrixGrouping;
  /** Every file read, in the order given. */
  inputs: MatrixInput[];
  /** The columns: checks exercised in at least one row, in `tgc checks` order. */
  checks: MatrixCheck[];
  rows: MatrixRow[];
  summary: MatrixSummary;
}

export interface MatrixInput {
  file: string;
  /** Recorded exchanges (any format `tgc validate exchanges` reads), or a `tgc run` report.json. */
  kind: 'exchanges' | 'report';
  /** Exchanges judged (lines), or the cases the report's run judged. */
  exchanges: number;
}

export interface MatrixCheck {
  id: string;
  /** Absent for a check a report names that this version of tgc does not know. */
  severity?: Severity;
  title: string;
  rule?: string;
}

export interface MatrixRow {
  /** Stable within the file, safe in a URL fragment: `r1`, `r2`, … */
  id: string;
  target: string;
  /** With `--by model`: the model the row's exchanges name (absent: none named one). */
  model?: string;
  /** The worst cell. */
  status: MatrixCellStatus;
  /** Exchanges (recorded lines, or a report's cases) in the row. */
  exchanges: number;
  violations: number;
  warnings: number;
  /** Server versions seen (system_fingerprint, server or x-…-version headers): shown, never split. */
  versions: MatrixVersion[];
  /** Where the row's exchanges came from. */
  sources: { file: string; exchanges: number }[];
  /** One per column, in the order of `checks`. */
  cells: MatrixCell[];
}

export interface MatrixVersion {
  value: string;
  /** `system_fingerprint`, or the header's name. */
  from: string;
  /** Recorded exchanges that showed it (absent when only a report's findings did). */
  exchanges?: number;
  /** Of those, exchanges with at least one violation. */
  failing?: number;
}

export interface MatrixCell {
  check: string;
  status: MatrixCellStatus;
  /** Exchanges (or a report's cases) the check judged: pass or fail, not skipped. */
  judged: number;
  /** Of those, exchanges with at least one violation of this check. */
  failed: number;
  violations: number;
  warnings: number;
  /** Times the check itself threw (tgc's own failure). */
  errors: number;
  /** The fragment of the cell's findings in matrix.html and matrix.md (fail and warn cells). */
  anchor?: string;
  /** One entry per kind of finding, violations first. */
  findings: MatrixFindingGroup[];
}

export interface MatrixFindingGroup {
  severity: Severity;
  kind: string;
  title: string;
  /** Findings of this kind in the cell. */
  count: number;
  /** The first few, each with where it was found. */
  examples: MatrixExample[];
}

export interface MatrixExample {
  /** The file it came from, and for JSON Lines the 1-based line. */
  file: string;
  line?: number;
  route?: string;
  message: string;
  pointer?: string;
  event?: number;
  /** The server version the exchange showed. */
  version?: string;
  /** A bounded excerpt of the response body or stream (the event, where the finding names one). */
  excerpt?: string;
  /** A report's case label. */
  case?: string;
}

export interface MatrixSummary {
  rows: number;
  exchanges: number;
  /** Rows with at least one failing cell. */
  failingRows: number;
  cells: Record<MatrixCellStatus, number>;
}

/** The worst first: what a row's status is made of. */
export const CELL_STATUS_ORDER: readonly MatrixCellStatus[] = ['fail', 'error', 'warn', 'pass', 'not-exercised'];

/**
 * Builds the compatibility matrix from recorded exchanges and `tgc run` reports. Each recorded
 * line is judged exactly as `tgc validate exchanges` judges it (its API by route or by its `tgc`
 * context, that API's decoder and checks); a report contributes its check rows (pass / fail /
 * skip per check) and its findings as examples. Rows are targets (./grouping.ts), columns the
 * checks exercised somewhere, in `tgc checks` order.
 */
import { everyCheck } from '../apis/index.js';
import { createExchangeJudge } from '../apis/judge.js';
import type { Finding, Severity } from '../core/finding.js';
import { parseExchangeLine } from '../engine/exchange-lines.js';
import { fileLabels, lineFacts, recordingRow, reportRow, secretHeaderValues, secretsOf, headerVersions, type ServerVersion } from './grouping.js';
import {
  CELL_STATUS_ORDER,
  MATRIX_SCHEMA_VERSION,
  type MatrixCell,
  type MatrixCellStatus,
  type MatrixCheck,
  type MatrixExample,
  type MatrixFindingGroup,
  type MatrixGrouping,
  type MatrixInput,
  type MatrixRow,
  type MatrixVersion,
  type TgcMatrix,
} from './model.js';

/** An input tgc cannot read as exchanges or as a report: the command exits 2 with this message. */
export class MatrixInputError extends Error {
  override readonly name = 'MatrixInputError';
}

export interface MatrixSourceFile {
  /** As the user named it; findings point at it. */
  file: string;
  text: string;
}

export interface BuildMatrixOptions {
  by: MatrixGrouping;
  toolVersion: string;
  /** When the matrix was made. @defaultValue now */
  now?: Date;
}

export interface BuildMatrixResult {
  matrix: TgcMatrix;
  /** Secret header values seen in the inputs: scrub them from everything written. */
  secrets: string[];
  /** Checks that threw while this matrix judged a recording: tgc's own failure. */
  judgeErrors: number;
}

/** Examples kept per kind of finding in a cell; the count says how many there were. */
export const MAX_EXAMPLES = 3;
/** Characters of a response excerpt, and of a message. */
export const MAX_EXCERPT = 400;
export const MAX_MESSAGE = 1000;

interface GroupAcc {
  severity: Severity;
  kind: string;
  title: string;
  count: number;
  examples: MatrixExample[];
}

interface CellAcc {
  judged: number;
  failed: number;
  violations: number;
  warnings: number;
  errors: number;
  /** A report said pass / fail (a check row can pass with no case, a scenario check for one). */
  passSeen: boolean;
  failSeen: boolean;
  groups: Map<string, GroupAcc>;
}

interface RowAcc {
  target: string;
  model?: string;
  order: number;
  exchanges: number;
  violations: number;
  warnings: number;
  versions: Map<string, MatrixVersion>;
  sources: Map<string, number>;
  cells: Map<string, CellAcc>;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export async function buildMatrix(files: readonly MatrixSourceFile[], options: BuildMatrixOptions): Promise<BuildMatrixResult> {
  const labels = fileLabels(files.map((f) => f.file));
  const rows = new Map<string, RowAcc>();
  const targetOrder = new Map<string, number>();
  const extraChecks = new Map<string, MatrixCheck>();
  const secrets = new Set<string>();
  const inputs: MatrixInput[] = [];
  const judge = createExchangeJudge();
  let judgeErrors = 0;

  const rowFor = (target: string, model: string | undefined): RowAcc => {
    const key = JSON.stringify([target, model ?? null]);
    let row = rows.get(key);
    if (!row) {
      if (!targetOrder.has(target)) targetOrder.set(target, targetOrder.size);
      row = { target, order: rows.size, exchanges: 0, violations: 0, warnings: 0, versions: new Map(), sources: new Map(), cells: new Map() };
      if (model !== undefined) row.model = model;
      rows.set(key, row);
    }
    return row;
  };

  for (const { file, text } of files) {
    const report = asReport(file, text);
    if (report) {
      for (const s of reportSecrets(report)) secrets.add(s);
      const cases = addReport(report, file, rowFor(reportRow(options.by, report.target.url).target, undefined), extraChecks);
      inputs.push({ file, kind: 'report', exchanges: cases });
      continue;
    }
    const label = labels.get(file) ?? file;
    const lines = text.split(/\r?\n/);
    let judged = 0;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i] ?? '';
      if (raw.trim() === '') continue;
      const parsed = parseExchangeLine(raw);
      if (!parsed.ok) throw new MatrixInputError(`${file}:${i + 1}: ${parsed.error}`);
      const exchange = parsed.exchange;
      const line = JSON.parse(raw) as JsonObject;
      for (const s of secretsOf(line)) secrets.add(s);
      const judgement = await judge(exchange);
      if (!judgement) throw new MatrixInputError(`${file}:${i + 1}: no API of tgc judges the route ${exchange.route}`);
      const { findings, outcomes } = judgement;
      const facts = lineFacts(line, exchange.headers);
      const where = recordingRow(options.by, facts, label);
      const row = rowFor(where.target, where.model);
      judged++;
      row.exchanges++;
      row.sources.set(file, (row.sources.get(file) ?? 0) + 1);
      const failing = findings.some((f) => f.severity === 'violation');
      const version = facts.versions[0]?.value;
      for (const v of facts.versions) addVersion(row, v, failing);
      for (const [check, outcome] of outcomes) {
        const cell = cellOf(row, check);
        if (outcome.status === 'pass') cell.judged++;
        else if (outcome.status === 'fail') {
          cell.judged++;
          cell.failed++;
        } else if (outcome.status === 'error') {
          cell.errors++;
          judgeErrors++;
        }
      }
      for (const f of findings) {
        const cell = cellOf(row, f.check);
        if (f.severity === 'violation') {
          cell.violations++;
          row.violations++;
        } else {
          cell.warnings++;
          row.warnings++;
        }
        addExample(cell, f, {
          file,
          line: i + 1,
          route: exchange.route,
          message: bound(f.message, MAX_MESSAGE),
          ...(f.pointer !== undefined && f.pointer !== '' ? { pointer: f.pointer } : {}),
          ...(f.event !== undefined ? { event: f.event } : {}),
          ...(version !== undefined ? { version } : {}),
          ...excerptOf(line, f),
        });
      }
    }
    inputs.push({ file, kind: 'exchanges', exchanges: judged });
  }

  // Columns: every check some row exercised, in `tgc checks` order, then checks only reports name.
  const known = everyCheck();
  const exercised = (id: string): boolean => [...rows.values()].some((r) => statusOf(r.cells.get(id)) !== 'not-exercised');
  const checks: MatrixCheck[] = [
    ...known.filter((c) => exercised(c.id)).map((c) => ({ id: c.id, severity: c.severity as Severity, title: c.title, rule: c.rule })),
    ...[...extraChecks.values()].filter((c) => exercised(c.id)),
  ];

  const ordered = [...rows.values()].sort((a, b) => (targetOrder.get(a.target) ?? 0) - (targetOrder.get(b.target) ?? 0) || a.order - b.order);
  const matrixRows: MatrixRow[] = ordered.map((r, index) => toRow(r, `r${index + 1}`, checks));
  const cells = { pass: 0, warn: 0, fail: 0, error: 0, 'not-exercised': 0 } satisfies Record<MatrixCellStatus, number>;
  for (const r of matrixRows) for (const c of r.cells) cells[c.status]++;
  const matrix: TgcMatrix = {
    schemaVersion: MATRIX_SCHEMA_VERSION,
    tool: { name: 'tgc', version: options.toolVersion },
    generatedAt: (options.now ?? new Date()).toISOString(),
    by: options.by,
    inputs,
    checks,
    rows: matrixRows,
    summary: {
      rows: matrixRows.length,
      exchanges: matrixRows.reduce((n, r) => n + r.exchanges, 0),
      failingRows: matrixRows.filter((r) => r.status === 'fail').length,
      cells,
    },
  };
  return { matrix, secrets: [...secrets], judgeErrors };
}

function cellOf(row: RowAcc, check: string): CellAcc {
  let cell = row.cells.get(check);
  if (!cell) {
    cell = { judged: 0, failed: 0, violations: 0, warnings: 0, errors: 0, passSeen: false, failSeen: false, groups: new Map() };
    row.cells.set(check, cell);
  }
  return cell;
}

function addVersion(row: RowAcc, v: ServerVersion, failing: boolean | undefined): void {
  const key = `${v.from}\u0000${v.value}`;
  let entry = row.versions.get(key);
  if (!entry) {
    entry = { value: v.value, from: v.from };
    row.versions.set(key, entry);
  }
  if (failing !== undefined) {
    entry.exchanges = (entry.exchanges ?? 0) + 1;
    entry.failing = (entry.failing ?? 0) + (failing ? 1 : 0);
  }
}

function addExample(cell: CellAcc, f: Pick<Finding, 'severity' | 'kind' | 'title'>, example: MatrixExample): void {
  const key = `${f.severity}\u0000${f.kind}`;
  let group = cell.groups.get(key);
  if (!group) {
    group = { severity: f.severity, kind: f.kind, title: f.title, count: 0, examples: [] };
    cell.groups.set(key, group);
  }
  group.count++;
  if (group.examples.length < MAX_EXAMPLES) group.examples.push(example);
}

/** The cell's status from what was counted (./model.ts says what each means). */
export function cellStatus(c: Pick<CellAcc, 'judged' | 'violations' | 'warnings' | 'errors' | 'passSeen' | 'failSeen'>): MatrixCellStatus {
  if (c.violations > 0 || c.failSeen) return 'fail';
  if (c.errors > 0) return 'error';
  if (c.warnings > 0) return 'warn';
  if (c.judged > 0 || c.passSeen) return 'pass';
  return 'not-exercised';
}

function statusOf(cell: CellAcc | undefined): MatrixCellStatus {
  return cell ? cellStatus(cell) : 'not-exercised';
}

/** The worst of the cells' statuses; `not-exercised` only when every cell is. */
export function rowStatus(statuses: readonly MatrixCellStatus[]): MatrixCellStatus {
  for (const s of CELL_STATUS_ORDER) if (statuses.includes(s)) return s;
  return 'not-exercised';
}

const anchorPart = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

function toRow(r: RowAcc, id: string, checks: readonly MatrixCheck[]): MatrixRow {
  const cells: MatrixCell[] = checks.map((c) => {
    const acc = r.cells.get(c.id);
    const status = statusOf(acc);
    const groups = acc ? [...acc.groups.values()] : [];
    // Violations first, each severity in first-seen order.
    groups.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'violation' ? -1 : 1));
    const cell: MatrixCell = {
      check: c.id,
      status,
      judged: acc?.judged ?? 0,
      failed: acc?.failed ?? 0,
      violations: acc?.violations ?? 0,
      warnings: acc?.warnings ?? 0,
      errors: acc?.errors ?? 0,
      findings: groups.map((g): MatrixFindingGroup => ({ severity: g.severity, kind: g.kind, title: g.title, count: g.count, examples: g.examples })),
    };
    if (status === 'fail' || status === 'warn') cell.anchor = `f-${id}-${anchorPart(c.id)}`;
    return cell;
  });
  const row: MatrixRow = {
    id,
    target: r.target,
    status: rowStatus(cells.map((c) => c.status)),
    exchanges: r.exchanges,
    violations: r.violations,
    warnings: r.warnings,
    versions: [...r.versions.values()],
    sources: [...r.sources.entries()].map(([file, exchanges]) => ({ file, exchanges })),
    cells,
  };
  if (r.model !== undefined) row.model = r.model;
  return row;
}

/* ---------- recordings ---------- */

/** Text cut to `max` characters, saying how long it was. */
export function bound(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** A bounded excerpt of what the server sent: the event a stream finding names, else the body's start. */
function excerptOf(line: JsonObject, f: Finding): { excerpt?: string } {
  const stream = line['stream'];
  if (typeof stream === 'string') {
    if (f.event !== undefined) {
      const event = sseEvents(stream)[f.event];
      if (event !== undefined) return { excerpt: bound(event, MAX_EXCERPT) };
    }
    return { excerpt: bound(stream, MAX_EXCERPT) };
  }
  if (typeof line['response_text'] === 'string') return { excerpt: bound(line['response_text'], MAX_EXCERPT) };
  if ('response' in line && line['response'] !== undefined) {
    const body = line['response'];
    return { excerpt: bound(typeof body === 'string' ? body : JSON.stringify(body), MAX_EXCERPT) };
  }
  return {};
}

/** The stream's events as text: blocks separated by a blank line, comments-only blocks left out. */
function sseEvents(stream: string): string[] {
  return stream
    .split(/\r\n\r\n|\n\n|\r\r/)
    .map((b) => b.trim())
    .filter((b) => b.split(/\r\n|\r|\n/).some((l) => l !== '' && !l.startsWith(':')));
}

/* ---------- reports ---------- */

interface ReportLike {
  target: { url: string };
  summary?: { cases?: number };
  checks: { id: string; title?: string; severity?: string; status: string; cases: number; violations: number; warnings: number }[];
  findings: {
    check: string;
    severity: Severity;
    kind: string;
    title: string;
    message: string;
    route?: string;
    pointer?: string;
    event?: number;
    case?: { id?: number; label?: string };
    request?: { headers?: Record<string, unknown> };
    response?: { headers?: Record<string, unknown>; excerpt?: string };
  }[];
}

/**
 * A `tgc run` report.json (schemaVersion, findings and target at the top), checked enough to read;
 * undefined when the file is not one (then it is read as JSON Lines).
 */
function asReport(file: string, text: string): ReportLike | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || !('schemaVersion' in doc) || !('findings' in doc) || !('target' in doc)) return undefined;
  const bad = (why: string): never => {
    throw new MatrixInputError(`${file}: not a tgc report: ${why}`);
  };
  if (!isObject(doc['target']) || typeof doc['target']['url'] !== 'string') bad('"target.url" must be a string');
  if (!Array.isArray(doc['checks'])) bad('"checks" must be an array');
  if (!Array.isArray(doc['findings'])) bad('"findings" must be an array');
  (doc['checks'] as unknown[]).forEach((c, i) => {
    if (!isObject(c) || typeof c['id'] !== 'string' || typeof c['status'] !== 'string') bad(`checks[${i}] must have a string "id" and "status"`);
    for (const k of ['cases', 'violations', 'warnings']) if (typeof (c as JsonObject)[k] !== 'number') bad(`checks[${i}].${k} must be a number`);
  });
  (doc['findings'] as unknown[]).forEach((f, i) => {
    if (!isObject(f) || typeof f['check'] !== 'string' || (f['severity'] !== 'violation' && f['severity'] !== 'warning') || typeof f['message'] !== 'string') {
      bad(`findings[${i}] must have "check", "severity" (violation|warning) and "message"`);
    }
  });
  return doc as unknown as ReportLike;
}

function reportSecrets(report: ReportLike): string[] {
  return report.findings.flatMap((f) => [...secretHeaderValues(f.request?.headers), ...secretHeaderValues(f.response?.headers)]);
}

/** Adds a report's check rows and findings to its row; returns the cases it judged. */
function addReport(report: ReportLike, file: string, row: RowAcc, extraChecks: Map<string, MatrixCheck>): number {
  const known = new Set(everyCheck().map((c) => c.id));
  const cases = typeof report.summary?.cases === 'number' ? report.summary.cases : Math.max(0, ...report.checks.map((c) => c.cases));
  row.exchanges += cases;
  row.sources.set(file, (row.sources.get(file) ?? 0) + cases);
  for (const c of report.checks) {
    if (!known.has(c.id) && !extraChecks.has(c.id)) {
      extraChecks.set(c.id, {
        id: c.id,
        title: typeof c.title === 'string' ? c.title : c.id,
        ...(c.severity === 'violation' || c.severity === 'warning' ? { severity: c.severity } : {}),
      });
    }
    const cell = cellOf(row, c.id);
    if (c.status === 'pass') cell.passSeen = true;
    if (c.status === 'fail') cell.failSeen = true;
    if (c.status === 'pass' || c.status === 'fail') cell.judged += c.cases;
    if (c.status === 'error') cell.errors++;
    cell.violations += c.violations;
    cell.warnings += c.warnings;
    row.violations += c.violations;
    row.warnings += c.warnings;
    // Exchanges with a violation: the distinct cases among the check's violations (a scenario finding counts once).
    const failing = new Set<string>();
    report.findings.forEach((f, i) => {
      if (f.check === c.id && f.severity === 'violation') failing.add(typeof f.case?.id === 'number' ? `case ${f.case.id}` : `finding ${i}`);
    });
    cell.failed += c.cases > 0 ? Math.min(failing.size, c.cases) : failing.size;
  }
  for (const f of report.findings) {
    for (const v of headerVersions(stringHeaders(f.response?.headers))) addVersion(row, v, undefined);
    addExample(cellOf(row, f.check), { severity: f.severity, kind: typeof f.kind === 'string' ? f.kind : 'unknown', title: typeof f.title === 'string' ? f.title : f.check }, {
      file,
      ...(typeof f.route === 'string' ? { route: f.route } : {}),
      message: bound(f.message, MAX_MESSAGE),
      ...(typeof f.pointer === 'string' && f.pointer !== '' ? { pointer: f.pointer } : {}),
      ...(typeof f.event === 'number' ? { event: f.event } : {}),
      ...(typeof f.response?.excerpt === 'string' ? { excerpt: bound(f.response.excerpt, MAX_EXCERPT) } : {}),
      ...(typeof f.case?.label === 'string' ? { case: f.case.label } : {}),
    });
  }
  return cases;
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!isObject(headers)) return undefined;
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The cells: each recorded line judged as `tgc validate exchanges` judges it, counted per target
 * and check; report.json check rows and findings; the columns; bad input.
 */
import { describe, expect, it } from 'vitest';
import { everyCheck } from '../apis/index.js';
import { cleanReport, reportWithViolations } from '../report/__fixtures__/sample-reports.js';
import { chatLine, chatStreamLine, generateLine } from './__fixtures__/lines.js';
import { buildMatrix, cellStatus, MatrixInputError, MAX_EXAMPLES, rowStatus } from './build.js';
import { renderMatrixFiles } from './index.js';
import type { MatrixRow, TgcMatrix } from './model.js';

const build = async (files: Record<string, string[] | object>, by: 'target' | 'provider' | 'model' = 'target') =>
  buildMatrix(
    Object.entries(files).map(([file, content]) => ({ file, text: Array.isArray(content) ? content.join('\n') : JSON.stringify(content, null, 2) })),
    { by, toolVersion: '0.1.0', now: new Date('2026-01-02T03:04:05Z') },
  );

const row = (m: TgcMatrix, target: string, model?: string): MatrixRow => {
  const r = m.rows.find((x) => x.target === target && x.model === model);
  if (!r) throw new Error(`no row ${target} ${model ?? ''}: ${m.rows.map((x) => `${x.target}/${x.model ?? ''}`).join(', ')}`);
  return r;
};
const cell = (m: TgcMatrix, target: string, check: string, model?: string) => {
  const c = row(m, target, model).cells.find((x) => x.check === check);
  if (!c) throw new Error(`no column ${check}`);
  return c;
};

describe('cell and row status', () => {
  const zero = { judged: 0, violations: 0, warnings: 0, errors: 0, passSeen: false, failSeen: false };
  it.each([
    [{ ...zero }, 'not-exercised'],
    [{ ...zero, judged: 3 }, 'pass'],
    [{ ...zero, passSeen: true }, 'pass'],
    [{ ...zero, judged: 3, warnings: 1 }, 'warn'],
    [{ ...zero, judged: 3, warnings: 1, violations: 1 }, 'fail'],
    [{ ...zero, failSeen: true }, 'fail'],
    [{ ...zero, judged: 2, errors: 1, warnings: 4 }, 'error'],
    [{ ...zero, judged: 2, errors: 1, violations: 1 }, 'fail'],
  ] as const)('%j is %s', (acc, status) => {
    expect(cellStatus(acc)).toBe(status);
  });

  it('a row is its worst cell; not exercised only when every cell is', () => {
    expect(rowStatus(['pass', 'not-exercised', 'warn'])).toBe('warn');
    expect(rowStatus(['pass', 'fail', 'error'])).toBe('fail');
    expect(rowStatus(['not-exercised', 'not-exercised'])).toBe('not-exercised');
    expect(rowStatus([])).toBe('not-exercised');
  });
});

describe('buildMatrix from recordings', () => {
  it('groups by provider, counts judged, failing, violations and warnings per cell', async () => {
    const { matrix } = await build({
      'mixed.jsonl': [
        chatLine({ provider: 'good.example', fingerprint: 'v1' }),
        chatStreamLine({ provider: 'good.example', fingerprint: 'v1' }),
        chatLine({ provider: 'bad.example', finishReason: 'eos', fingerprint: 'v2' }),
        chatLine({ provider: 'bad.example', finishReason: 'eos', object: 'text.completion', fingerprint: 'v2' }),
        chatLine({ provider: 'bad.example', fingerprint: 'v3' }),
        chatStreamLine({ provider: 'bad.example', done: false }),
        chatLine({ provider: 'noisy.example', requestExtra: { options: { wait_for_model: true } } }),
        '',
        generateLine(),
      ],
    });
    expect(matrix.rows.map((r) => [r.id, r.target, r.status, r.exchanges])).toEqual([
      ['r1', 'good.example', 'pass', 2],
      ['r2', 'bad.example', 'fail', 4],
      ['r3', 'noisy.example', 'warn', 1],
      ['r4', 'mixed.jsonl', 'pass', 1],
    ]);
    expect(cell(matrix, 'bad.example', 'openai-finish-reason')).toMatchObject({ status: 'fail', judged: 4, failed: 2, violations: 2, warnings: 0, anchor: 'f-r2-openai-finish-reason' });
    expect(cell(matrix, 'bad.example', 'openai-object')).toMatchObject({ status: 'fail', judged: 4, failed: 1, violations: 1 });
    expect(cell(matrix, 'bad.example', 'openai-stream-done')).toMatchObject({ status: 'fail', judged: 1, failed: 1 });
    expect(cell(matrix, 'good.example', 'openai-stream-done')).toMatchObject({ status: 'pass', judged: 1, failed: 0 });
    expect(cell(matrix, 'good.example', 'openai-finish-reason')).toMatchObject({ status: 'pass', judged: 2 });
    expect(cell(matrix, 'good.example', 'openai-finish-reason').anchor).toBeUndefined();
    expect(cell(matrix, 'noisy.example', 'openai-request-schema')).toMatchObject({ status: 'warn', judged: 1, violations: 0, warnings: 1, anchor: 'f-r3-openai-request-schema' });
    // A check that judges no exchange of the row: a chat row has no native check, and no stream here.
    expect(cell(matrix, 'noisy.example', 'openai-stream-done')).toMatchObject({ status: 'not-exercised', judged: 0 });
    expect(cell(matrix, 'mixed.jsonl', 'openai-object')).toMatchObject({ status: 'not-exercised' });
    expect(cell(matrix, 'mixed.jsonl', 'response-schema')).toMatchObject({ status: 'pass', judged: 1 });

    // Versions are shown in the row, each with the exchanges that showed it and how many failed.
    expect(row(matrix, 'bad.example').versions).toEqual([
      { value: 'v2', from: 'system_fingerprint', exchanges: 2, failing: 2 },
      { value: 'v3', from: 'system_fingerprint', exchanges: 1, failing: 0 },
    ]);
    expect(matrix.summary).toMatchObject({ rows: 4, exchanges: 8, failingRows: 1 });
    expect(matrix.inputs).toEqual([{ file: 'mixed.jsonl', kind: 'exchanges', exchanges: 8 }]);
  });

  it('the cell\'s findings: one group per kind, violations first, a few examples with file:line, version and a bounded excerpt', async () => {
    const lines = Array.from({ length: 5 }, () => chatLine({ provider: 'p', finishReason: 'eos', fingerprint: 'v9', content: 'x'.repeat(2000) }));
    const { matrix } = await build({ 'p.jsonl': lines });
    const c = cell(matrix, 'p', 'openai-finish-reason');
    expect(c.findings).toHaveLength(1);
    const g = c.findings[0]!;
    expect(g).toMatchObject({ severity: 'violation', kind: 'outside-enum', count: 5 });
    expect(g.examples).toHaveLength(MAX_EXAMPLES);
    expect(g.examples.map((e) => `${e.file}:${e.line}`)).toEqual(['p.jsonl:1', 'p.jsonl:2', 'p.jsonl:3']);
    expect(g.examples[0]).toMatchObject({ route: 'POST /v1/chat/completions', version: 'v9', pointer: '/choices/0/finish_reason' });
    expect(g.examples[0]!.message).toContain('"eos"');
    expect(g.examples[0]!.excerpt!.length).toBeLessThan(450);
    expect(g.examples[0]!.excerpt).toMatch(/… \(\d+ characters\)$/);
  });

  it('a stream finding\'s excerpt is the event it names', async () => {
    const { matrix } = await build({ 's.jsonl': [chatStreamLine({ provider: 'p', done: false })] });
    const e = cell(matrix, 'p', 'openai-stream-done').findings[0]!.examples[0]!;
    expect(e.excerpt).toContain('data: ');
  });

  it('columns: only the checks some row exercised, in `tgc checks` order', async () => {
    const { matrix } = await build({ 'a.jsonl': [chatLine({ provider: 'p' })], 'b.jsonl': [generateLine()] });
    const order = everyCheck().map((c) => c.id);
    const ids = matrix.checks.map((c) => c.id);
    expect(ids).toEqual(order.filter((id) => ids.includes(id)));
    expect(ids).toContain('openai-object');
    expect(ids).toContain('response-schema');
    expect(ids).not.toContain('determinism'); // a scenario check: never from recordings
    expect(ids).not.toContain('openai-models');
    for (const r of matrix.rows) expect(r.cells.map((c) => c.check)).toEqual(ids);
    expect(matrix.checks.find((c) => c.id === 'openai-object')).toMatchObject({ severity: 'violation', title: expect.any(String), rule: expect.any(String) });
  });

  it('--by model splits each target by model; the versions stay in the row', async () => {
    const { matrix } = await build(
      {
        'r.jsonl': [
          chatLine({ provider: 'p', requestModel: 'tgi', responseModel: 'org/a', fingerprint: '2.0.1', finishReason: 'eos_token' }),
          chatLine({ provider: 'p', requestModel: 'tgi', responseModel: 'org/a', fingerprint: '3.0.1' }),
          chatLine({ provider: 'p', requestModel: 'org/b', responseModel: 'org/b', fingerprint: '3.0.1' }),
          chatLine({ provider: 'q', requestModel: 'org/a' }),
        ],
      },
      'model',
    );
    expect(matrix.rows.map((r) => [r.target, r.model, r.status])).toEqual([
      ['p', 'org/a', 'fail'],
      ['p', 'org/b', 'pass'],
      ['q', 'org/a', 'pass'],
    ]);
    expect(row(matrix, 'p', 'org/a').versions.map((v) => [v.value, v.exchanges, v.failing])).toEqual([
      ['2.0.1', 1, 1],
      ['3.0.1', 1, 0],
    ]);
  });

  it('reads --record files: the tgc context names the API', async () => {
    const line = JSON.parse(generateLine()) as Record<string, unknown>;
    const recorded = JSON.stringify({ ...line, route: 'POST /', response: [{ generated_text: ' world!' }], tgc: { api: 'tgi', requestHeaders: { 'user-agent': 'tgc/0.1.0' } } });
    const { matrix } = await build({ 'run.jsonl': [recorded] });
    expect(matrix.rows.map((r) => [r.target, r.status])).toEqual([['run.jsonl', 'pass']]);
  });

  it.each([
    ['a line that is not JSON', ['{"route": "POST /generate", '], /^bad\.jsonl:1: not JSON/],
    ['a line that is not an exchange', [chatLine(), '{"status": "ok"}'], /^bad\.jsonl:2: "status" must be an HTTP status code/],
    ['an unknown route', ['{"route": "POST /v2/x", "status": 200, "response": {}}'], /^bad\.jsonl:1: "route" must be one of/],
    ['a report without check rows', { schemaVersion: 2, target: { url: 'http://x' }, findings: [] }, /^bad\.jsonl: not a tgc report: "checks" must be an array$/],
  ])('refuses %s, naming the file and line', async (_name, content, message) => {
    const error = await build({ 'bad.jsonl': content }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixInputError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('buildMatrix from reports', () => {
  it('a report is one row by its target URL: its check rows give the cells, its findings the examples', async () => {
    const clean = { ...cleanReport(), target: { url: 'http://127.0.0.1:8081', api: 'tgi' as const, builtIn: false } };
    const { matrix } = await build({ 'runs/faulty/report.json': reportWithViolations(), 'runs/clean/report.json': clean });
    expect(matrix.rows.map((r) => [r.target, r.status])).toEqual([
      ['http://127.0.0.1:8080', 'fail'],
      ['http://127.0.0.1:8081', 'pass'],
    ]);
    expect(matrix.inputs.map((i) => [i.file, i.kind])).toEqual([
      ['runs/faulty/report.json', 'report'],
      ['runs/clean/report.json', 'report'],
    ]);
    const faulty = reportWithViolations();
    const tokens = faulty.checks.find((c) => c.id === 'tokens-count')!;
    const c = cell(matrix, 'http://127.0.0.1:8080', 'tokens-count');
    expect(c).toMatchObject({ status: 'fail', judged: tokens.cases, violations: tokens.violations, warnings: tokens.warnings });
    expect(c.findings[0]!.examples[0]).toMatchObject({ file: 'runs/faulty/report.json', route: 'POST /generate' });
    expect(c.findings[0]!.examples[0]!.line).toBeUndefined();
    // A skipped check row is not exercised; an errored one is an error cell.
    expect(cell(matrix, 'http://127.0.0.1:8080', 'top-tokens-shape').status).toBe('error');
    // Scenario checks are exercised by runs.
    expect(matrix.checks.map((c) => c.id)).toContain('determinism');
  });

  it('--by provider folds reports of one host', async () => {
    const a = { ...cleanReport(), target: { url: 'http://127.0.0.1:8080/v1', api: 'openai' as const, builtIn: false } };
    const { matrix } = await build({ 'a.json': a, 'b.json': reportWithViolations() }, 'provider');
    expect(matrix.rows.map((r) => [r.target, r.status, r.sources.map((s) => s.file)])).toEqual([['127.0.0.1:8080', 'fail', ['a.json', 'b.json']]]);
  });
});

describe('secrets', () => {
  it('never writes the values of authorization, api-key, x-api-key or cookie headers, wherever they reappear', async () => {
    const token = 'sk-live-0123456789abcdef';
    const lines = [
      chatLine({ provider: 'p', finishReason: 'eos', content: `your key is ${token}`, tgc: { requestHeaders: { authorization: `Bearer ${token}` } } }),
      chatLine({ provider: 'p', object: 'text.completion', content: 'cookie c00kie-value-42 and key apikey-999', headers: { 'x-api-key': 'apikey-999', 'set-cookie': 'sid=c00kie-value-42', server: 'gw/1.0' } }),
    ];
    const { matrix, secrets } = await build({ 'p.jsonl': lines });
    const excerpts = JSON.stringify(matrix);
    expect(excerpts).toContain(token); // in memory; the writers scrub
    for (const [name, text] of renderMatrixFiles(matrix, ['json', 'md', 'html'], secrets)) {
      expect(text, name).not.toContain(token);
      expect(text, name).not.toContain('c00kie-value-42');
      expect(text, name).not.toContain('apikey-999');
      expect(text, name).toContain('$HF_TOKEN');
      expect(text, name).toContain('gw/1.0');
    }
  });
});

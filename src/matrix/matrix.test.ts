/**
 * `tgc matrix` as a user runs it (the command line, in-process): on the real recordings of
 * ../shared/fixtures it is the table of what the providers break (Together flagged,
 * api.openai.com clean, TGI 2.0.1 behind the Hugging Face router flagged, the native TGI and HF
 * API recordings clean); on two report.json files of `tgc run` (the reference server, clean and
 * with a fault) one row each; exit codes 0, 1 (--fail-on-violation) and 2 (bad input, one line).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/program.js';
import { RUN_DEFAULTS, type RunOptions } from '../engine/options.js';
import { runConformance } from '../engine/run.js';
import { findFault, startReferenceServer } from '../reference/index.js';
import { renderJsonReport } from '../report/json.js';
import type { TgcReport } from '../report/report.js';
import { DEFAULT_LIMITS } from '../transport/index.js';
import { chatLine } from './__fixtures__/lines.js';
import { matrixSchemaErrors } from './__fixtures__/matrix-schema.js';
import type { MatrixRow, TgcMatrix } from './model.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const FIXTURE_FILES = ['hf-api-exchanges.jsonl', 'openai-exchanges.jsonl', 'tgi-generate-cases.jsonl'];
const fixturesPresent = FIXTURE_FILES.every((f) => existsSync(path.join(FIXTURES, f)));

const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-matrix-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function tgc(args: string[], cwd = tmp): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {} });
  return { code, stdout, stderr };
}

function readMatrix(dir: string): TgcMatrix {
  return JSON.parse(readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as TgcMatrix;
}

const failing = (r: MatrixRow): string[] => r.cells.filter((c) => c.status === 'fail').map((c) => c.check);
const rowOf = (m: TgcMatrix, target: string, model?: string): MatrixRow => {
  const r = m.rows.find((x) => x.target === target && x.model === model);
  if (!r) throw new Error(`no row ${target}${model ? ` · ${model}` : ''} among ${m.rows.map((x) => `${x.target} · ${x.model ?? ''}`).join('; ')}`);
  return r;
};

const fixturesTitle = fixturesPresent
  ? 'tgc matrix on ../shared/fixtures/*.jsonl'
  : `tgc matrix on ../shared/fixtures/*.jsonl: SKIPPED, ${FIXTURES} does not hold ${FIXTURE_FILES.join(', ')}`;

describe.skipIf(!fixturesPresent)(fixturesTitle, () => {
  const files = FIXTURE_FILES.map((f) => path.join(FIXTURES, f));
  let byTarget: { result: CliResult; matrix: TgcMatrix; dir: string };

  beforeAll(async () => {
    const dir = path.join(tmp, 'fixtures');
    const result = await tgc(['matrix', ...files, '--out', dir]);
    byTarget = { result, matrix: readMatrix(dir), dir };
  });

  it('is a report: exit 0 once written, all three files, the matrix valid against its schema', () => {
    expect(byTarget.result.stderr).toBe('');
    expect(byTarget.result.code).toBe(0);
    for (const f of ['matrix.json', 'matrix.md', 'matrix.html']) expect(existsSync(path.join(byTarget.dir, f)), f).toBe(true);
    expect(matrixSchemaErrors(byTarget.matrix)).toEqual([]);
    expect(byTarget.result.stdout).toMatch(/^tgc matrix: 5 targets × \d+ checks from 222 exchanges in 3 files \(grouped by target\): 2 with a failing cell$/m);
  });

  it('rows: the provider of each OpenAI-compatible line, the file name of the native recordings', () => {
    expect(byTarget.matrix.rows.map((r) => [r.target, r.exchanges])).toEqual([
      ['hf-api-exchanges.jsonl', 5],
      ['router.huggingface.co', 30],
      ['api.openai.com', 4],
      ['api.together.xyz', 10],
      ['tgi-generate-cases.jsonl', 173],
    ]);
  });

  it('Together is flagged: openai-finish-reason ("eos") and openai-object ("text.completion") fail', () => {
    const r = rowOf(byTarget.matrix, 'api.together.xyz');
    expect(r.status).toBe('fail');
    expect(failing(r)).toEqual(['openai-object', 'openai-finish-reason']);
    const finish = r.cells.find((c) => c.check === 'openai-finish-reason')!;
    expect(finish.findings.map((g) => g.kind)).toEqual(['outside-enum']);
    expect(finish.findings[0]!.examples[0]!.message).toContain('"eos"');
    expect(finish.findings[0]!.examples[0]!.file).toBe(path.join(FIXTURES, 'openai-exchanges.jsonl'));
    expect(finish.findings[0]!.examples[0]!.line).toBeGreaterThan(0);
  });

  it('api.openai.com is clean: no failing cell', () => {
    const r = rowOf(byTarget.matrix, 'api.openai.com');
    expect(failing(r)).toEqual([]);
    expect(r.violations).toBe(0);
    expect(r.versions.map((v) => v.value)).toEqual(['fp_3b956da36b']);
  });

  it('router.huggingface.co is flagged by its TGI 2.0.1 lines: openai-object, openai-finish-reason, openai-stream-done fail; the 3.x lines show no violation', () => {
    const r = rowOf(byTarget.matrix, 'router.huggingface.co');
    expect(r.status).toBe('fail');
    expect(failing(r)).toEqual(['openai-object', 'openai-finish-reason', 'openai-stream-done']);
    const versions = Object.fromEntries(r.versions.map((v) => [v.value, [v.exchanges, v.failing]]));
    expect(versions).toEqual({ '2.0.1-sha-2d0a717': [14, 14], '1.4.3-sha-e6bb3ff': [1, 1], '3.0.1-sha-bb9095a': [7, 0] });
    for (const c of r.cells.filter((x) => x.status === 'fail')) {
      for (const e of c.findings.flatMap((g) => g.examples)) expect(['2.0.1-sha-2d0a717', '1.4.3-sha-e6bb3ff', undefined]).toContain(e.version);
    }
  });

  it('the native TGI and HF API recordings are clean (warnings allowed)', () => {
    for (const target of ['tgi-generate-cases.jsonl', 'hf-api-exchanges.jsonl']) {
      const r = rowOf(byTarget.matrix, target);
      expect(failing(r), target).toEqual([]);
      expect(r.violations, target).toBe(0);
    }
  });

  it('matrix.md is the table, with failing cells linked to their findings', () => {
    const md = readFileSync(path.join(byTarget.dir, 'matrix.md'), 'utf8');
    const together = md.split('\n').find((l) => l.startsWith('| api.together.xyz |'))!;
    expect(together).toMatch(/\[❌ 3\/9\]\(#f-r4-openai-object\)/);
    expect(together).toMatch(/\[❌ 6\/9\]\(#f-r4-openai-finish-reason\)/);
    expect(md).toContain('<a id="f-r4-openai-finish-reason"></a>');
    expect(md.split('\n').find((l) => l.startsWith('| api.openai.com |'))).not.toContain('❌');
  });

  it('--fail-on-violation: exit 1 where a cell fails, the files written all the same', async () => {
    const dir = path.join(tmp, 'fail-on');
    const result = await tgc(['matrix', ...files, '--out', dir, '--format', 'json', '--fail-on-violation']);
    expect(result.code).toBe(1);
    expect(existsSync(path.join(dir, 'matrix.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'matrix.md'))).toBe(false);
    const clean = await tgc(['matrix', path.join(FIXTURES, 'tgi-generate-cases.jsonl'), '--out', dir, '--format', 'md', '--fail-on-violation']);
    expect(clean.code).toBe(0);
  });

  it('--by model: each target split by model, the versions seen shown in the row, not split', async () => {
    const dir = path.join(tmp, 'by-model');
    const result = await tgc(['matrix', path.join(FIXTURES, 'openai-exchanges.jsonl'), '--out', dir, '--by', 'model', '--format', 'json']);
    expect(result.code).toBe(0);
    const m = readMatrix(dir);
    expect(matrixSchemaErrors(m)).toEqual([]);
    expect(failing(rowOf(m, 'api.together.xyz', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'))).toEqual(['openai-finish-reason']);
    expect(failing(rowOf(m, 'api.together.xyz', 'mistralai/Mixtral-8x7B-v0.1'))).toEqual(['openai-object']);
    expect(failing(rowOf(m, 'api.openai.com', 'gpt-3.5-turbo-0125'))).toEqual([]);
    expect(failing(rowOf(m, 'router.huggingface.co', 'google/gemma-2b'))).toEqual([]);
    expect(failing(rowOf(m, 'router.huggingface.co', 'HuggingFaceH4/zephyr-7b-beta'))).toEqual(['openai-object', 'openai-finish-reason']);
    // The router served Mistral-7B-Instruct-v0.2 with TGI 2.0.1 and with 3.0.1: one row (versions are
    // not split), failing by its 2.0.1 exchanges only.
    const mistral = rowOf(m, 'router.huggingface.co', 'mistralai/Mistral-7B-Instruct-v0.2');
    expect(failing(mistral)).toEqual(['openai-object', 'openai-finish-reason', 'openai-stream-done']);
    expect(mistral.versions.map((v) => [v.value, v.exchanges, v.failing])).toEqual([
      ['2.0.1-sha-2d0a717', 14, 14],
      ['3.0.1-sha-bb9095a', 7, 0],
    ]);
    // The lines that name no model (error bodies) have their own row per target.
    expect(m.rows.filter((r) => r.model === undefined).every((r) => failing(r).length === 0)).toBe(true);
  });
});

describe('tgc matrix on report.json files of tgc run', () => {
  let dir: string;
  let reports: { clean: TgcReport; faulty: TgcReport };

  async function run(fault?: string): Promise<TgcReport> {
    const f = fault === undefined ? undefined : findFault(fault);
    if (fault !== undefined && !f) throw new Error(`no fault ${fault}`);
    const server = await startReferenceServer({ host: '127.0.0.1', port: 0, ...(f ? { fault: f } : {}) });
    try {
      const options: RunOptions = {
        url: server.url,
        api: 'tgi',
        authRequired: false,
        headers: {},
        seed: 5,
        maxExamples: 2,
        checks: [],
        excludeChecks: [],
        concurrency: 8,
        rate: 0,
        maxRequests: RUN_DEFAULTS.maxRequests,
        limits: DEFAULT_LIMITS,
        serverLimits: {},
      };
      return await runConformance(options, {}, undefined, { builtIn: false });
    } finally {
      await server.close();
    }
  }

  beforeAll(async () => {
    const [clean, faulty] = await Promise.all([run(), run('generated-tokens-off-by-one')]);
    reports = { clean, faulty };
    for (const [name, report] of Object.entries(reports)) {
      mkdirSync(path.join(tmp, 'runs', name), { recursive: true });
      writeFileSync(path.join(tmp, 'runs', name, 'report.json'), renderJsonReport(report, (t) => t));
    }
    dir = path.join(tmp, 'reports-matrix');
  }, 60_000);

  it('one row each, by the report\'s target URL: the faulty run flagged by its failing checks, the clean one not', async () => {
    const result = await tgc(['matrix', 'runs/clean/report.json', 'runs/faulty/report.json', '--out', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const m = readMatrix(dir);
    expect(matrixSchemaErrors(m)).toEqual([]);
    expect(m.inputs.map((i) => [i.file, i.kind, i.exchanges])).toEqual([
      ['runs/clean/report.json', 'report', reports.clean.summary.cases],
      ['runs/faulty/report.json', 'report', reports.faulty.summary.cases],
    ]);
    expect(m.rows.map((r) => r.target)).toEqual([reports.clean.target.url, reports.faulty.target.url]);
    const [clean, faulty] = m.rows as [MatrixRow, MatrixRow];
    expect(failing(clean)).toEqual([]);
    expect(failing(faulty)).toEqual(reports.faulty.checks.filter((c) => c.status === 'fail').map((c) => c.id));
    expect(failing(faulty)).toContain('tokens-count');
    const tokens = faulty.cells.find((c) => c.check === 'tokens-count')!;
    const row = reports.faulty.checks.find((c) => c.id === 'tokens-count')!;
    expect(tokens).toMatchObject({ judged: row.cases, violations: row.violations, warnings: row.warnings });
    expect(tokens.findings[0]!.examples[0]).toMatchObject({ file: 'runs/faulty/report.json', route: expect.stringMatching(/^POST /) });
    expect(tokens.findings[0]!.examples[0]!.excerpt).toBeDefined();
    // Every check a run exercised is a column (scenario checks included).
    expect(m.checks.map((c) => c.id)).toEqual(expect.arrayContaining(reports.clean.checks.filter((c) => c.status === 'pass').map((c) => c.id)));
  });

  it('reports and recordings together in one matrix', async () => {
    writeFileSync(path.join(tmp, 'one.jsonl'), `${chatLine({ provider: 'p.example' })}\n`);
    const result = await tgc(['matrix', 'runs/faulty/report.json', 'one.jsonl', '--out', 'mixed', '--format', 'json', '--fail-on-violation']);
    expect(result.code).toBe(1);
    expect(readMatrix(path.join(tmp, 'mixed')).rows.map((r) => [r.target, r.status])).toEqual([
      [reports.faulty.target.url, 'fail'],
      ['p.example', 'pass'],
    ]);
  });
});

describe('tgc matrix refuses bad input with exit 2 and one line', () => {
  beforeAll(() => {
    writeFileSync(path.join(tmp, 'good.jsonl'), `${chatLine({ provider: 'p' })}\n`);
    writeFileSync(path.join(tmp, 'bad.jsonl'), `${chatLine({ provider: 'p' })}\n{"hello": "world"}\n`);
    writeFileSync(path.join(tmp, 'a-file'), 'x');
  });

  it.each([
    ['an unreadable file', ['matrix', 'missing.jsonl'], /^tgc: cannot read missing\.jsonl: no such file\n$/],
    ['a line that is not an exchange', ['matrix', 'good.jsonl', 'bad.jsonl'], /^tgc: bad\.jsonl:2: "status" must be an HTTP status code/],
    ['an unknown --by', ['matrix', 'good.jsonl', '--by', 'host'], /^tgc: --by must be one of target, provider, model, got "host"\n$/],
    ['an unknown --format', ['matrix', 'good.jsonl', '--format', 'json,pdf'], /^tgc: --format must be a comma-separated list of json, md, html, got "json,pdf"\n$/],
    ['an --out that cannot be created', ['matrix', 'good.jsonl', '--out', 'a-file/sub'], /^tgc: cannot create --out a-file\/sub: a part of the path is not a directory\n$/],
    ['an --out under /proc', ['matrix', 'good.jsonl', '--out', '/proc/tgc-matrix/out'], /^tgc: cannot create --out \/proc\/tgc-matrix\/out: /],
  ])('%s', async (_name, args, message) => {
    const started = Date.now();
    const result = await tgc(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(path.join(tmp, 'reports')), 'nothing written to the default --out').toBe(false);
  });

  it('no file at all is a usage error', async () => {
    const result = await tgc(['matrix']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'files'");
  });
});

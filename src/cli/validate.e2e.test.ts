/**
 * `tgc validate` as a user runs it: the built executable in a child process, real files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'dist', 'cli', 'main.js');
const fixtures = path.resolve(root, '..', 'shared', 'fixtures');
const haveFixtures = existsSync(path.join(fixtures, 'tgi-generate-cases.jsonl'));
const tmp = mkdtempSync(path.join(tmpdir(), 'tgc-validate-'));

function tgc(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const token = (id: number, text: string, special = false) => ({ id, text, logprob: -0.5, special });
const goodResponse = {
  generated_text: ' a b',
  details: { finish_reason: 'length', generated_tokens: 2, seed: null, prefill: [], tokens: [token(1, ' a'), token(2, ' b')] },
};

describe.skipIf(!existsSync(bin))('tgc validate (built executable)', () => {
  describe.skipIf(!haveFixtures)(
    `the real recordings${haveFixtures ? '' : ' (skipped: ../shared/fixtures not found)'}`,
    () => {
      it('accepts all 178 recorded exchanges with no violation', () => {
        const r = tgc('validate', 'exchanges', path.join(fixtures, 'tgi-generate-cases.jsonl'), path.join(fixtures, 'hf-api-exchanges.jsonl'));
        expect(r.stderr).toBe('');
        expect(r.stdout).toMatch(/178 exchanges in 2 files: 0 violations, \d+ warnings/);
        expect(r.stdout).not.toMatch(/: violation /);
        expect(r.code).toBe(0);
      });

      it('accepts the recorded HF stream as a transcript, with its request', () => {
        const exchange = readFileSync(path.join(fixtures, 'hf-api-exchanges.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as { stream?: string; request: unknown })
          .find((e) => typeof e.stream === 'string');
        if (exchange?.stream === undefined) throw new Error('the HF fixtures hold no stream');
        const sse = file('hf.sse', exchange.stream);
        const req = file('hf-request.json', JSON.stringify(exchange.request));
        const r = tgc('validate', 'stream', sse, '--request', req);
        expect(r.stdout).toMatch(/0 violations/);
        expect(r.code).toBe(0);
      });
    },
  );

  it('finds a violation, names file and line, exits 1', () => {
    const broken = { ...goodResponse, details: { ...goodResponse.details, generated_tokens: 3 } };
    const p = file(
      'broken.jsonl',
      [
        JSON.stringify({ request: { inputs: 'x', parameters: { details: true } }, status: 200, response: [goodResponse] }),
        '',
        JSON.stringify({ request: { inputs: 'x', parameters: { details: true } }, status: 200, response: [broken] }),
      ].join('\n'),
    );
    const r = tgc('validate', 'exchanges', p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('broken.jsonl:3: violation tokens-count');
    expect(r.stdout).not.toContain('broken.jsonl:1:');
    expect(r.stdout).toMatch(/2 exchanges in 1 file: \d+ violations?/);
  });

  it('writes JSON findings with --format json', () => {
    const p = file('one.json', JSON.stringify({ generated_text: 7 }));
    const r = tgc('validate', 'response', p, '--format', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { violations: number; findings: { check: string; file: string; kind: string }[] };
    expect(out.violations).toBe(1);
    expect(out.findings[0]).toMatchObject({ check: 'response-schema', kind: 'type:/generated_text' });
  });

  it('uses --request for request-dependent checks', () => {
    const res = file('res.json', JSON.stringify(goodResponse));
    const req = file('req.json', JSON.stringify({ inputs: 'x', parameters: { details: true, max_new_tokens: 5 } }));
    const r = tgc('validate', 'response', res, '--request', req);
    expect(r.stdout).toContain('violation finish-reason-length');
    expect(r.code).toBe(1);
  });

  it('validates requests, with the cross-field rules', () => {
    const ok = file('ok-req.json', JSON.stringify({ inputs: 'x', parameters: { seed: 0, frequency_penalty: -2 } }));
    const bad = file('bad-req.json', JSON.stringify({ inputs: 'x', stream: true, parameters: { best_of: 2, do_sample: true } }));
    expect(tgc('validate', 'request', ok).code).toBe(0);
    const r = tgc('validate', 'request', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('`best_of` != 1 is not supported when streaming tokens');
  });

  it.each([
    ['a missing file', ['validate', 'exchanges', 'nope.jsonl'], /^tgc: cannot read nope\.jsonl: no such file\n$/],
    ['an empty file', ['validate', 'response', 'EMPTY'], /^tgc: .*empty\.json is empty\n$/],
    ['a non-JSON response file', ['validate', 'response', 'NOTJSON'], /^tgc: .*notjson\.json is not JSON: .*\n$/],
    ['a bad JSON Lines line', ['validate', 'exchanges', 'BADLINE'], /^tgc: .*badline\.jsonl:2: not JSON: .*\n$/],
    ['a line without status', ['validate', 'exchanges', 'NOSTATUS'], /^tgc: .*nostatus\.jsonl:1: "status" must be an HTTP status code.*\n$/],
    ['an unknown kind', ['validate', 'responses', 'x.json'], /value 'responses' is invalid/],
    ['an unknown option', ['validate', 'response', 'x.json', '--bogus'], /unknown option '--bogus'/],
    ['--request with exchanges', ['validate', 'exchanges', 'x.jsonl', '--request', 'r.json'], /^tgc: --request applies to/],
  ])('exits 2 with one clear line on %s', (_name, args, stderr) => {
    const paths: Record<string, string> = {
      EMPTY: file('empty.json', '  \n'),
      NOTJSON: file('notjson.json', '<html>oops</html>'),
      BADLINE: file('badline.jsonl', `${JSON.stringify({ request: {}, status: 200, response: {} })}\n{"status": 2`),
      NOSTATUS: file('nostatus.jsonl', '{"request":{}}\n'),
    };
    const r = tgc(...args.map((a) => paths[a] ?? a));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe.skipIf(!existsSync(bin))('tgc checks and tgc types', () => {
  it('lists every check with its severity and source', () => {
    const r = tgc('checks', '--format', 'json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; severity: string; source: string }[];
    expect(rows.map((c) => c.id)).toEqual(expect.arrayContaining(['response-schema', 'stream-framing', 'tokens-count', 'stream-index', 'determinism', 'stream-incremental']));
    for (const c of rows) expect(c.source.length).toBeGreaterThan(10);
  });

  it('writes the bindings with readable names', () => {
    const out = path.join(tmp, 'types.ts');
    const r = tgc('types', '--out', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('auto-generated by openapi-typescript');
    expect(text).toContain("export type GenerateResponse = components['schemas']['GenerateResponse'];");
    expect(tgc('types').stdout).toBe(text);
  });

  it('prints help and version with exit 0', () => {
    expect(tgc('--help').code).toBe(0);
    const v = tgc('--version');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(v.stdout.trim()).toBe(pkg.version);
  });
});

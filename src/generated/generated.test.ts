/**
 * The generated files are what `npm run gen` writes from spec/openapi.yaml, and the generated
 * types agree with the hand-written view types of src/core/api.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as api from '../core/api.js';
import type { components, paths } from './openapi.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const genScript = path.resolve(repoRoot, 'scripts/gen.mjs');
const GENERATED = ['src/generated/openapi.ts', 'src/generated/spec.ts'];

function gen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [genScript, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run gen', () => {
  it('regenerating yields exactly the committed files (gen --check)', { timeout: 60_000 }, () => {
    const r = gen('--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is deterministic, and --check names the stale files and exits 1', { timeout: 60_000 }, () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tgc-gen-'));
    try {
      mkdirSync(path.join(root, 'spec'));
      mkdirSync(path.join(root, 'src/generated'), { recursive: true });
      copyFileSync(path.join(repoRoot, 'spec/openapi.yaml'), path.join(root, 'spec/openapi.yaml'));

      // A fresh generation in another directory writes byte for byte the committed files.
      expect(gen('--root', root).status).toBe(0);
      for (const f of GENERATED) {
        expect(readFileSync(path.join(root, f), 'utf8')).toBe(readFileSync(path.join(repoRoot, f), 'utf8'));
      }

      // One edited file: only it is named.
      writeFileSync(path.join(root, 'src/generated/spec.ts'), '// edited by hand\n');
      const edited = gen('--check', '--root', root);
      expect(edited.status).toBe(1);
      expect(edited.stderr).toContain('src/generated/spec.ts');
      expect(edited.stderr).not.toContain('src/generated/openapi.ts');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects unknown arguments with exit 2', () => {
    expect(gen('--bogus').status).toBe(2);
  });
});

type S = components['schemas'];

/** The view types widen u64 integers to `number | bigint`; this maps them back to `number`. */
type Approx<T> = T extends bigint
  ? never
  : T extends readonly (infer U)[]
    ? Approx<U>[]
    : T extends object
      ? { [K in keyof T]: Approx<T[K]> }
      : T;

describe('generated types agree with src/core/api.ts', () => {
  it('are identical where no u64 is involved', () => {
    expectTypeOf<S['Token']>().toEqualTypeOf<api.Token>();
    expectTypeOf<S['PrefillToken']>().toEqualTypeOf<api.PrefillToken>();
    expectTypeOf<S['FinishReason']>().toEqualTypeOf<api.FinishReason>();
    expectTypeOf<S['ErrorResponse']>().toEqualTypeOf<api.ErrorBody>();
  });

  it('are identical up to the exact u64 seed of the view types', () => {
    expectTypeOf<S['Details']>().toEqualTypeOf<Approx<api.Details>>();
    expectTypeOf<S['BestOfSequence']>().toEqualTypeOf<Approx<api.BestOfSequence>>();
    expectTypeOf<S['GenerateResponse']>().toEqualTypeOf<Approx<api.GenerateResponse>>();
    expectTypeOf<S['StreamDetails']>().toEqualTypeOf<Approx<api.StreamDetails>>();
    expectTypeOf<S['StreamResponse']>().toEqualTypeOf<Approx<api.StreamEvent>>();
    // The view's seed may be a bigint, which the generated number type cannot hold.
    expectTypeOf<api.Details>().not.toExtend<S['Details']>();
  });

  it('narrow the view types of requests (grammar values are typed, seeds are numbers)', () => {
    expectTypeOf<S['GrammarType']>().toExtend<api.GrammarType>();
    expectTypeOf<S['GenerateParameters']>().toExtend<api.GenerateParameters>();
    expectTypeOf<S['GenerateRequest']>().toExtend<api.GenerateRequest>();
    expectTypeOf<S['CompatGenerateRequest']>().toExtend<api.GenerateRequest>();
    expectTypeOf<keyof S['CompatGenerateRequest']>().toEqualTypeOf<keyof api.GenerateRequest>();
    expectTypeOf<keyof S['GenerateParameters']>().toEqualTypeOf<keyof api.GenerateParameters>();
  });

  it('type the routes as the view types expect', () => {
    type Json200<P extends keyof paths> = paths[P]['post'] extends {
      responses: { 200: { content: { 'application/json': infer R } } };
    }
      ? R
      : never;
    expectTypeOf<S['CompatGenerateResponse']>().toEqualTypeOf<[S['GenerateResponse']]>();
    expectTypeOf<Json200<'/generate'>>().toExtend<api.GenerateResponse>();
    expectTypeOf<Json200<'/'>>().toExtend<api.GenerateResponse[]>();
    expectTypeOf<Json200<'/models/{model_id}'>>().toExtend<api.GenerateResponse | api.GenerateResponse[]>();
  });
});

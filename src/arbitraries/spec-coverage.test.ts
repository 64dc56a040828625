import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spec } from '../generated/spec.js';
import { RUST_TYPES } from './__fixtures__/tgi-rules.js';
import { resolveContext } from './_internals/context.js';
import { PARAMETER_NAMES, parameterDomain, specCoverage } from './_internals/parameter-domains.js';
import { readGrammarVariants, readParameterSchemas, specParameters } from './_internals/spec-reader.js';
import { GRAMMAR_TYPE_NAMES, SPEC_GRAMMAR_TYPE_NAMES } from './grammar-type.js';
import { LIMIT_NAMES } from './server-limits.js';
import { validGenerateRequest } from './valid-generate-request.js';

type Mutable = Record<string, unknown>;

/** A deep copy of the spec with GenerateParameters' properties edited. */
function editedSpec(edit: (properties: Record<string, Mutable>) => void): unknown {
  const copy = structuredClone(spec) as unknown as { components: { schemas: Record<string, { properties: Record<string, Mutable> }> } };
  const params = copy.components.schemas['GenerateParameters'];
  if (params === undefined) throw new Error('no GenerateParameters');
  edit(params.properties);
  return copy;
}

describe('the arbitraries follow the spec', () => {
  it('every parameter of the spec has a generator, and every generator a parameter of the spec', () => {
    expect(specCoverage()).toEqual({ missing: [], extra: [], mismatches: [] });
    expect([...specParameters.keys()].sort()).toEqual([...PARAMETER_NAMES].sort());
  });

  it('every grammar type of the spec has a generator, and every generator a type of the spec', () => {
    expect([...SPEC_GRAMMAR_TYPE_NAMES].sort()).toEqual([...GRAMMAR_TYPE_NAMES].sort());
  });

  it('every server limit of the spec is a known setting', () => {
    const names = [...specParameters.values()].flatMap((p) => (p.limit === undefined ? [] : [p.limit.name]));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(Object.keys(LIMIT_NAMES)).toContain(n);
  });

  it.each(PARAMETER_NAMES)('%s: the spec is nullable exactly when TGI has an Option (§2a)', (name) => {
    expect(specParameters.get(name)?.nullable).toBe(RUST_TYPES[name].startsWith('Option<'));
    expect(specParameters.get(name)?.rustType).toBe(RUST_TYPES[name]);
  });

  it('a changed bound in the spec changes what is generated', () => {
    const schemas = readParameterSchemas(
      editedSpec((p) => {
        if (p['top_p'] !== undefined) p['top_p']['exclusiveMaximum'] = 0.5;
        if (p['top_k'] !== undefined) p['top_k']['maximum'] = 7;
      }),
    );
    const ctx = resolveContext({}, 'test');
    const topP = parameterDomain('top_p', ctx, schemas);
    const topK = parameterDomain('top_k', ctx, schemas);
    expect(topP.kind === 'float' && topP.hi < 0.5 && Math.fround(topP.hi) === topP.hi).toBe(true);
    expect(topK.kind === 'integer' && topK.max).toBe(7n);
  });

  it('a parameter added to or removed from the spec is reported', () => {
    const schemas = readParameterSchemas(
      editedSpec((p) => {
        p['min_p'] = { type: ['number', 'null'], exclusiveMinimum: 0, 'x-tgc-rust-type': 'Option<f32>' };
        delete p['watermark'];
      }),
    );
    expect(specCoverage(schemas)).toEqual({ missing: ['min_p'], extra: ['watermark'], mismatches: [] });
  });

  it('a parameter whose type changes in the spec is reported', () => {
    const schemas = readParameterSchemas(
      editedSpec((p) => {
        if (p['seed'] !== undefined) p['seed']['type'] = ['string', 'null'];
      }),
    );
    expect(specCoverage(schemas).mismatches).toEqual(['seed: expected an integer, the spec says string']);
  });

  it('reads the grammar variants, their value forms and the nullable schema name', () => {
    const variants = readGrammarVariants(spec);
    const json = variants.find((v) => v.types.includes('json'));
    expect(json?.valueTypes).toEqual(expect.arrayContaining(['object', 'string']));
    expect(variants.find((v) => v.types.includes('json_schema'))?.nameNullable).toBe(true);
  });

  it('generates only parameters of the spec', () => {
    const keys = new Set(
      fc.sample(validGenerateRequest({}), { numRuns: 500, seed: 7 }).flatMap((r) => Object.keys(r.parameters ?? {})),
    );
    for (const k of keys) expect(specParameters.has(k)).toBe(true);
  });
});

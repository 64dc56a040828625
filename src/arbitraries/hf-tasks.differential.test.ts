/**
 * Differential test: every request that validGenerateRequest generates (requests a TGI server
 * must accept) against the official JSON Schema of the API shipped in @huggingface/tasks
 * (`src/tasks/text-generation/spec/input.json`, the same document as TGI's OpenAPI
 * `CompatGenerateRequest`, tgi-behavior.md §4(d).1). Where the official schema rejects a request
 * the server accepts, the difference must be a known one, listed below with a concrete example
 * that our spec accepts and the official schema rejects, and described in spec/NOTES.md under
 * "Differences from the @huggingface/tasks JSON Schemas".
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../core/api.js';
import { stringifyJson, toApproximate } from '../core/json.js';
import { spec } from '../generated/spec.js';
import { validGenerateRequest, type ValidGenerateRequestConstraints } from './valid-generate-request.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const NOTES = join(HERE, '../../spec/NOTES.md');
const NOTES_HEADING = '## Differences from the @huggingface/tasks JSON Schemas';
const RUNS = 1500;
const SEED = 0x7467_63;

/** A difference between what a TGI server accepts (and our spec says) and the official schema. */
interface KnownDifference {
  id: string;
  description: string;
  /** Recognises a request that shows the difference. */
  applies: (req: GenerateRequest) => boolean;
  /** A concrete request that shows it: our spec accepts it, the official schema rejects it. */
  example: GenerateRequest;
  /** The same request without the difference (so that a rejection must come from the listed differences alone). */
  repair: (req: GenerateRequest) => GenerateRequest;
}

function withParameters(req: GenerateRequest, edit: Partial<NonNullable<GenerateRequest['parameters']>>): GenerateRequest {
  return { ...req, parameters: { ...req.parameters, ...edit } };
}

function p(req: GenerateRequest): Record<string, unknown> {
  return { ...req.parameters };
}

const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'T1',
    description: 'seed 0: the official schema has exclusiveMinimum 0; TGI takes any u64, 0 included',
    applies: (r) => p(r)['seed'] === 0,
    example: { inputs: 'Hello', parameters: { seed: 0 } },
    repair: (r) => withParameters(r, { seed: 1 }),
  },
  {
    id: 'T2',
    description: 'top_n_tokens 0 (off): the official schema has exclusiveMinimum 0',
    applies: (r) => p(r)['top_n_tokens'] === 0,
    example: { inputs: 'Hello', parameters: { top_n_tokens: 0 } },
    repair: (r) => withParameters(r, { top_n_tokens: null }),
  },
  {
    id: 'T3',
    description: 'best_of 0 (off, without stream): the official schema has exclusiveMinimum 0',
    applies: (r) => p(r)['best_of'] === 0,
    example: { inputs: 'Hello', parameters: { best_of: 0 } },
    repair: (r) => withParameters(r, { best_of: 1 }),
  },
  {
    id: 'T4',
    description: 'frequency_penalty -2: the official schema has exclusiveMinimum -2; TGI accepts [-2, 2]',
    applies: (r) => typeof p(r)['frequency_penalty'] === 'number' && (p(r)['frequency_penalty'] as number) <= -2,
    example: { inputs: 'Hello', parameters: { frequency_penalty: -2 } },
    repair: (r) => withParameters(r, { frequency_penalty: -1.5 }),
  },
  {
    id: 'T5',
    description: 'grammar type json_object: a serde alias of json that the official enum lacks',
    applies: (r) => r.parameters?.grammar?.type === 'json_object',
    example: {
      inputs: 'Hello',
      parameters: { grammar: { type: 'json_object', value: { properties: { name: { type: 'string' } } } } },
    },
    repair: (r) => {
      const g = r.parameters?.grammar;
      return g?.type === 'json_object' ? withParameters(r, { grammar: { type: 'json', value: g.value } }) : r;
    },
  },
  {
    id: 'T6',
    description: 'more than 4 stop sequences: the official maxItems 4 is the launcher default of max_stop_sequences',
    applies: (r) => (r.parameters?.stop?.length ?? 0) > 4,
    example: { inputs: 'Hello', parameters: { stop: ['a', 'b', 'c', 'd', 'e'] } },
    repair: (r) => withParameters(r, { stop: r.parameters?.stop?.slice(0, 4) ?? [] }),
  },
];

/** Each kind of server and route the requests are generated for. */
const CONFIGS: readonly ValidGenerateRequestConstraints[] = [
  {},
  { route: '/', stream: true },
  { route: '/generate' },
  { route: '/generate_stream' },
  { route: '/', limits: { maxStopSequences: 6, maxBestOf: 4, maxTopNTokens: 10 }, adapterIds: ['my-lora'] },
];

// ---------------------------------------------------------------------------------------------
// Normalising the official schema (draft-06 plus OpenAPI 3.0 keywords) to JSON Schema 2020-12.

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keywords whose value is a map of names to schemas: their keys are names, not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** OpenAPI annotations with no JSON Schema meaning, and draft-06 identifiers. */
const DROPPED = new Set(['example', 'discriminator', 'nullable', '$schema', '$id']);

/** `nullable: true` adds null; draft-06 `definitions` become `$defs`; OpenAPI keywords go. */
function toDraft2020(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toDraft2020);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key === 'definitions' ? '$defs' : key] = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, toDraft2020(s)]),
      );
    } else if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace('#/definitions/', '#/$defs/');
    } else {
      out[key] = toDraft2020(value);
    }
  }
  if (schema['nullable'] !== true) return out;
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  if (typeof out['type'] === 'string') return { ...out, type: [out['type'], 'null'] };
  if (Array.isArray(out['type'])) return out['type'].includes('null') ? out : { ...out, type: [...out['type'], 'null'] };
  // No type (e.g. `allOf: [$ref]`): null or the schema.
  const { description, title, default: dflt, ...rest } = out;
  const annotations = Object.fromEntries(
    Object.entries({ description, title, default: dflt }).filter(([, v]) => v !== undefined),
  );
  return { ...annotations, anyOf: [rest, { type: 'null' }] };
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

function loadOfficialSchema(): unknown {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('@huggingface/tasks/package.json'));
  const text = readFileSync(join(pkg, 'src/tasks/text-generation/spec/input.json'), 'utf8');
  return JSON.parse(text) as unknown;
}

/** Every `x-…` keyword in a schema, to declare them to a strict ajv. */
function extensionKeywords(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) extensionKeywords(n, into);
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) into.add(k);
      extensionKeywords(v, into);
    }
  }
  return into;
}

async function compileOurs(): Promise<ValidateFunction> {
  const doc = (await dereference(structuredClone(spec) as unknown as JsonObject)) as unknown as {
    components: { schemas: Record<string, unknown> };
  };
  const schema = doc.components.schemas['CompatGenerateRequest'];
  const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: true });
  addFormats.default(ajv);
  for (const k of extensionKeywords(schema)) ajv.addKeyword(k);
  return ajv.compile(schema as JsonObject);
}

/** Validators take the exact request with bigint seeds as the nearest double (the schemas bound seeds by value). */
function check(validate: ValidateFunction, req: GenerateRequest): boolean {
  return validate(toApproximate(req));
}

describe('validGenerateRequest against the @huggingface/tasks text-generation input schema', () => {
  let official: ValidateFunction;
  let ours: ValidateFunction;

  beforeAll(async () => {
    official = newAjv().compile(toDraft2020(loadOfficialSchema()) as JsonObject);
    ours = await compileOurs();
  });

  it('normalises nullable, example and discriminator away', () => {
    const text = JSON.stringify(toDraft2020(loadOfficialSchema()));
    expect(text).not.toMatch(/"nullable"|"example"|"discriminator"|draft-06|#\/definitions\//);
    expect(check(official, { inputs: 'x', parameters: { seed: null, grammar: null, top_p: null } })).toBe(true);
  });

  describe.each(KNOWN_DIFFERENCES)('$id: $description', (d) => {
    it('its example is accepted by our spec and rejected by the official schema', () => {
      expect(check(ours, d.example), stringifyJson(ours.errors)).toBe(true);
      expect(check(official, d.example)).toBe(false);
      expect(d.applies(d.example)).toBe(true);
      expect(d.applies(d.repair(d.example))).toBe(false);
      expect(check(official, d.repair(d.example))).toBe(true);
    });
  });

  it('rejects only requests that show a known difference, and each difference occurs', () => {
    const seen = new Map<string, number>(KNOWN_DIFFERENCES.map((d) => [d.id, 0]));
    const arb = fc.oneof(...CONFIGS.map((c) => validGenerateRequest(c)));
    fc.assert(
      fc.property(arb, (req) => {
        // Our spec accepts every generated request (it describes the server).
        expect(check(ours, req), `${stringifyJson(req)}\n${stringifyJson(ours.errors)}`).toBe(true);
        if (check(official, req)) return;
        const explained = KNOWN_DIFFERENCES.filter((d) => d.applies(req));
        for (const d of explained) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
        expect(
          explained.map((d) => d.id),
          `unexplained rejection of ${stringifyJson(req)}: ${stringifyJson(official.errors)}`,
        ).not.toEqual([]);
        // The listed differences are the whole story: without them the official schema accepts it.
        const repaired = explained.reduce((r, d) => d.repair(r), req);
        expect(
          check(official, repaired),
          `${explained.map((d) => d.id).join(', ')} do not explain all of ${stringifyJson(req)}: ${stringifyJson(official.errors)}`,
        ).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    for (const [id, n] of seen) expect(n, `${id} never occurred in ${RUNS} requests`).toBeGreaterThan(0);
  });

  describe('each difference is written up', () => {
    const ids = KNOWN_DIFFERENCES.map((d) => d.id);
    const section = (text: string): string => {
      const start = text.indexOf(NOTES_HEADING);
      if (start < 0) return '';
      const next = text.indexOf('\n## ', start + NOTES_HEADING.length);
      return text.slice(start, next < 0 ? undefined : next);
    };

    it(`in spec/NOTES.md under "${NOTES_HEADING}"`, () => {
      const text = section(readFileSync(NOTES, 'utf8'));
      expect(text, 'the heading is missing').not.toBe('');
      for (const id of ids) expect(text).toMatch(new RegExp(`\\*\\*${id}\\.`));
    });
  });
});

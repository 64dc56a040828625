/**
 * `lenientMustPass` (contract.ts) spares the `lenient` run when `strict`'s only errors are unknown
 * keys outside any alternative. It must never say so of a body `lenient` rejects: checked here
 * against `lenient` itself, for every schema of both contracts, on crafted bodies and on bodies
 * made by mutating them and the recorded ones (a value replaced, a key removed, an unknown or a
 * known key added anywhere); and the specs must keep the ground the rule stands on.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spec } from '../generated/spec.js';
import { openaiSpec } from '../generated/openai-spec.js';
import { lenientMustPass } from './contract.js';
import { asIsOrMutated, mutationOf, recordedBodies } from './openai/__fixtures__/bodies.js';
import { loadOpenAISchemas } from './openai/schemas.js';
import { loadSchemas } from './schemas.js';

const native = await loadSchemas();
const openai = await loadOpenAISchemas();
const pairs = {
  GenerateRequest: native.GenerateRequest,
  CompatGenerateRequest: native.CompatGenerateRequest,
  GenerateResponse: native.GenerateResponse,
  StreamResponse: native.StreamResponse,
  ErrorResponse: native.ErrorResponse,
  ChatCompletionRequest: openai.ChatCompletionRequest,
  CompletionRequest: openai.CompletionRequest,
  ChatCompletion: openai.ChatCompletion,
  Completion: openai.Completion,
  ChatCompletionChunk: openai.ChatCompletionChunk,
  CompletionChunk: openai.CompletionChunk,
  ModelList: openai.ModelList,
};

const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url);
const present = existsSync(fileURLToPath(FIXTURES));

/** The native recordings' requests and responses (a one-element array's element too). */
function nativeBodies(): unknown[] {
  const out: unknown[] = [];
  for (const name of ['tgi-generate-cases.jsonl', 'hf-api-exchanges.jsonl']) {
    const file = fileURLToPath(new URL(name, FIXTURES));
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o['request'] !== undefined) out.push(o['request']);
      const r = o['response'];
      if (r !== undefined) out.push(Array.isArray(r) && r.length === 1 ? r[0] : r);
    }
  }
  return out;
}

const crafted: unknown[] = [
  { inputs: 'x', parameters: { max_new_tokens: 5, grammar: null, extra: 1 }, unknown: true },
  { inputs: 'x', parameters: { grammar: { type: 'json', value: { type: 'object' }, extra: 1 } } },
  { inputs: 'x', parameters: { grammar: { type: 'regex', value: 5 } }, model: 'm' },
  { generated_text: 'x', details: { finish_reason: 'length', generated_tokens: 1, seed: null, prefill: [], tokens: [{ id: 1, text: 'x', logprob: -1, special: false, more: 1 }] } },
  { index: 1, token: { id: 1, text: 'x', logprob: -1, special: false }, generated_text: null, details: null, x: 1 },
  { index: 2, token: { id: 2, text: 'y', logprob: -0.5, special: false }, top_tokens: [{ id: 2, text: 'y', logprob: -0.5, special: false }], generated_text: 'xy', details: { finish_reason: 'length', generated_tokens: 2, seed: 7 } },
  { error: 'e', error_type: 'validation', extra: 1 },
  { model: 'm', messages: [{ role: 'user', content: 'hi', name: 'n', extra: 1 }], extra: 1 },
  { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' }, x: 1 }] }] },
  { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'a', x: 1 }] }], response_format: { type: 'json_object', x: 1 } },
  { model: 'm', prompt: 'x', inputs: 'y', provider: 'p' },
  { id: 'a', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'x', x: 1 }, finish_reason: 'stop', logprobs: null }], x: 1 },
  { id: 'a', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x', token_id: 1 }, finish_reason: null, seed: 1 }] },
  { object: 'list', data: [{ id: 'm', object: 'model', created: 1, owned_by: 'o', extra: 1 }] },
];
const bases = [...crafted, ...nativeBodies(), ...recordedBodies()];

const value = fc.oneof(
  fc.constantFrom('assistant', 'user', 'tool', 'json', 'regex', 'json_object', 'text', 'function', 'stop', 'length', ''),
  fc.constantFrom(0, -1, 1, 2.5, null, true, [], {}),
  fc.constant({ type: 'json', value: {} }),
  fc.constant({ role: 'user', content: 'x' }),
  fc.jsonValue({ maxDepth: 2 }),
);
// Unknown keys, and known ones of several schemas (so that an added key may be a known one elsewhere).
const mutation = mutationOf(value, ['extra', 'x', 'unknown', 'type', 'value', 'role', 'content', 'index', 'details', 'grammar', 'text', 'error']);

describe(`lenientMustPass${present ? '' : ' (recorded bodies skipped: ../shared/fixtures not found; crafted ones only)'}`, () => {
  for (const [name, pair] of Object.entries(pairs)) {
    it(`never stands for a body lenient rejects: ${name}`, () => {
      let said = 0;
      // Each schema's own bodies (the bases `lenient` accepts), as they are or mutated.
      const own = bases.filter((b) => pair.lenient(b));
      expect(own.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(asIsOrMutated(own, mutation), (b) => {
          if (pair.strict(b)) return;
          if (!lenientMustPass(pair.strict.errors)) return;
          said++;
          expect(pair.lenient(b)).toBe(true);
        }),
        { numRuns: 1500 },
      );
      // Not vacuous: the bodies reach the rule for every schema.
      expect(said).toBeGreaterThan(0);
    });
  }

  it('says nothing of no errors, and no for a violation beside an unknown key', () => {
    expect(lenientMustPass(null)).toBe(false);
    expect(lenientMustPass([])).toBe(false);
    const pair = native.GenerateRequest;
    expect(pair.strict({ inputs: 'x', extra: 1 })).toBe(false);
    expect(lenientMustPass(pair.strict.errors)).toBe(true);
    expect(pair.strict({ inputs: 5, extra: 1 })).toBe(false);
    expect(lenientMustPass(pair.strict.errors)).toBe(false);
  });
});

describe('the specs keep the ground of lenientMustPass', () => {
  // Keywords whose outcome opening an object could turn (or that close one themselves): none of
  // them may appear, or `strict`'s unknown keys would no longer stand for `lenient`'s verdict.
  const turning = new Set(['not', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'dependentSchemas', 'propertyNames', 'contains']);
  function offending(node: unknown, at: string, out: string[]): string[] {
    if (Array.isArray(node)) node.forEach((x, i) => offending(x, `${at}/${i}`, out));
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        // Under `properties` the keys are names, not keywords.
        if (k === 'properties' && v !== null && typeof v === 'object') {
          for (const [n, s] of Object.entries(v)) offending(s, `${at}/properties/${n}`, out);
          continue;
        }
        if (turning.has(k)) out.push(`${at}/${k}`);
        if (k === 'additionalProperties' && v === false) out.push(`${at}/${k}: false`);
        offending(v, `${at}/${k}`, out);
      }
    }
    return out;
  }
  it.each([
    ['spec/openapi.yaml', spec],
    ['spec/openai.yaml', openaiSpec],
  ])('%s has no keyword that opening an object could turn', (_name, document) => {
    const schemas = (document as { components: { schemas: unknown } }).components.schemas;
    expect(offending(schemas, '#/components/schemas', [])).toEqual([]);
  });
});

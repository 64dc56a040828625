/**
 * compileApart (./apart.ts) answers exactly as ajv.compile over the same schema: the same boolean
 * and the same errors (schema and instance paths, keywords, params, messages, order), on the
 * recorded bodies, on hand-made wrong ones, and on many bodies made by mutating them (a value
 * replaced, a key removed or added, anywhere in the body). Also with a low threshold, so that
 * nearly every subschema is compiled apart (nested several deep, under oneOfs and items), and
 * through `dispatched` (its discriminator copies compiled apart too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutate, mutationOf, recordedBodies } from './__fixtures__/bodies.js';
import { compileApart } from './apart.js';
import { closeObjects, dereferencedOpenAISpec, dispatched, newAjv, relaxAndStrip } from './schemas.js';

const document = await dereferencedOpenAISpec();

const user = { role: 'user', content: 'Hello' };
const full = {
  model: 'm',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 's' }] },
    { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'u', detail: 'low' } }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', content: 'x', tool_call_id: 'a' },
    { role: 'developer', content: 'd', name: 'n' },
  ],
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  tool_choice: { type: 'function', function: { name: 'f' } },
  response_format: { type: 'json_schema', json_schema: { name: 'n', schema: {} } },
  stop: ['a'],
  stream_options: { include_usage: true },
  logit_bias: { '1': 2 },
  n: 1,
  seed: 3,
};
const crafted: unknown[] = [
  full,
  { model: 'm', messages: [user] },
  { model: 'm', messages: [{ role: 'wizard', content: 'x' }, { content: 'no role' }, 'a string', null, [user]] },
  { model: 'm', messages: [{ role: 'user', content: [{ type: 'video', video: 1 }, { text: 'no type' }] }] },
  { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'nope' }] }], tools: [{ type: 'other' }, 'x'] },
  { model: 'm', prompt: ['a', 'b'], max_tokens: 3, echo: true },
  { model: 'm', prompt: [[1, 2]], logprobs: 2 },
  { model: 'm' },
  [],
  'body',
];
const bases = [...recordedBodies(), ...crafted];

// Values the schemas tell apart: tags, enum members, numbers at bounds, and any JSON.
const value = fc.oneof(
  fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer', 'text', 'image_url', 'function', 'json_schema', 'json_object', 'auto', 'none', 'required', 'stop', ''),
  fc.constantFrom(0, -1, 1, 2.5, 3, 1e20, null, true, false, [], {}),
  fc.constant({ role: 'user', content: 'x' }),
  fc.constant({ type: 'text', text: 't' }),
  fc.jsonValue({ maxDepth: 2 }),
);
const mutation = mutationOf(value, ['role', 'content', 'type', 'extra', 'name', 'text', 'messages', 'prompt']);
const body = fc.tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => mutate(bases[i], ms));

const NAMES = ['ChatCompletionRequest', 'CompletionRequest', 'ChatCompletion', 'ChatCompletionChunk', 'Completion', 'CompletionChunk', 'ModelList'];

describe('compileApart', () => {
  for (const name of NAMES) {
    for (const closed of [false, true]) {
      const clean = relaxAndStrip(document.components.schemas[name]) as object;
      const schema = (closed ? closeObjects(clean) : clean) as object;
      const reference = newAjv().compile(schema);
      const apart = compileApart(newAjv(), schema);
      const fine = compileApart(newAjv(), schema, 40);
      const viaDispatch = dispatched(newAjv({ discriminator: true }), schema);
      const same = (b: unknown) => {
        const expected = reference(b);
        const errors = reference.errors;
        for (const fn of [apart, fine, viaDispatch]) {
          expect(fn(b)).toBe(expected);
          expect(fn.errors).toEqual(errors);
        }
      };

      it(`gives ajv's own answer and errors on recorded and crafted bodies: ${name} (${closed ? 'strict' : 'lenient'})`, () => {
        for (const b of bases) same(b);
      });

      it(`gives ajv's own answer and errors on mutated bodies: ${name} (${closed ? 'strict' : 'lenient'})`, () => {
        fc.assert(fc.property(body, (b) => same(b)), { numRuns: name === 'ChatCompletionRequest' ? 1500 : 300 });
      });
    }
  }

  it('splits the chat request (else nothing here is tested) and restores paths under nested splits', () => {
    const clean = relaxAndStrip(document.components.schemas['ChatCompletionRequest']) as object;
    const ajv = newAjv();
    const fn = compileApart(ajv, clean, 40);
    expect(fn(crafted[3])).toBe(false);
    expect(fn.errors?.some((e) => e.schemaPath.startsWith('#/properties/messages/items/oneOf/2/properties/content/'))).toBe(true);
    expect(fn.errors?.every((e) => !e.schemaPath.includes('tgcCompiledApart'))).toBe(true);
  });
});

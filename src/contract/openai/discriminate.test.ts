/**
 * The dispatched validators (./discriminate.ts, ./schemas.ts `dispatched`) answer exactly as ajv
 * does over the schema as given: the same boolean and the same errors (paths, keywords, params,
 * messages, order), for valid bodies and for bodies wrong inside and outside the dispatched
 * oneOfs. And a body the closed schema rejects for unknown keys alone passes the open one, which
 * `unknownKeysOnly` answers without validating.
 */
import { describe, expect, it } from 'vitest';
import { recordedBodies } from './__fixtures__/bodies.js';
import { discriminate, oneOfsDisjoint } from './discriminate.js';
import { closeObjects, dereferencedOpenAISpec, dispatched, newAjv, relaxAndStrip } from './schemas.js';

const document = await dereferencedOpenAISpec();

const user = { role: 'user', content: 'Hello' };
const messages = (...m: unknown[]) => ({ model: 'm', messages: m });
const crafted: unknown[] = [
  messages(user),
  messages(user, { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] }),
  messages({ role: 'wizard', content: 'x' }),
  messages({ content: 'no role' }),
  messages({ role: 5, content: 'x' }),
  messages('a string'),
  messages(null),
  messages([user]),
  messages({ role: 'user' }),
  messages({ role: 'user', content: 5 }),
  messages({ role: 'user', content: [] }),
  messages({ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'u' } }] }),
  messages({ role: 'user', content: [{ type: 'video', video: 1 }] }),
  messages({ role: 'user', content: [{ text: 'no type' }] }),
  messages({ role: 'user', content: 'x', name: 'n', extra: true }),
  messages({ role: 'tool', content: 'x' }),
  messages({ role: 'tool', content: 'x', tool_call_id: 'a', unknown: 1 }),
  messages({ role: 'system', content: 'x', tool_call_id: 'a' }),
  messages({ role: 'developer', content: [{ type: 'text', text: 'a', extra: 1 }] }),
  messages({ role: 'assistant', tool_calls: [{ id: 'a', type: 'custom', custom: { name: 'c', input: 'i' } }] }),
  messages({ role: 'assistant', tool_calls: [{ id: 'a', type: 'nope' }] }),
  { ...messages(user), tools: [{ type: 'function', function: { name: 'f' } }, { type: 'custom', custom: { name: 'c' } }] },
  { ...messages(user), tools: [{ type: 'other' }, 'x'] },
  { ...messages(user), response_format: { type: 'json_schema', json_schema: { name: 'n', schema: {} } } },
  { ...messages(user), response_format: { type: 'json_object', extra: 1 } },
  { ...messages(user), response_format: { type: 'grammar' } },
  { ...messages(user), response_format: 'json' },
  { ...messages(user), tool_choice: { type: 'function', function: { name: 'f' } } },
  { ...messages(user), stop: 5, temperature: 'hot', unknown: 1 },
  { model: 'm' },
  [],
  'body',
];

const bodies = [...recordedBodies(), ...crafted];
const NAMES = ['ChatCompletionRequest', 'CompletionRequest', 'ChatCompletion', 'ChatCompletionChunk', 'Completion', 'CompletionChunk', 'ModelList'];

describe('dispatched validators', () => {
  it('dispatch the tagged oneOfs of the request (messages by role, parts, tools, response_format)', () => {
    const { regions } = discriminate(relaxAndStrip(document.components.schemas['ChatCompletionRequest']));
    expect(regions).toContain('#/properties/messages/items');
    expect(regions).toContain('#/properties/tools/items');
    expect(regions).toContain('#/properties/response_format');
  });

  for (const name of NAMES) {
    for (const closed of [false, true]) {
      it(`give ajv's own answer and errors: ${name} (${closed ? 'strict' : 'lenient'})`, () => {
        const clean = relaxAndStrip(document.components.schemas[name]) as object;
        const schema = (closed ? closeObjects(clean) : clean) as object;
        const reference = newAjv().compile(schema);
        const fast = dispatched(newAjv({ discriminator: true }), schema);
        for (const body of bodies) {
          const expected = reference(body);
          expect(fast(body)).toBe(expected);
          expect(fast.errors).toEqual(reference.errors);
        }
      });
    }

    it(`accept leniently what only unknown keys fail strictly: ${name}`, () => {
      const clean = relaxAndStrip(document.components.schemas[name]) as object;
      expect(oneOfsDisjoint(clean)).toBe(true);
      const strict = newAjv().compile(closeObjects(clean) as object);
      const lenient = newAjv().compile(clean);
      for (const body of bodies) {
        if (!strict(body) && strict.errors?.every((e) => e.keyword === 'additionalProperties')) expect(lenient(body)).toBe(true);
      }
    });
  }
});

/**
 * `contract.chunk` answers a bigint-free chunk the strict schema accepts without validateWith's
 * general path, and hands validateWith the strict verdict it already has otherwise. Both must give
 * what validateWith alone gives (findings, their event, the value): checked on the recorded chunks
 * and on many chunks made by mutating them (a value replaced, a key removed or added), for the
 * chat and the completions schema, bigint-free or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExactJson } from '../../core/json.js';
import { validateWith } from '../contract.js';
import { asIsOrMutated, mutationOf, recordedBodies } from './__fixtures__/bodies.js';
import { loadOpenAIContract } from './contract.js';
import { loadOpenAISchemas } from './schemas.js';
import { OPENAI_CHECK } from './types.js';

const contract = await loadOpenAIContract();
const schemas = await loadOpenAISchemas();

const crafted: unknown[] = [
  { id: 'a', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'x' }, finish_reason: null, logprobs: null }] },
  { id: 'a', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'x', finish_reason: null, logprobs: null }] },
  { id: 'a', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
];
const bases = [...recordedBodies({ chunksOnly: true }), ...crafted];

const value = fc.oneof(
  fc.constantFrom('assistant', 'user', 'stop', 'length', '', 'chat.completion.chunk', 'text_completion'),
  fc.constantFrom(0, -1, 1, 2.5, null, true, [], {}),
  fc.constant({ role: 'assistant', content: 'x' }),
  fc.jsonValue({ maxDepth: 2 }),
);
const mutation = mutationOf(value, ['delta', 'content', 'text', 'index', 'extra', 'usage', 'role', 'finish_reason']);
const chunkBody = asIsOrMutated(bases, mutation);

describe('contract.chunk', () => {
  for (const kind of ['chat', 'completions'] as const) {
    it(`gives validateWith's own findings and value: ${kind}`, () => {
      const pair = kind === 'chat' ? schemas.ChatCompletionChunk : schemas.CompletionChunk;
      fc.assert(
        fc.property(chunkBody, fc.boolean(), fc.nat({ max: 40 }), (body, bigIntFree, event) => {
          const data = body as ExactJson;
          const got = contract.chunk(data, kind, event, bigIntFree);
          const expected = validateWith(pair, data, OPENAI_CHECK.chunkSchema, 'stream chunk', '', [], bigIntFree);
          for (const f of expected.findings) f.event = event;
          expect(got).toEqual(expected);
          expect('value' in got).toBe('value' in expected);
        }),
        { numRuns: 1500 },
      );
    });
  }
});

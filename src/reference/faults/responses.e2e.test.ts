/**
 * Wire tests of the faults in non-stream responses (schema and invariants N-1 … N-11): the same
 * deterministic request goes to a faithful and a faulty server on real ports, and the test
 * asserts the exact difference between the two raw bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../server.js';
import { post, serve, withServer, type WireReply } from './__fixtures__/wire.js';
import { FOLLOWED, OVERRUN } from './grammar-output-overruns.js';

const PROMPT = 'Once upon a time, in a small village,';
const greedy = (parameters: Record<string, unknown>) => ({ inputs: PROMPT, parameters: { details: true, max_new_tokens: 4, ...parameters } });

let faithful: ReferenceServer;
beforeAll(async () => {
  faithful = await serve(null);
});
afterAll(() => faithful.close());

async function both(fault: string, path: string, request: unknown): Promise<{ want: WireReply; got: WireReply }> {
  const want = await post(faithful, path, request);
  const got = await withServer(serve(fault), (server) => post(server, path, request));
  expect([want.status, got.status]).toEqual([200, 200]);
  return { want, got };
}

const DETAILS = greedy({});

/** Faults whose raw body is the faithful one with one textual edit. */
const edits: [fault: string, request: unknown, path: string, edit: (faithfulText: string) => string][] = [
  ['generated-text-renamed', DETAILS, '/generate', (t) => t.replace('{"generated_text":', '{"generatedText":')],
  ['details-missing-generated-tokens', DETAILS, '/generate', (t) => t.replace(/"generated_tokens":\d+,/, '')],
  ['generated-tokens-as-string', DETAILS, '/generate', (t) => t.replace(/"generated_tokens":(\d+)/, '"generated_tokens":"$1"')],
  ['finish-reason-wrong-enum', DETAILS, '/generate', (t) => t.replace('"finish_reason":"length"', '"finish_reason":"max_tokens"')],
  ['compat-route-not-wrapped', { ...DETAILS, stream: false }, '/', (t) => t.slice(1, -1)],
  ['generated-tokens-off-by-one', DETAILS, '/generate', (t) => t.replace('"generated_tokens":4', '"generated_tokens":5')],
  ['finish-reason-eos-on-length', DETAILS, '/generate', (t) => t.replace('"finish_reason":"length"', '"finish_reason":"eos_token"')],
  ['stop-sequence-reported-on-length', greedy({ stop: ['zzz'] }), '/generate', (t) => t.replace('"finish_reason":"length"', '"finish_reason":"stop_sequence"')],
  ['prefill-first-logprob-set', greedy({ decoder_input_details: true }), '/generate', (t) => t.replace(/("prefill":\[\{"id":\d+,"text":"[^"]*","logprob":)null/, '$1-1')],
  ['logprob-positive', DETAILS, '/generate', (t) => t.replace(/("tokens":\[.*)/, (tokens) => tokens.replace(/"logprob":-/g, '"logprob":'))],
];

describe('faults in non-stream responses, on the wire', () => {
  it.each(edits)('%s', async (fault, request, path, edit) => {
    const { want, got } = await both(fault, path, request);
    expect(edit(want.text)).not.toBe(want.text);
    expect(got.text).toBe(edit(want.text));
  });

  it('max-new-tokens-exceeded: max_new_tokens + 1 tokens, finish_reason length', async () => {
    const { want, got } = await both('max-new-tokens-exceeded', '/generate', DETAILS);
    expect(want.json.details.tokens).toHaveLength(4);
    expect(got.json.details).toMatchObject({ finish_reason: 'length', generated_tokens: 5 });
    expect(got.json.details.tokens.slice(0, 4)).toEqual(want.json.details.tokens);
  });

  it('generated-text-drops-last-token: generated_text lacks the last token\'s text', async () => {
    const { want, got } = await both('generated-text-drops-last-token', '/generate', DETAILS);
    const last: string = want.json.details.tokens.at(-1).text;
    expect(last).not.toBe('');
    expect(got.json.generated_text).toBe(want.json.generated_text.slice(0, -last.length));
    expect(got.json.details).toEqual(want.json.details);
  });

  it('top-tokens-list-missing: one list fewer than tokens', async () => {
    const { want, got } = await both('top-tokens-list-missing', '/generate', greedy({ top_n_tokens: 2 }));
    expect(want.json.details.top_tokens).toHaveLength(4);
    expect(got.json.details.top_tokens).toEqual(want.json.details.top_tokens.slice(0, 3));
  });

  it('best-of-sequences-missing: best_of 2 without best_of_sequences', async () => {
    const request = greedy({ best_of: 2, do_sample: true });
    const { want, got } = await both('best-of-sequences-missing', '/generate', request);
    expect(want.json.details.best_of_sequences).toHaveLength(1);
    expect(got.text).not.toContain('best_of_sequences');
    expect(got.json.details.tokens).toHaveLength(4);
  });

  it('seed-rounded: a u64 seed above 2^53 comes back rounded to a double', async () => {
    const request = '{"inputs":"a","parameters":{"seed":12345678901234567891,"do_sample":true,"details":true,"max_new_tokens":2}}';
    const { want, got } = await both('seed-rounded', '/generate', request);
    expect(want.text).toContain('"seed":12345678901234567891,');
    expect(got.text).toBe(want.text.replace('"seed":12345678901234567891,', '"seed":12345678901234567168,'));
  });

  it('return-full-text-ignored: no prompt prefix', async () => {
    const { want, got } = await both('return-full-text-ignored', '/generate', greedy({ return_full_text: true, details: false }));
    expect(want.json.generated_text.startsWith(PROMPT)).toBe(true);
    expect(got.text).toBe(JSON.stringify({ generated_text: want.json.generated_text.slice(PROMPT.length) }));
  });

  it.each([
    ['a regex', { type: 'regex', value: '(yes|no)' }],
    ['a JSON schema', { type: 'json', value: { properties: { ok: { type: 'boolean' } }, required: ['ok'] } }],
  ])('grammar-output-overruns: %s followed for 3 characters, then "!"', async (_what, grammar) => {
    const request = greedy({ max_new_tokens: 40, grammar });
    const { want, got } = await both('grammar-output-overruns', '/generate', request);
    expect(want.json.details.finish_reason).toBe('eos_token');
    expect(got.json.generated_text).toBe(`${want.json.generated_text.slice(0, FOLLOWED)}${OVERRUN}`);
    expect(got.json.details.finish_reason).toBe('eos_token');
  });
});

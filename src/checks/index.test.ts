import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FinishReason, GenerateRequest, GenerateResponse, StreamEvent } from '../core/api.js';
import type { ExchangeView, RouteName } from '../core/exchange.js';
import { outcome } from './__fixtures__/builders.js';
import { createRegistry } from './check.js';
import { invariantChecks, invariantRegistry } from './index.js';

describe('invariantChecks', () => {
  it('has unique kebab-case ids, all in the registry', () => {
    expect(invariantRegistry.size).toBe(invariantChecks.length);
    for (const check of invariantChecks) expect(check.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('refuses a duplicate id', () => {
    const first = invariantChecks[0];
    expect(first).toBeDefined();
    if (first !== undefined) expect(() => createRegistry([first, first])).toThrow(/already registered/);
  });

  it.each(invariantChecks.map((c) => [c.id, c] as const))('%s cites its rule and declares its kinds', (_id, check) => {
    expect(check.source).toMatch(/tgi-behavior\.md §2b N-\d+/);
    expect(check.rule.length).toBeGreaterThan(20);
    const kinds = Object.entries(check.kinds ?? {});
    expect(kinds.length).toBeGreaterThan(0);
    // The check's severity is that of its main finding: some kind has it.
    expect(kinds.some(([, k]) => k.severity === check.severity)).toBe(true);
    for (const [kind] of kinds) expect(kind).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

// Checks never throw on schema-valid input: a property over arbitrary schema-shaped exchanges.
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('</s>', ' ', '', 'test', 'What is'));
const logprob = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -20, max: 2 }), fc.constant(null));
const token = fc.record({ id: fc.nat(), text, logprob, special: fc.boolean() });
const prefillToken = fc.record({ id: fc.nat(), text, logprob });
const seed = fc.oneof(fc.constant(null), fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const finishReason = fc.constantFrom('length', 'eos_token', 'stop_sequence') as fc.Arbitrary<FinishReason>;
const tokens = fc.array(token, { maxLength: 5 });
const sequenceFields = {
  finish_reason: finishReason,
  generated_tokens: fc.nat(12),
  seed,
  prefill: fc.array(prefillToken, { maxLength: 4 }),
  tokens,
  top_tokens: fc.array(tokens, { maxLength: 5 }),
};
const details = fc.record(
  { ...sequenceFields, best_of_sequences: fc.array(fc.record({ ...sequenceFields, generated_text: text }, { requiredKeys: ['finish_reason', 'generated_tokens', 'prefill', 'tokens', 'generated_text'] }), { maxLength: 3 }) },
  { requiredKeys: ['finish_reason', 'generated_tokens', 'prefill', 'tokens'] },
);
const streamDetails = fc.record(
  { finish_reason: finishReason, generated_tokens: fc.nat(12), seed, input_length: fc.nat(9) },
  { requiredKeys: ['finish_reason', 'generated_tokens'] },
);
const event = fc.record(
  { index: fc.nat(6), token, top_tokens: tokens, generated_text: fc.option(text), details: fc.option(streamDetails) },
  { requiredKeys: ['token'] },
);
const parameters = fc.record(
  {
    best_of: fc.option(fc.nat(3)),
    decoder_input_details: fc.boolean(),
    details: fc.boolean(),
    do_sample: fc.boolean(),
    max_new_tokens: fc.option(fc.integer({ min: 1, max: 2000 })),
    return_full_text: fc.option(fc.boolean()),
    seed: fc.option(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))),
    stop: fc.array(text, { maxLength: 2 }),
    temperature: fc.option(fc.double({ min: 0.1, max: 2, noNaN: true })),
    top_k: fc.option(fc.integer({ min: 1, max: 50 })),
    top_n_tokens: fc.option(fc.nat(5)),
    top_p: fc.option(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
    truncate: fc.option(fc.integer({ min: 1, max: 10 })),
    typical_p: fc.option(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
  },
  { requiredKeys: [] },
);
const view: fc.Arbitrary<ExchangeView> = fc
  .record({
    route: fc.constantFrom<RouteName>('POST /', 'POST /generate', 'POST /generate_stream'),
    request: fc.option(fc.record({ inputs: fc.oneof(text, fc.constant('What is')), parameters }, { requiredKeys: ['inputs'] }), { nil: undefined }),
    streamed: fc.boolean(),
    status: fc.constantFrom(200, 422),
    response: fc.option(fc.record({ generated_text: text, details }, { requiredKeys: ['generated_text'] }), { nil: undefined }),
    events: fc.option(fc.array(event, { maxLength: 5 }), { nil: undefined }),
    streamError: fc.option(fc.record({ error: text, error_type: fc.constant('generation') }), { nil: undefined }),
  })
  .map((v) => {
    const out: ExchangeView = { route: v.route, bodyShape: 'either', requestBody: undefined, streamed: v.streamed, status: v.status };
    if (v.request !== undefined) out.request = v.request as GenerateRequest;
    if (v.streamed) {
      if (v.events !== undefined) out.events = v.events as StreamEvent[];
      if (v.streamError !== undefined) out.streamError = v.streamError;
    } else if (v.response !== undefined) out.response = v.response as GenerateResponse;
    return out;
  });

describe('every invariant check', () => {
  it('never throws and returns well-formed findings or a skip reason', () => {
    fc.assert(
      fc.property(view, (given) => {
        for (const check of invariantChecks) {
          const summary = outcome(check, given);
          if (summary !== 'skip') expect(summary.filter((s) => s.startsWith('shape:'))).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

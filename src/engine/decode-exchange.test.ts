import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../core/exchange.js';
import { loadContract } from '../contract/contract.js';
import { decodeExchange } from './decode-exchange.js';

function token(i: number): string {
  return `{"id":${100 + i},"text":"t${i}","logprob":-0.${i}5,"special":false}`;
}

function stream(seed: string): string {
  return (
    `data:{"index":1,"token":${token(1)},"generated_text":null,"details":null}\n\n` +
    `data:{"index":2,"token":${token(2)},"generated_text":"t1t2","details":{"finish_reason":"length","generated_tokens":2,"seed":${seed}}}\n\n`
  );
}

function exchange(text: string): RecordedExchange {
  return {
    route: 'POST /generate_stream',
    request: { inputs: 'x', parameters: { max_new_tokens: 2, details: true, do_sample: true } },
    status: 200,
    stream: text,
  };
}

// decodeStream scans the whole stream once for runs of 16 digits and parses events without their
// own scan when there are none: the seeds must come out the same either way.
describe('decodeExchange, stream events', () => {
  it.each([
    ['a u64 seed beyond 2^53 stays exact', '18446744073709551615', 18446744073709551615n],
    ['a safe 16-digit seed is a number', '1234567890123456', 1234567890123456],
    ['a short seed is a number', '42', 42],
    ['a null seed', 'null', null],
  ])('%s', async (_name, seed, want) => {
    const contract = await loadContract();
    const view = decodeExchange(exchange(stream(seed)), contract);
    expect(view.decodeFindings).toEqual([]);
    expect(view.events?.map((e) => e.index)).toEqual([1, 2]);
    expect(view.events?.[1]?.details?.seed).toBe(want);
  });

  it('reports data that is not JSON, with parseJson\'s words', async () => {
    const contract = await loadContract();
    const view = decodeExchange(exchange('data:{"index":1,\n\n'), contract);
    expect((view.decodeFindings ?? []).map((f) => f.kind)).toContain('data-not-json');
  });
});

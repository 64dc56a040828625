import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../../core/exchange.js';
import type { ExactJson } from '../../core/json.js';
import { loadOpenAIContract } from '../../contract/openai/contract.js';
import type { OpenAIContract } from '../../contract/openai/types.js';
import { decodeOpenAIExchange } from './decode.js';

function chunk(created: string, content: string): string {
  return `{"id":"c1","object":"chat.completion.chunk","created":${created},"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}`;
}

function exchange(stream: string): RecordedExchange {
  return {
    route: 'POST /v1/chat/completions',
    request: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true },
    status: 200,
    stream,
  };
}

/** The real contract, recording what each chunk call received. */
async function spyingContract(): Promise<{ contract: OpenAIContract; seen: { data: ExactJson; bigIntFree: boolean | undefined }[] }> {
  const real = await loadOpenAIContract();
  const seen: { data: ExactJson; bigIntFree: boolean | undefined }[] = [];
  return {
    seen,
    contract: {
      ...real,
      chunk(data, kind, event, bigIntFree) {
        seen.push({ data, bigIntFree });
        return real.chunk(data, kind, event, bigIntFree);
      },
    },
  };
}

// decodeStream scans the whole stream once for runs of 16 digits and parses events without their
// own scan when there are none (as the native decoder does): each event must parse as parseJson
// alone would parse it, exact where an integer is beyond 2^53.
describe('decodeOpenAIExchange, stream events', () => {
  it.each([
    ['an integer beyond 2^53 in one event stays exact in that event', '18446744073709551615', 18446744073709551615n, false],
    ['a safe 16-digit integer is a number', '1234567890123456', 1234567890123456, true],
    ['a short integer is a number', '1733500000', 1733500000, true],
  ])('%s', async (_name, created, want, bigIntFree) => {
    const { contract, seen } = await spyingContract();
    const text = `data: ${chunk('1733500000', 'a')}\n\ndata: ${chunk(created, 'b')}\n\ndata: [DONE]\n\n`;
    const view = decodeOpenAIExchange(exchange(text), contract);
    expect(seen.map((s) => (s.data as { created: unknown }).created)).toEqual([1733500000, want]);
    expect(seen.map((s) => s.bigIntFree)).toEqual([true, bigIntFree]);
    expect(view.doneEvent).toBe(2);
    expect(view.eventData).toHaveLength(3);
    expect(view.notJsonEvents).toEqual([]);
  });

  it('a long digit run inside a string makes the events parse exactly, with the same values', async () => {
    const { contract, seen } = await spyingContract();
    const text = `data: ${chunk('1733500000', '12345678901234567890')}\n\ndata: ${chunk('1733500001', 'b')}\n\ndata: [DONE]\n\n`;
    const view = decodeOpenAIExchange(exchange(text), contract);
    expect(seen.map((s) => (s.data as { created: unknown }).created)).toEqual([1733500000, 1733500001]);
    expect(seen.map((s) => s.bigIntFree)).toEqual([true, true]);
    expect(view.chunks).toHaveLength(2);
    expect(view.decodeFindings).toEqual([]);
  });

  it('an event that is not JSON is recorded by its position, the others still parsed', async () => {
    const { contract, seen } = await spyingContract();
    const text = `data: ${chunk('1733500000', 'a')}\n\ndata: {"id":\n\ndata: ${chunk('1733500001', 'b')}\n\ndata: [DONE]\n\n`;
    const view = decodeOpenAIExchange(exchange(text), contract);
    expect(view.notJsonEvents).toEqual([1]);
    expect(seen).toHaveLength(2);
    expect(view.chunks).toBeUndefined();
    expect(view.doneEvent).toBe(3);
  });
});

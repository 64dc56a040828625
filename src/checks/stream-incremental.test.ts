import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { streamIncremental } from './stream-incremental.js';

const context = {
  api: 'tgi' as const,
  seed: 1,
  maxExamples: 2,
  limits: { maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048 },
  grammarSupported: true,
};
const group = streamIncremental.plan(context)[0] ?? { name: 'x', requests: [] };

function plain(perTokenHeader: string | undefined, totalMs: number, tokens = 16): ExchangeView {
  return {
    route: 'POST /generate',
    bodyShape: 'object',
    requestBody: {},
    streamed: false,
    status: 200,
    bodyKind: 'json',
    headers: perTokenHeader === undefined ? {} : { 'x-time-per-token': perTokenHeader },
    response: { generated_text: '', details: { finish_reason: 'length', generated_tokens: tokens, prefill: [], tokens: [] } },
    timings: { totalMs },
  };
}

function stream(firstByteMs: number, eventMs: number[]): ExchangeView {
  return {
    route: 'POST /generate_stream',
    bodyShape: 'object',
    requestBody: {},
    streamed: true,
    status: 200,
    bodyKind: 'sse',
    timings: { firstByteMs, eventMs },
  };
}

const spaced = (start: number, step: number, n = 16): number[] => Array.from({ length: n }, (_, i) => start + i * step);

describe('stream-incremental', () => {
  it('plans the same greedy request without and with streaming', () => {
    expect(group.requests.map((r) => r.route)).toEqual(['POST /generate', 'POST /generate_stream']);
    expect(group.requests[0]?.body).toEqual(group.requests[1]?.body);
  });

  it.each<[string, { views: ExchangeView[]; want: string[] | 'skip' }]>([
    ['fires on a burst after the last token (20 ms per token)', { views: [plain('20', 330), stream(2, spaced(321, 0.05))], want: ['stream-held-back'] }],
    ['fires without the header, from the total time', { views: [plain(undefined, 320), stream(2, spaced(321, 0.05))], want: ['stream-held-back'] }],
    ['silent on a stream spaced by its per-token time', { views: [plain('20', 330), stream(2, spaced(22, 20))], want: [] }],
    ['silent on a slow first token then fast tokens (warm-up)', { views: [plain('1', 40), stream(2, spaced(120, 0.05))], want: 'skip' }],
    ['silent on a slow prefill followed by spaced events', { views: [plain('20', 1330), stream(2, spaced(1000, 20))], want: [] }],
    ['skips a stream too short to judge', { views: [plain('20', 120, 5), stream(2, spaced(101, 0.05, 5))], want: 'skip' }],
    ['skips without timings', { views: [plain('20', 330), { ...stream(2, []), timings: undefined } as ExchangeView], want: 'skip' }],
  ])('%s', (_name, { views, want }) => {
    const result = streamIncremental.assess(group, views);
    if (want === 'skip') {
      expect(Array.isArray(result)).toBe(false);
      return;
    }
    expect(Array.isArray(result)).toBe(true);
    if (Array.isArray(result)) {
      expect(result.map((f) => f.kind)).toEqual(want);
      for (const f of result) expect(f.severity).toBe('violation');
    }
  });
});

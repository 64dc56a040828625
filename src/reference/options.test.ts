import { describe, expect, it } from 'vitest';
import { MOCK_OPTION_SPECS, parseMockOptions, ReferenceServerError, resolveReferenceOptions } from './options.js';

describe('resolveReferenceOptions', () => {
  it('fills TGI launcher defaults', () => {
    expect(resolveReferenceOptions()).toMatchObject({ profile: 'tgi', maxConcurrentRequests: 128, maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048, payloadLimit: 2_000_000, grammar: true });
  });

  it.each([
    [{ maxInputTokens: 10, maxTotalTokens: 10 }, /maxInputTokens \(10\) must be less than maxTotalTokens \(10\)/],
    [{ maxConcurrentRequests: 0 }, /maxConcurrentRequests must be an integer >= 1, got 0/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ profile: 'anthropic' as never }, /profile/],
    [{ apiKey: '' }, /apiKey/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveReferenceOptions(options)).toThrow(message);
  });
});

describe('parseMockOptions', () => {
  it('turns command-line strings into options, with defaults', () => {
    const o = parseMockOptions({ port: '0', latencyMs: '25', profile: 'hf', loadingMs: '1000', apiKey: 'k', grammar: false, checkClient: true, fault: 'stream-index-from-zero' });
    expect(o).toMatchObject({ port: 0, host: '127.0.0.1', latencyMs: 25, profile: 'hf', loadingMs: 1000, apiKey: 'k', grammar: false, checkClient: true });
    expect(o.fault?.name).toBe('stream-index-from-zero');
    expect(parseMockOptions({})).toMatchObject({ port: 8080, host: '127.0.0.1', profile: 'tgi' });
    expect(parseMockOptions({}).samplingSeed).toBeUndefined();
    expect(parseMockOptions({ samplingSeed: '18446744073709551615' }).samplingSeed).toBe(2n ** 64n - 1n);
  });

  it.each([
    [{ port: 'abc' }, '--port must be a non-negative integer, got "abc"'],
    [{ port: '70000' }, '--port must be at most 65535, got 70000'],
    [{ latencyMs: '-5' }, '--latency-ms must be a non-negative integer, got "-5"'],
    [{ profile: 'x' }, '--profile must be tgi, hf or openai, got "x"'],
    [{ fault: 'nope' }, 'unknown fault "nope"'],
    [{ samplingSeed: '18446744073709551616' }, '--sampling-seed must be an integer from 0 to 18446744073709551615, got "18446744073709551616"'],
    [{ samplingSeed: '-1' }, '--sampling-seed must be an integer from 0 to'],
    [{ samplingSeed: '1e3' }, '--sampling-seed must be an integer from 0 to'],
  ])('names the bad value: %j', (raw, message) => {
    let error: unknown;
    try {
      parseMockOptions(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReferenceServerError);
    expect((error as ReferenceServerError).code).toBe('INVALID_OPTIONS');
    expect((error as Error).message).toContain(message);
  });

  it('describes one flag per option key it reads', () => {
    expect(MOCK_OPTION_SPECS.map((s) => s.flags.split(' ')[0])).toContain('--latency-ms');
    expect(MOCK_OPTION_SPECS.map((s) => s.flags.split(' ')[0])).toContain('--no-grammar');
  });
});

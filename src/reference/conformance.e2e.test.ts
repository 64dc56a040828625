/**
 * The reference server honours the contract it serves: thousands of generated valid requests,
 * over real HTTP, streaming and not, get answers on which every validator and check is silent;
 * and the real @huggingface/inference client (4.13.16, called as a user calls it) gets correct
 * results while every request it sends passes --check-client.
 */
import { HfInference } from '@huggingface/inference';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validGenerateRequest, type GenerateRoute } from '../arbitraries/valid-generate-request.js';
import { allChecks } from '../checks/index.js';
import type { RouteName } from '../core/exchange.js';
import { stringifyJson, type ExactJson } from '../core/json.js';
import { loadContract } from '../contract/contract.js';
import { inspectExchange } from '../engine/inspect-exchange.js';
import { DEFAULT_LIMITS, send, toRecordedExchange } from '../transport/index.js';
import { CLIENT_FINDINGS_HEADER, startReferenceServer, type ReferenceServer } from './index.js';

const RUNS_PER_ROUTE = 500;

describe('the reference server against its own contract, over HTTP', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({});
  });
  afterAll(async () => {
    await server?.close();
  });

  const variants: [RouteName, GenerateRoute, boolean][] = [
    ['POST /generate', '/generate', false],
    ['POST /generate_stream', '/generate_stream', true],
    ['POST /', '/', false],
    ['POST /', '/', true],
  ];
  it.each(variants)(`${RUNS_PER_ROUTE} valid requests on %s (arbitrary for %s, stream %s): no finding`, async (route, arbRoute, stream) => {
    const contract = await loadContract();
    const path = route === 'POST /' ? '/' : route.slice('POST '.length);
    await fc.assert(
      fc.asyncProperty(validGenerateRequest({ route: arbRoute, stream, maxNewTokens: 12, boundedGeneration: true }), async (request) => {
        const body = (route === 'POST /' ? { ...request, stream } : request) as unknown as ExactJson;
        const result = await send(
          { method: 'POST', url: `${server.url}${path}`, headers: { 'content-type': 'application/json' }, body: stringifyJson(body) },
          DEFAULT_LIMITS,
        );
        const exchange = toRecordedExchange(route, body, result);
        expect(exchange).toBeDefined();
        if (!exchange) return;
        exchange.api = 'tgi';
        exchange.expectation = { outcome: 'accept', purpose: 'positive' };
        const { findings } = inspectExchange(exchange, contract, allChecks);
        expect(findings.map((f) => `${f.severity} ${f.check}: ${f.message}`), stringifyJson(body)).toEqual([]);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: 42 },
    );
  });
});

describe('the real @huggingface/inference 4.13.16 client against the reference server', () => {
  let server: ReferenceServer;
  const log: string[] = [];
  const clientFindings: string[] = [];
  beforeAll(async () => {
    server = await startReferenceServer({ checkClient: true, log: (line) => log.push(line) });
  });
  afterAll(async () => {
    await server?.close();
  });

  // The client, as its users call it: endpointUrl, no retry on 503.
  const client = (): ReturnType<HfInference['endpoint']> => {
    // Watch the check-client header on every answer without changing what the client sees.
    const watching: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const value = response.headers.get(CLIENT_FINDINGS_HEADER);
      if (value !== null && value !== 'none') clientFindings.push(value);
      return response;
    };
    return new HfInference(undefined, { fetch: watching }).endpoint(server.url);
  };

  it('textGeneration with details, stop and a seed', async () => {
    const out = await client().textGeneration(
      { inputs: 'The capital of France is', parameters: { details: true, do_sample: true, seed: 7, max_new_tokens: 12, stop: ['e'] } },
      { retry_on_error: false },
    );
    expect(typeof out.generated_text).toBe('string');
    const details = (out as { details?: { seed?: number; finish_reason: string; tokens: { text: string }[] } }).details;
    expect(details?.seed).toBe(7);
    if (details?.finish_reason === 'stop_sequence') expect(out.generated_text.endsWith('e')).toBe(true);
    const again = await client().textGeneration(
      { inputs: 'The capital of France is', parameters: { details: true, do_sample: true, seed: 7, max_new_tokens: 12, stop: ['e'] } },
      { retry_on_error: false },
    );
    expect(again.generated_text).toBe(out.generated_text);
  });

  it('textGenerationStream gives the same tokens as the non-stream call with the same seed', async () => {
    const parameters = { details: true, do_sample: true, seed: 11, max_new_tokens: 10 };
    const plain = await client().textGeneration({ inputs: 'Hello', parameters }, { retry_on_error: false });
    const texts: string[] = [];
    let final: string | null | undefined;
    for await (const event of client().textGenerationStream({ inputs: 'Hello', parameters }, { retry_on_error: false })) {
      if (!event.token.special) texts.push(event.token.text);
      if (event.generated_text) final = event.generated_text;
    }
    expect(final).toBe(plain.generated_text);
    expect(plain.generated_text.endsWith(texts.join(''))).toBe(true);
  });

  it('surfaces a 422 as its error, with the status and the body', async () => {
    const error = await client()
      .textGeneration({ inputs: 'Hello', parameters: { temperature: 0 } }, { retry_on_error: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const http = (error as { httpResponse?: { status: number; body: unknown } }).httpResponse;
    expect(http?.status).toBe(422);
    expect(JSON.stringify(http?.body)).toContain('`temperature` must be strictly positive');
  });

  it('sent nothing that --check-client objects to, but the invalid request it was asked to send', () => {
    expect(clientFindings).toEqual(['violation:temperature-positive']);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('temperature');
  });
});

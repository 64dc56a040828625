import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { everyCheck } from '../../apis/index.js';
import { allChecks, scenarioChecks } from '../../checks/index.js';
import { reference } from '../__fixtures__/client.js';
import { MOCK_OPTION_SPECS } from '../options.js';
import { ownFailure } from './_support.js';
import { composeFaults, faults, findFault } from './index.js';

describe('fault catalogue', () => {
  it('lists unique kebab-case names, each findable', () => {
    const names = faults.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(findFault(name)?.name).toBe(name);
    }
    expect(findFault('nope')).toBeUndefined();
  });

  it('has at least 45 faults, one file each, named after the fault', () => {
    expect(faults.length).toBeGreaterThanOrEqual(45);
    const files = new Set(readdirSync(new URL('.', import.meta.url)).filter((f) => /^[a-z0-9-]+\.ts$/.test(f) && !f.endsWith('.test.ts')));
    for (const f of faults) expect(files.has(`${f.name}.ts`), f.name).toBe(true);
    const helpers = ['fault.ts', 'index.ts'];
    expect([...files].filter((f) => !helpers.includes(f) && !faults.some((x) => `${x.name}.ts` === f))).toEqual([]);
  });

  it('shows every fault on the wire in an e2e test', () => {
    const dir = new URL('.', import.meta.url);
    const wire = readdirSync(dir)
      .filter((f) => f.endsWith('.e2e.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    expect(faults.map((f) => f.name).filter((name) => !wire.includes(`'${name}'`))).toEqual([]);
  });

  it('names, for each fault, a check that exists and fails runs (not the warning-only error-message-exact)', () => {
    const ids = new Set([...allChecks.map((c) => c.id), ...scenarioChecks.map((c) => c.id), ...everyCheck().map((c) => c.id)]);
    for (const f of faults) {
      expect(f.detectedBy, f.name).toBeDefined();
      expect(ids.has(f.detectedBy ?? ''), `${f.name} → ${String(f.detectedBy)}`).toBe(true);
      expect(f.detectedBy).not.toBe('error-message-exact');
      expect(f.description.length, f.name).toBeGreaterThan(10);
    }
  });

  it('says how to start the mock and run tgc where the defaults do not show the fault', () => {
    const flags = MOCK_OPTION_SPECS.map((s) => s.flags);
    const flagOf: Record<string, string> = { apiKey: '--api-key', profile: '--profile', loadingMs: '--loading-ms', latencyMs: '--latency-ms' };
    for (const f of faults) {
      for (const key of Object.keys(f.mockOptions ?? {})) expect(flags.some((fl) => fl.startsWith(flagOf[key] ?? '?')), `${f.name}: ${key}`).toBe(true);
      if (f.runOptions?.authRequired) expect(f.mockOptions?.apiKey, f.name).toBeDefined();
      if (f.runOptions?.api === 'hf') expect(f.mockOptions?.profile, f.name).toBe('hf');
      if (f.mockOptions?.profile === 'hf') expect(f.runOptions?.api, f.name).toBe('hf');
    }
    expect(findFault('auth-missing-key-accepted')?.runOptions).toEqual({ authRequired: true });
    expect(findFault('hf-wait-for-model-ignored')?.runOptions).toMatchObject({ api: 'hf', headers: { 'x-wait-for-model': 'true' } });
  });

  it('top-p-one-accepted: 200 where TGI answers 422, other rules untouched', async () => {
    const server = reference({ fault: findFault('top-p-one-accepted') });
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_p: 1.0, max_new_tokens: 2 } })).status).toBe(200);
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_p: 0 } })).status).toBe(422);
    expect((await server.post('/generate', { inputs: 'a', parameters: { top_k: 0 } })).status).toBe(422);
  });

  it('stream-index-from-zero: indexes 0..N-1', async () => {
    const reply = await reference({ fault: findFault('stream-index-from-zero') }).post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 3 } });
    expect(reply.events.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('generated-tokens-off-by-one: generated_tokens says one more than tokens holds, on / too', async () => {
    const server = reference({ fault: findFault('generated-tokens-off-by-one') });
    const reply = await server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 3, details: true } });
    expect(reply.json.details.generated_tokens).toBe(reply.json.details.tokens.length + 1);
    const compat = await server.post('/', { inputs: 'a', parameters: { max_new_tokens: 3, details: true } });
    expect(compat.json[0].details.generated_tokens).toBe(compat.json[0].details.tokens.length + 1);
    expect((await server.post('/generate', { inputs: '' })).json.error_type).toBe('validation');
  });

  it('composes faults, and leaves the faithful server as it was', async () => {
    const both = composeFaults('both', [findFault('stream-index-from-zero'), findFault('top-p-one-accepted')].filter((f) => f !== undefined));
    const server = reference({ fault: both });
    const stream = await server.post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2, top_p: 1.0 } });
    expect(stream.events.map((e) => e.index)).toEqual([0, 1]);
    const faithful = await reference().post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2 } });
    expect(faithful.events.map((e) => e.index)).toEqual([1, 2]);
  });

  it('offers every hook: body, body text, events, frames, headers, status, request', async () => {
    const server = reference({
      fault: {
        name: 'all-hooks',
        description: 'test',
        transformRequest: (valid) => ({ ...valid, maxNewTokens: 1 }),
        transformResponseBody: (body, ctx) => (ctx.status === 200 && !Array.isArray(body) && typeof body === 'object' && body ? { ...body, extra: true } : body),
        transformBodyText: (text) => ` ${text}`,
        transformEvent: (event) => [event, event],
        transformFrame: (frame) => frame.replace('data:', 'data: '),
        transformHeaders: (headers) => headers.set('x-fault', '1'),
        transformStatus: (status) => (status === 422 ? 400 : status),
      },
    });
    const plain = await server.post('/generate', { inputs: 'a', parameters: { max_new_tokens: 5, details: true } });
    expect(plain.text.startsWith(' {')).toBe(true);
    expect(plain.json).toMatchObject({ extra: true, details: { generated_tokens: 1 } });
    expect(plain.headers.get('x-fault')).toBe('1');
    expect((await server.post('/generate', { inputs: '' })).status).toBe(400);
    const stream = await server.post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 5 } });
    expect(stream.text.startsWith('data: {')).toBe(true);
    expect(stream.text.split('\n\n').filter(Boolean)).toHaveLength(2);
  });

  it('offers the request-side and stream hooks, composed', async () => {
    const seen: string[] = [];
    const fault = composeFaults('new-hooks', [
      {
        name: 'a',
        description: 'test',
        mockOptions: { apiKey: 'k' },
        transformRequestHeaders: (headers) => headers.set('x-seen', 'yes'),
        authorize: (ok, ctx) => ok || ctx.authorization === null,
        transformRequestText: (text) => text.replace('"inputs":"zz"', '"inputs":"a"'),
        rejectRequest: (req, ctx) => {
          seen.push(ctx.requestHeaders?.get('x-seen') ?? 'none');
          return req.parameters.seed === 7n ? ownFailure('no 7') : null;
        },
      },
      {
        name: 'b',
        description: 'test',
        runOptions: { authRequired: true },
        streamFailureAsStatus: (failure) => failure.rule === '2',
        transformEventSource: async function* (events) {
          for await (const e of events) yield e;
          yield { error: 'extra', error_type: 'generation' };
        },
      },
    ]);
    expect(fault.mockOptions).toEqual({ apiKey: 'k' });
    expect(fault.runOptions).toEqual({ authRequired: true });
    const server = reference({ fault, apiKey: 'k' });
    const plain = await server.post('/generate', { inputs: 'zz', parameters: { max_new_tokens: 1 } });
    expect(plain.status).toBe(200);
    expect(seen).toEqual(['yes']);
    expect((await server.post('/generate', { inputs: 'a' }, { authorization: 'Bearer nope' })).status).toBe(401);
    const own = await server.post('/generate', { inputs: 'a', parameters: { seed: 7 } });
    expect([own.status, own.json]).toEqual([422, { error: 'Input validation error: no 7', error_type: 'validation' }]);
    expect((await server.post('/generate_stream', { inputs: 'a', parameters: { seed: 7 } })).events[0]).toEqual({ error: 'Input validation error: no 7', error_type: 'validation' });
    const asStatus = await server.post('/generate_stream', { inputs: 'a', parameters: { temperature: 0 } });
    expect([asStatus.status, asStatus.json?.error_type]).toEqual([422, 'validation']);
    const stream = await server.post('/generate_stream', { inputs: 'a', parameters: { max_new_tokens: 2 } });
    expect(stream.events.map((e) => e.index ?? e.error)).toEqual([1, 2, 'extra']);
  });

  it('hf: the loading hook decides per request', async () => {
    let n = 0;
    const server = reference({ profile: 'hf', fault: { name: 'cold', description: 'test', loadingMs: (ms) => (n++ === 0 ? 500 : ms) } });
    const first = await server.post('/models/m', { inputs: 'a', parameters: { max_new_tokens: 1 } });
    expect(first.status).toBe(503);
    expect(first.json).toEqual({ error: 'Model m is currently loading', estimated_time: 0.5 });
    expect((await server.post('/models/m', { inputs: 'a', parameters: { max_new_tokens: 1 } })).status).toBe(200);
  });
});

/**
 * Each fault is caught, in-process, by the check it names: a few requests of the kind a run
 * sends (with the expectation the engine attaches) go to the faulty handlers, and the recorded
 * exchanges are inspected with every check. The same requests to the faithful server give no
 * violation at all, so the finding is the fault's doing.
 */
import { describe, expect, it } from 'vitest';
import { determinism } from '../../checks/determinism.js';
import { scenarioChecks } from '../../checks/index.js';
import { streamEquivalence } from '../../checks/stream-equivalence.js';
import type { CaseExpectation, RouteName } from '../../core/exchange.js';
import type { ExactJson } from '../../core/json.js';
import type { ReferenceServerOptions } from '../options.js';
import { probeAll, runScenario, type Probe, type Probed } from './__fixtures__/probe.js';
import type { Fault } from './fault.js';
import { faults } from './index.js';

const PROMPT = 'The capital of France is';
/** A prompt whose greedy continuation runs 16 tokens without an end-of-sequence token. */
const LONG = 'Once upon a time, in a small village,';

type Params = { [key: string]: ExactJson };

const accept: CaseExpectation = { outcome: 'accept', purpose: 'positive', label: 'a valid request' };

function reject(rule: string, stream: boolean): CaseExpectation {
  return { outcome: 'reject', purpose: 'negative', rule, errorType: 'validation', status: stream ? 200 : 422, label: `rule ${rule}` };
}

/** A valid request on /generate (or the given route). */
function pos(parameters: Params, o: { route?: RouteName; inputs?: string } = {}): Probe {
  const route = o.route ?? 'POST /generate';
  return { route, body: { inputs: o.inputs ?? PROMPT, parameters }, expectation: accept };
}

/** A valid stream request on /generate_stream. */
function posStream(parameters: Params, inputs = PROMPT): Probe {
  return pos(parameters, { route: 'POST /generate_stream', inputs });
}

/** The engine's negative case for a §2c rule, on /generate and on /generate_stream. */
function neg(rule: string, parameters: Params, o: { inputs?: string; streamOnly?: boolean } = {}): Probe[] {
  const routes: RouteName[] = o.streamOnly === true ? ['POST /generate_stream'] : ['POST /generate', 'POST /generate_stream'];
  return routes.map((route) => ({
    route,
    body: { inputs: o.inputs ?? PROMPT, parameters: { max_new_tokens: 8, ...parameters } },
    expectation: reject(rule, route === 'POST /generate_stream'),
  }));
}

const DETAILS = { details: true, max_new_tokens: 4 };
const STREAM = { details: true, max_new_tokens: 10 };

/** The probes that show each fault (scenario faults are probed by their scenario check). */
const PROBES: Record<string, Probe[]> = {
  'top-p-one-accepted': neg('5', { top_p: 1.0 }),
  'temperature-zero-accepted': neg('2', { temperature: 0 }),
  'top-k-zero-accepted': neg('7', { top_k: 0 }),
  'frequency-penalty-three-accepted': neg('4', { frequency_penalty: 2.5 }),
  'max-new-tokens-zero-accepted': neg('8', { max_new_tokens: 0 }),
  'stream-best-of-accepted': neg('s1', { best_of: 2, do_sample: true }, { streamOnly: true }),
  'stop-over-limit-accepted': neg('9', { stop: ['a', 'b', 'c', 'd', 'e'] }),
  'empty-inputs-accepted': neg('12', {}, { inputs: '' }),
  'parameters-null-accepted': (['POST /generate', 'POST /generate_stream'] as const).map((route) => ({
    route,
    body: { inputs: PROMPT, parameters: null },
    expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'type: parameters null' },
  })),
  'seed-zero-rejected': [pos({ seed: 0, details: true, max_new_tokens: 8 })],
  'validation-error-400': neg('2', { temperature: 0 }),
  'validation-error-500': neg('2', { temperature: 0 }),
  'error-body-without-error-type': neg('2', { temperature: 0 }),
  'stream-error-as-http-status': neg('2', { temperature: 0 }),
  'generated-text-renamed': [pos({ max_new_tokens: 4 })],
  'details-missing-generated-tokens': [pos(DETAILS)],
  'generated-tokens-as-string': [pos(DETAILS)],
  'finish-reason-wrong-enum': [pos(DETAILS)],
  'compat-route-not-wrapped': [{ route: 'POST /', body: { inputs: PROMPT, parameters: { max_new_tokens: 4 }, stream: false }, expectation: accept }],
  'generated-tokens-off-by-one': [pos(DETAILS)],
  'max-new-tokens-exceeded': [pos({ details: true, max_new_tokens: 2 }, { inputs: LONG }), posStream({ details: true, max_new_tokens: 2 }, LONG)],
  'finish-reason-eos-on-length': [pos({ details: true, max_new_tokens: 2 }, { inputs: LONG })],
  'generated-text-drops-last-token': [pos(DETAILS)],
  'stop-sequence-reported-on-length': [pos({ details: true, max_new_tokens: 3, stop: ['zzz'] }, { inputs: LONG })],
  'prefill-first-logprob-set': [pos({ decoder_input_details: true, max_new_tokens: 2 })],
  'logprob-positive': [pos(DETAILS)],
  'top-tokens-list-missing': [pos({ details: true, top_n_tokens: 2, max_new_tokens: 3 })],
  'best-of-sequences-missing': [pos({ details: true, best_of: 2, do_sample: true, max_new_tokens: 3 })],
  'seed-rounded': [pos({ details: true, do_sample: true, seed: 18446744073709551557n, max_new_tokens: 2 })],
  'return-full-text-ignored': [pos({ return_full_text: true, max_new_tokens: 3 })],
  'grammar-output-overruns': [
    pos({ details: true, max_new_tokens: 8, grammar: { type: 'regex', value: '(yes|no)' } }),
    pos({ details: true, max_new_tokens: 40, grammar: { type: 'json', value: { properties: { ok: { type: 'boolean' } }, required: ['ok'] } } }),
  ],
  'stream-missing-blank-line': [posStream(STREAM)],
  'stream-data-field-misnamed': [posStream(STREAM)],
  'stream-invalid-json': [posStream(STREAM)],
  'stream-token-missing-special': [posStream(STREAM)],
  'stream-index-from-zero': [posStream(STREAM)],
  'stream-index-gap': [posStream(STREAM, LONG)],
  'stream-event-after-final': [posStream(STREAM)],
  'stream-final-event-missing': [posStream(STREAM)],
  'stream-details-too-early': [posStream(STREAM, LONG)],
  'stream-final-text-duplicates-last-token': [posStream(STREAM)],
  'stream-json-content-type': [posStream(STREAM)],
  'stream-stalls': [{ ...posStream({ max_new_tokens: 16 }, LONG), idleMs: 400 }],
  'stream-connection-reset': [posStream({ max_new_tokens: 8 }, LONG)],
  'x-generated-tokens-off-by-one': [pos(DETAILS)],
  'x-compute-characters-utf16': [pos({ max_new_tokens: 2 }, { inputs: 'Hello 🤗' }), posStream({ max_new_tokens: 2 }, 'Hello 🤗')],
  'x-compute-characters-bytes': [pos({ max_new_tokens: 2 }, { inputs: 'Pour déguster' })],
  'auth-missing-key-accepted': [
    { route: 'POST /generate', body: { inputs: PROMPT, parameters: { max_new_tokens: 4 } }, auth: 'missing', expectation: { outcome: 'reject', purpose: 'auth', auth: 'missing' } },
  ],
  'auth-wrong-key-accepted': [
    { route: 'POST /generate', body: { inputs: PROMPT, parameters: { max_new_tokens: 4 } }, auth: 'wrong', expectation: { outcome: 'reject', purpose: 'auth', auth: 'wrong' } },
  ],
  // The model is cold on every other request: two judged (negative) cases, one finds it loading.
  'hf-loading-without-estimated-time': [0, 1].map(() => ({
    route: 'POST /' as const,
    body: { inputs: PROMPT, parameters: { max_new_tokens: 8, temperature: 0 }, stream: false },
    expectation: reject('2', false),
  })),
  'hf-wait-for-model-ignored': [0, 1].map(() => ({
    route: 'POST /' as const,
    body: { inputs: PROMPT, parameters: { max_new_tokens: 8, temperature: 0 }, stream: false },
    headers: { 'x-wait-for-model': 'true' },
    expectation: reject('2', false),
  })),
};

/**
 * Faults that only timings over a real socket show (stream-incremental compares when bytes
 * arrived): src/engine/fault-catalogue.e2e.test.ts catches them over real HTTP.
 */
const TIMING_FAULTS = new Set(['stream-held-back']);

const SCENARIO_FAULTS: Record<string, (typeof scenarioChecks)[number]> = {
  'seed-ignored': determinism,
  'greedy-sampled': determinism,
  'stream-sampling-differs': streamEquivalence,
};

function serverOptions(fault: Fault | undefined, from: Fault): ReferenceServerOptions {
  return { ...from.mockOptions, ...(fault ? { fault } : {}) };
}

function violations(probed: readonly Probed[]): string[] {
  return probed.flatMap((p) =>
    p.findings.filter((f) => f.severity === 'violation').map((f) => `${f.check}:${f.kind}`),
  );
}

describe('every fault is caught by the check it names', () => {
  it('has probes for every fault', () => {
    const probed = new Set([...Object.keys(PROBES), ...Object.keys(SCENARIO_FAULTS), ...TIMING_FAULTS]);
    // The OpenAI-compatible faults (--api openai) are probed by openai-faults.test.ts.
    const native = faults.filter((f) => f.runOptions?.api !== 'openai');
    expect(native.map((f) => f.name).filter((n) => !probed.has(n))).toEqual([]);
  });

  const probeFaults = faults.filter((f) => PROBES[f.name] !== undefined);
  it.each(probeFaults.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
    const probes = PROBES[fault.name] ?? [];
    const broken = await probeAll(serverOptions(fault, fault), probes);
    expect(violations(broken).some((v) => v.startsWith(`${fault.detectedBy ?? '?'}:`)), violations(broken).join(', ')).toBe(true);
    const faithful = await probeAll(serverOptions(undefined, fault), probes);
    expect(violations(faithful)).toEqual([]);
  });

  it.each(Object.entries(SCENARIO_FAULTS))('%s (scenario)', async (name, check) => {
    const fault = faults.find((f) => f.name === name);
    expect(fault?.detectedBy).toBe(check.id);
    const broken = await runScenario({ fault }, check);
    expect(broken.filter((f) => f.severity === 'violation').map((f) => f.check)).toContain(check.id);
    expect((await runScenario({}, check)).filter((f) => f.severity === 'violation')).toEqual([]);
  });
});

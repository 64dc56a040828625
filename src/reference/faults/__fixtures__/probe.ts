/**
 * Test helpers: send requests to the reference handlers in-process (msw's getResponse, no port),
 * record them as the transport would (status, headers, body or raw stream, when each event
 * arrived, a stalled or cut stream as a transport failure), and inspect them with every check,
 * the engine's expectation attached.
 */
import { getResponse } from 'msw';
import { allChecks } from '../../../checks/index.js';
import type { ScenarioCheck, ScenarioContext } from '../../../checks/check.js';
import { loadContract } from '../../../contract/contract.js';
import type { CaseExpectation, ExchangeView, RecordedExchange, RouteName } from '../../../core/exchange.js';
import type { Finding } from '../../../core/finding.js';
import { parseJson, stringifyJson, type ExactJson } from '../../../core/json.js';
import { inspectExchange } from '../../../engine/inspect-exchange.js';
import { createHandlers } from '../../handlers.js';
import type { ReferenceServerOptions } from '../../options.js';

const BASE = 'http://faults.tgc.test';
/** How long a body may stay silent before the probe gives up on it (the loop uses 1-2 s). */
export const PROBE_IDLE_MS = 2000;
export const HF_PATH = '/models/tgc/reference-model';

export interface Probe {
  route: RouteName;
  /** Serialised with stringifyJson (bigint seeds stay exact). */
  body: ExactJson;
  headers?: Record<string, string>;
  /** `valid` sends the server's api key; `missing` none; `wrong` another token. */
  auth?: 'valid' | 'missing' | 'wrong';
  expectation?: CaseExpectation;
  /** How long the body may stay silent. @defaultValue PROBE_IDLE_MS */
  idleMs?: number;
}

export interface Probed {
  raw: RecordedExchange;
  view: ExchangeView;
  findings: Finding[];
}

function path(route: RouteName, api: 'tgi' | 'hf'): string {
  if (api === 'hf') return HF_PATH;
  return route === 'POST /generate' ? '/generate' : route === 'POST /generate_stream' ? '/generate_stream' : '/';
}

/** Sends one probe and records it as the transport does, with arrival times. */
export async function record(options: ReferenceServerOptions, handlers: ReturnType<typeof createHandlers>, probe: Probe): Promise<RecordedExchange> {
  const api = options.profile === 'hf' ? 'hf' : 'tgi'; // profile openai serves TGI's native routes
  const headers: Record<string, string> = { 'content-type': 'application/json', ...probe.headers };
  const auth = probe.auth ?? 'valid';
  if (auth === 'valid' && options.apiKey !== undefined) headers['authorization'] = `Bearer ${options.apiKey}`;
  if (auth === 'wrong') headers['authorization'] = 'Bearer hf_tgc_wrong_token_XYZ';
  const abort = new AbortController();
  const t0 = performance.now();
  const request = new Request(`${BASE}${path(probe.route, api)}`, { method: 'POST', headers, body: stringifyJson(probe.body), signal: abort.signal });
  const response = await getResponse(handlers, request);
  if (!response) throw new Error(`no handler for ${probe.route}`);
  const firstByteMs = performance.now() - t0;
  const raw: RecordedExchange = { route: probe.route, request: probe.body, status: response.status, headers: Object.fromEntries(response.headers) };
  const contentType = response.headers.get('content-type') ?? '';
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const eventMs: number[] = [];
  let text = '';
  let blocks = 0;
  let batchAt: number | undefined;
  while (reader) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), probe.idleMs ?? PROBE_IDLE_MS);
    });
    let next: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>> | 'idle';
    try {
      next = await Promise.race([reader.read(), idle]);
    } catch (e) {
      raw.transportFailure = { kind: 'reset', message: `the body broke off: ${e instanceof Error ? e.message : String(e)}` };
      break;
    } finally {
      clearTimeout(timer);
    }
    if (next === 'idle') {
      raw.transportFailure = { kind: 'stream-idle', message: `no byte for ${probe.idleMs ?? PROBE_IDLE_MS} ms` };
      abort.abort(new Error('probe gave up'));
      await reader.cancel().catch(() => undefined);
      break;
    }
    if (next.done) break;
    text += decoder.decode(next.value, { stream: true });
    // Chunks read in the same macrotask arrived together, as one TCP read delivers them on a
    // real port: they share the time of the first (in-process reads add their own overhead).
    if (batchAt === undefined) {
      batchAt = performance.now() - t0;
      setImmediate(() => {
        batchAt = undefined;
      });
    }
    const at = batchAt;
    // One arrival time per data event completed by this chunk.
    const complete = text.split(/\r?\n\r?\n/).slice(0, -1).filter((b) => /^data/im.test(b)).length;
    for (; blocks < complete; blocks++) eventMs.push(at);
  }
  if (contentType.startsWith('text/event-stream')) {
    raw.stream = text;
    raw.timings = { firstByteMs, eventMs };
  } else {
    const parsed = contentType.includes('json') && text !== '' ? parseJson(text) : undefined;
    if (parsed?.ok) raw.response = parsed.value;
    else raw.responseText = text;
  }
  return raw;
}

/** Sends the probes one after the other to fresh handlers and inspects each with every check. */
export async function probeAll(options: ReferenceServerOptions, probes: readonly Probe[]): Promise<Probed[]> {
  const contract = await loadContract();
  const handlers = createHandlers({ baseUrl: BASE, ...options });
  const api = options.profile === 'hf' ? 'hf' : 'tgi'; // profile openai serves TGI's native routes
  const out: Probed[] = [];
  for (const probe of probes) {
    const raw = await record(options, handlers, probe);
    const r = inspectExchange(raw, contract, allChecks, {
      ...(api === 'tgi' && probe.route === 'POST /' ? { bodyShape: 'array' as const } : {}),
      annotate: (view) => {
        view.api = api;
        view.requestHeaders = { ...probe.headers };
        if (probe.expectation) view.expectation = probe.expectation;
      },
    });
    out.push({ raw, view: r.view, findings: r.findings });
  }
  return out;
}

export const SCENARIO_CONTEXT: ScenarioContext = {
  api: 'tgi',
  seed: 7,
  maxExamples: 5,
  limits: { maxBestOf: 2, maxStopSequences: 4, maxTopNTokens: 5, maxInputTokens: 1024, maxTotalTokens: 2048 },
  grammarSupported: true,
};

/** Runs a scenario check against fresh handlers: its planned requests, then its assessment. */
export async function runScenario(options: ReferenceServerOptions, check: ScenarioCheck): Promise<Finding[]> {
  const contract = await loadContract();
  const handlers = createHandlers({ baseUrl: BASE, ...options });
  const findings: Finding[] = [];
  for (const group of check.plan(SCENARIO_CONTEXT)) {
    const views: ExchangeView[] = [];
    for (const request of group.requests) {
      const raw = await record(options, handlers, { route: request.route, body: request.body, ...(request.headers ? { headers: request.headers } : {}) });
      views.push(inspectExchange(raw, contract, []).view);
    }
    const result = check.assess(group, views);
    if (Array.isArray(result)) findings.push(...result);
  }
  return findings;
}

/**
 * Plans the cases of a run: positive requests drawn from the spec's arbitraries, boundary values
 * of every parameter (always run, whatever the seed), one negative request per validation rule of
 * tgi-behavior.md §2c and per type violation, auth and serverless cases. Pure: the same options
 * and limits give the same plan.
 */
import fc from 'fast-check';
import { parameterBoundaries } from '../arbitraries/parameter-boundaries.js';
import { PARAMETER_NAMES } from '../arbitraries/_internals/parameter-domains.js';
import { validGenerateRequest, type GenerateRoute } from '../arbitraries/valid-generate-request.js';
import type { CaseExpectation, RouteName } from '../core/exchange.js';
import type { ExactJson } from '../core/json.js';
import type { KnownServerLimits } from './options.js';

export interface Case {
  /** Position in the plan; stable for a given seed. */
  id: number;
  route: RouteName;
  /** The JSON body; for pre-handler cases the raw text goes in `rawBody`. */
  body: ExactJson | undefined;
  /** A body sent as is (not JSON, oversized). */
  rawBody?: string;
  /** @defaultValue 'application/json' */
  contentType?: string;
  headers?: Record<string, string>;
  /** Which Authorization header to send; `default` sends the user's token when there is one. */
  auth: 'default' | 'missing' | 'wrong';
  expectation: CaseExpectation;
  /** For positive cases: draws a replacement once a limit is learned (verdict-policy item 5). */
  redraw?: (limits: KnownServerLimits) => ExactJson;
}

/**
 * How a native surface is reached: TGI's routes, or the seed document's single endpoint. Data,
 * not branches: the API declarations (src/apis/) say which.
 */
export interface NativeSurface {
  /** The non-stream and the stream target (hf: one endpoint, `stream` in the body). */
  nonStream: { route: RouteName; streamed: false };
  stream: { route: RouteName; streamed: true };
  /** The routes positive requests are drawn for. */
  positiveRoutes: readonly { route: RouteName; arb: GenerateRoute; stream: boolean }[];
  /** TGI's compat route `POST /`, tested both ways as a feature. */
  compatFeatures: boolean;
  /** The seed document's serverless cases (x-wait-for-model, the loading 503). */
  serverless: boolean;
}

export const TGI_SURFACE: NativeSurface = {
  nonStream: { route: 'POST /generate', streamed: false },
  stream: { route: 'POST /generate_stream', streamed: true },
  positiveRoutes: [
    { route: 'POST /generate', arb: '/generate', stream: false },
    { route: 'POST /generate_stream', arb: '/generate_stream', stream: true },
    { route: 'POST /', arb: '/', stream: false },
    { route: 'POST /', arb: '/', stream: true },
  ],
  compatFeatures: true,
  serverless: false,
};

export const HF_SURFACE: NativeSurface = {
  nonStream: { route: 'POST /', streamed: false },
  stream: { route: 'POST /', streamed: true },
  positiveRoutes: [
    { route: 'POST /', arb: '/', stream: false },
    { route: 'POST /', arb: '/', stream: true },
  ],
  compatFeatures: false,
  serverless: true,
};

export interface PlanOptions {
  surface: NativeSurface;
  seed: number;
  maxExamples: number;
  limits: KnownServerLimits;
  /**
   * The limits tgc knows (from the user, /info or a 422); the others are TGI's defaults, and a
   * case that is rejected only because of one of those may be accepted by a correct server with
   * another setting: its expectation becomes `either` (verdict-policy item 5).
   */
  knownLimits: ReadonlySet<keyof KnownServerLimits>;
  authRequired: boolean;
  hasToken: boolean;
}

/** Generation is kept short: the contract does not need long outputs, and real servers are slow. */
const MAX_NEW_TOKENS = 16;
const PROMPT = 'The capital of France is';

export function planCases(options: PlanOptions): Case[] {
  const cases: Omit<Case, 'id'>[] = [
    // First: a loading model is met only early in a run.
    ...serverlessCases(options),
    ...featureCases(options),
    ...positiveCases(options),
    ...boundaryCases(options),
    ...negativeCases(options),
    ...authCases(options),
  ];
  return cases.map((c, id) => ({ ...c, id }));
}

function positiveCases(options: PlanOptions): Omit<Case, 'id'>[] {
  return options.surface.positiveRoutes.flatMap((r, routeIndex) => positiveRouteCases(options, r, routeIndex));
}

/**
 * One route's random valid requests. A function of its own, so that no `redraw` closure holds the
 * list of cases in its scope: a case let go of then frees its body, not the whole plan's.
 */
function positiveRouteCases(options: PlanOptions, r: PlanOptions['surface']['positiveRoutes'][number], routeIndex: number): Omit<Case, 'id'>[] {
  const out: Omit<Case, 'id'>[] = [];
  {
    // Building the arbitrary is the costly part: once per route and set of limits.
    const arbitraries = new Map<string, fc.Arbitrary<unknown>>();
    const arbitrary = (limits: KnownServerLimits): fc.Arbitrary<unknown> => {
      const key = JSON.stringify(limits);
      let arb = arbitraries.get(key);
      if (!arb) {
        arb = validGenerateRequest({ route: r.arb, stream: r.stream, limits, maxNewTokens: MAX_NEW_TOKENS, boundedGeneration: true });
        arbitraries.set(key, arb);
      }
      return arb;
    };
    const draw = (limits: KnownServerLimits, index: number, salt = 0): ExactJson =>
      fc.sample(arbitrary(limits), { seed: mix(options.seed, routeIndex * 100_003 + index * 7 + salt), numRuns: 1 })[0] as ExactJson;
    for (let i = 0; i < options.maxExamples; i++) {
      out.push({
        route: r.route,
        body: withStream(draw(options.limits, i), r.route, r.stream),
        auth: 'default',
        expectation: { outcome: 'accept', purpose: 'positive', label: `random valid request #${i + 1}` },
        redraw: (limits) => withStream(draw(limits, i, 1), r.route, r.stream),
      });
    }
  }
  return out;
}

/**
 * One request per feature of the API, whatever the seed: random requests cover combinations, but
 * a conformance run must always exercise a u64 seed beyond 2^53, best_of, prefill, top tokens,
 * stop sequences, grammars and streams long enough to judge their timing.
 */
function featureCases(options: PlanOptions): Omit<Case, 'id'>[] {
  const l = options.limits;
  const { nonStream, stream } = options.surface;
  const topN = Math.min(3, l.maxTopNTokens);
  const features: { label: string; inputs?: string; parameters: Record<string, ExactJson>; streamed?: boolean }[] = [
    { label: 'sampling with a seed beyond 2^53', parameters: { do_sample: true, seed: 18446744073709551557n, details: true, max_new_tokens: 8 } },
    { label: 'sampling with seed 0', parameters: { do_sample: true, seed: 0, details: true, max_new_tokens: 8 } },
    { label: 'greedy with prefill and top tokens', parameters: { details: true, decoder_input_details: true, ...(topN > 0 ? { top_n_tokens: topN } : {}), max_new_tokens: 8 } },
    { label: 'return_full_text with truncate', parameters: { details: true, return_full_text: true, truncate: 2, max_new_tokens: 8 } },
    { label: 'a prompt beyond the BMP (code points, not UTF-16 units)', inputs: 'Pour déguster un ortolan 🤗', parameters: { details: true, max_new_tokens: 8 } },
    { label: 'a stop sequence', parameters: { details: true, stop: ['e', ' the'], max_new_tokens: 16 } },
    { label: 'temperature, top_k, top_p, typical_p and penalties', parameters: { details: true, do_sample: true, temperature: 0.7, top_k: 20, top_p: 0.9, typical_p: 0.95, repetition_penalty: 1.2, frequency_penalty: 0.5, seed: 7, max_new_tokens: 8 } },
    { label: 'a stream with details and top tokens', streamed: true, parameters: { details: true, ...(topN > 0 ? { top_n_tokens: topN } : {}), max_new_tokens: 16 } },
    { label: 'a sampled stream with a seed', streamed: true, parameters: { details: true, do_sample: true, seed: 42, max_new_tokens: 16 } },
    { label: 'a stream without details', streamed: true, parameters: { max_new_tokens: 16 } },
  ];
  if (l.maxBestOf >= 2) {
    features.push({ label: 'best_of 2', parameters: { details: true, best_of: 2, do_sample: true, max_new_tokens: 8 } });
  }
  if (l.grammarSupported) {
    features.push(
      { label: 'a regex grammar', parameters: { details: true, grammar: { type: 'regex', value: '[a-z]{1,8}' }, max_new_tokens: 16 } },
      {
        label: 'a json grammar',
        parameters: {
          details: true,
          grammar: { type: 'json', value: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] } },
          max_new_tokens: 24,
        },
      },
    );
  }
  const out: Omit<Case, 'id'>[] = features.map((f) => {
    const target = f.streamed ? stream : nonStream;
    return {
      route: target.route,
      body: withStream({ inputs: f.inputs ?? PROMPT, parameters: f.parameters }, target.route, target.streamed),
      auth: 'default' as const,
      expectation: { outcome: 'accept' as const, purpose: 'positive' as const, label: `feature: ${f.label}` },
    };
  });
  if (options.surface.compatFeatures) {
    // TGI's compat route, both ways: an array, or a stream chosen by the body.
    for (const streamed of [false, true]) {
      out.push({
        route: 'POST /',
        body: { inputs: PROMPT, parameters: { details: true, max_new_tokens: 12 }, stream: streamed },
        auth: 'default',
        expectation: { outcome: 'accept', purpose: 'positive', label: `feature: POST / with stream ${String(streamed)}` },
      });
    }
  }
  return out;
}

/** Every boundary value of every parameter, on the non-stream route (and TGI's stream route). */
function boundaryCases(options: PlanOptions): Omit<Case, 'id'>[] {
  const out: Omit<Case, 'id'>[] = [];
  const nonStream = options.surface.nonStream.route;
  for (const name of PARAMETER_NAMES) {
    for (const b of parameterBoundaries({ name, limits: options.limits, maxNewTokens: MAX_NEW_TOKENS })) {
      const parameters: Record<string, ExactJson> = { details: true, max_new_tokens: 8, [name]: b.value };
      if (name === 'max_new_tokens') parameters['max_new_tokens'] = b.value;
      if (name === 'best_of' && typeof b.value === 'number' && b.value > 1) parameters['do_sample'] = true;
      const limit = LIMIT_NOTES.find(([note]) => b.note.includes(note))?.[1];
      const outcome = b.expect === 'reject' && limit !== undefined && !options.knownLimits.has(limit) ? 'either' : b.expect;
      out.push({
        route: nonStream,
        body: { inputs: PROMPT, parameters },
        auth: 'default',
        expectation: {
          outcome,
          purpose: 'boundary',
          label: `${name} = ${labelValue(b.value)}: ${b.note}`,
        },
      });
    }
  }
  return out;
}

/** How parameterBoundaries names the server limit a boundary depends on. */
const LIMIT_NOTES: readonly [string, keyof KnownServerLimits][] = [
  ['max_best_of', 'maxBestOf'],
  ['max_stop_sequences', 'maxStopSequences'],
  ['max_top_n_tokens', 'maxTopNTokens'],
  ['max_input_tokens', 'maxInputTokens'],
  ['max_total_tokens', 'maxTotalTokens'],
];

interface NegativeSpec {
  rule: string;
  label: string;
  parameters?: Record<string, ExactJson>;
  inputs?: ExactJson;
  /** TGI's message after "Input validation error: " (validation) or in full. */
  message?: string;
  stream?: boolean;
  /** Only on the non-stream route: on a stream, rule s1 (best_of) answers first. */
  nonStreamOnly?: boolean;
  /** Rules whose outcome needs a limit tgc knows. */
  when?: boolean;
  /** The server limit the rejection depends on. */
  limit?: keyof KnownServerLimits;
}

/** One request per validation rule of §2c, with TGI's message, and per type violation. */
function negativeCases(options: PlanOptions): Omit<Case, 'id'>[] {
  const l = options.limits;
  const stops = Array.from({ length: l.maxStopSequences + 1 }, (_, i) => `stop${i}`);
  const inHandler: NegativeSpec[] = [
    { rule: 's1', label: 'best_of 2 on a stream', parameters: { best_of: 2, do_sample: true }, stream: true, message: '`best_of` != 1 is not supported when streaming tokens' },
    { rule: 's2', label: 'decoder_input_details on a stream', parameters: { decoder_input_details: true }, stream: true, message: '`decoder_input_details` == true is not supported when streaming tokens' },
    l.maxBestOf === 1
      ? { rule: 'b1', label: 'best_of 2 where max_best_of is 1', nonStreamOnly: true, parameters: { best_of: 2, do_sample: true }, message: '`best_of` != 1 is not allowed for this endpoint', limit: 'maxBestOf' }
      : { rule: 'b2', label: `best_of ${l.maxBestOf + 1} over max_best_of`, nonStreamOnly: true, parameters: { best_of: l.maxBestOf + 1, do_sample: true }, message: `\`best_of\` must be > 0 and <= ${l.maxBestOf}. Given: ${l.maxBestOf + 1}`, limit: 'maxBestOf' },
    { rule: '1', label: 'best_of 2 without sampling', nonStreamOnly: true, parameters: { best_of: 2 }, message: 'you must use sampling when `best_of` is > 1', when: l.maxBestOf >= 2 },
    { rule: '2', label: 'temperature 0', parameters: { temperature: 0 }, message: '`temperature` must be strictly positive' },
    { rule: '2', label: 'temperature below the smallest f32', parameters: { temperature: 1e-46 }, message: '`temperature` must be strictly positive' },
    { rule: '3', label: 'repetition_penalty 0', parameters: { repetition_penalty: 0 }, message: '`repetition_penalty` must be strictly positive' },
    { rule: '4', label: 'frequency_penalty 2.5', parameters: { frequency_penalty: 2.5 }, message: '`frequency_penalty` must be >= -2.0 and <= 2.0' },
    { rule: '4', label: 'frequency_penalty -2.5', parameters: { frequency_penalty: -2.5 }, message: '`frequency_penalty` must be >= -2.0 and <= 2.0' },
    { rule: '5', label: 'top_p 1.0', parameters: { top_p: 1.0 }, message: '`top_p` must be > 0.0 and < 1.0' },
    { rule: '5', label: 'top_p 0.99999999 (1.0 as f32)', parameters: { top_p: 0.99999999 }, message: '`top_p` must be > 0.0 and < 1.0' },
    { rule: '5', label: 'top_p 0', parameters: { top_p: 0 }, message: '`top_p` must be > 0.0 and < 1.0' },
    { rule: '6', label: 'typical_p 1.0', parameters: { typical_p: 1.0 }, message: '`typical_p` must be > 0.0 and < 1.0' },
    { rule: '7', label: 'top_k 0', parameters: { top_k: 0 }, message: '`top_k` must be strictly positive' },
    { rule: '7', label: 'top_k -1', parameters: { top_k: -1 }, message: '`top_k` must be strictly positive' },
    { rule: '8', label: 'max_new_tokens 0', parameters: { max_new_tokens: 0 }, message: '`max_new_tokens` must be strictly positive' },
    { rule: '9', label: `${stops.length} stop sequences`, parameters: { stop: stops }, message: `\`stop\` supports up to ${l.maxStopSequences} stop sequences. Given: ${stops.length}`, limit: 'maxStopSequences' },
    { rule: '10', label: 'seed with best_of 2', nonStreamOnly: true, parameters: { seed: 42, best_of: 2, do_sample: true }, message: '`seed` must not be set when `best_of` > 1', when: l.maxBestOf >= 2 },
    { rule: '11', label: `top_n_tokens ${l.maxTopNTokens + 1}`, parameters: { top_n_tokens: l.maxTopNTokens + 1 }, message: `\`top_n_tokens\` must be >= 0 and <= ${l.maxTopNTokens}. Given: ${l.maxTopNTokens + 1}`, limit: 'maxTopNTokens' },
    { rule: '12', label: 'empty inputs', inputs: '', message: '`inputs` cannot be empty' },
    { rule: '13', label: 'truncate 0', parameters: { truncate: 0 }, message: `\`truncate\` must be strictly positive and less than ${l.maxInputTokens}. Given: 0` },
    { rule: '13', label: `truncate ${l.maxInputTokens + 1}`, parameters: { truncate: l.maxInputTokens + 1 }, message: `\`truncate\` must be strictly positive and less than ${l.maxInputTokens}. Given: ${l.maxInputTokens + 1}`, limit: 'maxInputTokens' },
    { rule: '17', label: 'a json grammar whose value is a number', parameters: { grammar: { type: 'json', value: 5 } }, message: 'grammar is not supported' },
  ];
  if (l.grammarSupported) {
    inHandler.push({ rule: '18', label: 'a json grammar whose string is not JSON', parameters: { grammar: { type: 'json', value: '{"properties": ' } } });
  } else {
    inHandler.push({ rule: '17', label: 'a regex grammar on a server without grammar support', parameters: { grammar: { type: 'regex', value: '[a-z]+' } }, message: 'grammar is not supported' });
  }
  const out: Omit<Case, 'id'>[] = [];
  const { nonStream, stream } = options.surface;
  for (const n of inHandler) {
    if (n.when === false) continue;
    const routes = n.stream ? [stream] : n.nonStreamOnly ? [nonStream] : [nonStream, stream];
    for (const { route, streamed } of routes) {
      const body = withStream(
        { inputs: n.inputs ?? PROMPT, parameters: { max_new_tokens: 8, ...n.parameters } },
        route,
        streamed,
      );
      out.push({
        route,
        body,
        auth: 'default',
        expectation: {
          outcome: n.limit !== undefined && !options.knownLimits.has(n.limit) ? 'either' : 'reject',
          purpose: 'negative',
          rule: n.rule,
          errorType: 'validation',
          status: streamed ? 200 : 422,
          label: `rule ${n.rule}: ${n.label}${streamed ? ' (stream)' : ''}`,
          ...(n.message !== undefined ? { message: n.message } : {}),
        },
      });
    }
  }
  // Bodies serde rejects before the handler: a text/plain 422 (verdict-policy items 3, 6).
  const typeViolations: { label: string; body: ExactJson }[] = [
    { label: 'parameters null', body: { inputs: PROMPT, parameters: null } },
    { label: 'details null (a bool)', body: { inputs: PROMPT, parameters: { details: null } } },
    { label: 'do_sample null (a bool)', body: { inputs: PROMPT, parameters: { do_sample: null } } },
    { label: 'stop null (a list)', body: { inputs: PROMPT, parameters: { stop: null } } },
    { label: 'inputs missing', body: { parameters: { max_new_tokens: 8 } } },
    { label: 'inputs an array', body: { inputs: [PROMPT] } },
    { label: 'top_k a string', body: { inputs: PROMPT, parameters: { top_k: 'a' } } },
    { label: 'max_new_tokens negative (u32)', body: { inputs: PROMPT, parameters: { max_new_tokens: -1 } } },
    { label: 'seed negative (u64)', body: { inputs: PROMPT, parameters: { seed: -1 } } },
    { label: 'seed 2^64 (beyond u64)', body: { inputs: PROMPT, parameters: { seed: 18446744073709551616n } } },
    { label: 'stop a string', body: { inputs: PROMPT, parameters: { stop: 'x' } } },
  ];
  for (const t of typeViolations) {
    for (const { route, streamed } of [nonStream, stream]) {
      out.push({
        route,
        body: withStream(t.body, route, streamed),
        auth: 'default',
        expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: `type: ${t.label}${streamed ? ' (stream)' : ''}` },
      });
    }
  }
  out.push(
    {
      route: nonStream.route,
      body: undefined,
      rawBody: '{"inputs": "unterminated',
      auth: 'default',
      expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'a body that is not JSON' },
    },
    {
      route: nonStream.route,
      body: undefined,
      rawBody: JSON.stringify({ inputs: PROMPT }),
      contentType: 'text/plain',
      auth: 'default',
      expectation: { outcome: 'reject', purpose: 'negative', rule: 'pre-handler', label: 'content-type text/plain' },
    },
  );
  return out;
}

/**
 * The seed document's serverless headers (api hf): with `x-wait-for-model: true` a loading model
 * is waited for instead of answering 503; without it a 503 must carry `{error, estimated_time}`.
 */
function serverlessCases(options: PlanOptions): Omit<Case, 'id'>[] {
  if (!options.surface.serverless) return [];
  const body: ExactJson = { inputs: PROMPT, parameters: { max_new_tokens: 4 } };
  return [
    {
      route: 'POST /',
      body,
      headers: { 'x-use-cache': 'false' },
      auth: 'default',
      expectation: { outcome: 'either', purpose: 'serverless', label: 'a request that may meet a loading model' },
    },
    {
      route: 'POST /',
      body,
      headers: { 'x-wait-for-model': 'true', 'x-use-cache': 'false' },
      auth: 'default',
      expectation: { outcome: 'accept', purpose: 'serverless', label: 'x-wait-for-model: true waits instead of 503' },
    },
  ];
}

function authCases(options: PlanOptions): Omit<Case, 'id'>[] {
  if (!options.authRequired) return [];
  const route = options.surface.nonStream.route;
  const body: ExactJson = { inputs: PROMPT, parameters: { max_new_tokens: 4 } };
  return [
    { route, body, auth: 'missing', expectation: { outcome: 'reject', purpose: 'auth', auth: 'missing', label: 'no Authorization header' } },
    { route, body, auth: 'wrong', expectation: { outcome: 'reject', purpose: 'auth', auth: 'wrong', label: 'a wrong token' } },
    { route, body, auth: 'default', expectation: { outcome: 'accept', purpose: 'auth', auth: 'valid', label: 'the given token' } },
  ];
}

/** Adds `stream` to a body on POST / (the compat route chooses by it). */
function withStream(body: ExactJson, route: RouteName, stream: boolean): ExactJson {
  if (route !== 'POST /' || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...body, stream };
}

function labelValue(v: ExactJson): string {
  const text = typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A 31-bit seed for draw `salt` of a run seeded with `seed`. */
function mix(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/**
 * The native text-generation API, as TGI serves it (`tgi`) and as the seed document's single
 * endpoint does (`hf`): one contract (spec/openapi.yaml), one set of checks, two surfaces. What
 * differs between the two is data (src/engine/cases.ts `NativeSurface`), not branches.
 */
import { allChecks, scenarioChecks } from '../checks/index.js';
import { learnLimit } from '../checks/_internals/learned-limits.js';
import type { ScenarioRoutes } from '../checks/check.js';
import type { ApiName, ExchangeView, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { isJsonObject, type ExactJson } from '../core/json.js';
import { loadContract, type BodyShape } from '../contract/contract.js';
import { crossFieldBreaches } from '../contract/request-rules.js';
import { compileSchemasNow } from '../contract/schemas.js';
import { decodeExchange } from '../engine/decode-exchange.js';
import { planCases, type NativeSurface } from '../engine/cases.js';
import { TGI_DEFAULT_LIMITS, type KnownServerLimits } from '../engine/options.js';
import type { ReferenceProfile } from '../reference/options.js';
import { requestCount } from './counts.js';
import type { ApiDefinition, ApiDriver, Reproduces, ShrinkResult } from './types.js';

export interface NativeSurfaceDeclaration {
  name: ApiName;
  title: string;
  surface: NativeSurface;
  /** How POST / answers a non-stream request: TGI's one-element array, or either form (the seed document). */
  compatShape: BodyShape;
  scenarioRoutes: ScenarioRoutes;
  /** The target's URL is the base of TGI's routes, or the one endpoint itself. */
  routeUrl(url: string, route: RouteName | 'discover'): string;
  normaliseUrl(url: string): string;
  builtIn: { profile: ReferenceProfile; url(serverUrl: string): string };
  /** TGI's GET /info tells the limits; the serverless endpoint has none. */
  discover?: (bodyText: string) => Partial<KnownServerLimits>;
}

/** Statuses of in-stream errors that mean "overloaded": retried (verdict-policy item 20). */
const LOAD_ERROR_TYPES = new Set(['overloaded']);

export function nativeApi(d: NativeSurfaceDeclaration): ApiDefinition<ExchangeView> {
  const read = d.discover;
  const driver: ApiDriver<ExchangeView> = {
    defaultLimits: TGI_DEFAULT_LIMITS,
    tokenEnv: ['HF_TOKEN'],
    normaliseUrl: d.normaliseUrl,
    routeUrl: d.routeUrl,
    builtIn: d.builtIn,
    ...(read ? { discover: (text: string) => ({ limits: read(text) }) } : {}),
    planCases: (options) =>
      planCases({
        ...options,
        limits: options.limits as unknown as KnownServerLimits,
        knownLimits: options.knownLimits as ReadonlySet<keyof KnownServerLimits>,
        surface: d.surface,
      }),
    scenarioContext: { routes: d.scenarioRoutes },
    learnLimit(view) {
      const message = view.error?.error ?? view.streamError?.error;
      return message === undefined ? undefined : learnLimit(message);
    },
    isLoadError: (view) => view.streamError !== undefined && LOAD_ERROR_TYPES.has(view.streamError.error_type),
    shrink: shrinkRequest,
    streamEventBound: nativeStreamEventBound,
    bodyByteBound: nativeBodyByteBound,
    parametersOf(body) {
      if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) return [];
      const params = body['parameters'];
      if (params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) return [];
      return Object.keys(params);
    },
  };
  return {
    name: d.name,
    title: d.title,
    spec: 'spec/openapi.yaml',
    routes: ['POST /generate', 'POST /generate_stream', 'POST /'],
    async decoder() {
      const contract = await loadContract();
      return (raw, context) =>
        decodeExchange(raw, contract, {
          ...(context.sse ? { sse: context.sse } : {}),
          bodyShape: raw.route === 'POST /' ? d.compatShape : 'object',
        });
    },
    warm: compileSchemasNow,
    checks: allChecks,
    scenarioChecks,
    bindings: { file: 'openapi.ts', aliases: NATIVE_ALIASES },
    artifacts: {
      routeNames: [],
      // A request that says `"stream": true` went to the seed-style endpoint (POST /, where
      // return_full_text defaults to true); otherwise a stream is taken as TGI's /generate_stream.
      route: (kind, given) =>
        kind === 'stream' && !(isJsonObject(given.request) && given.request['stream'] === true) ? 'POST /generate_stream' : 'POST /',
      validateRequest: async (body) => validateRequestBody(body),
    },
    driver,
  };
}

/** Readable names for the generated component types of spec/openapi.yaml. */
const NATIVE_ALIASES = [
  'GenerateRequest',
  'CompatGenerateRequest',
  'GenerateParameters',
  'GrammarType',
  'GenerateResponse',
  'CompatGenerateResponse',
  'Details',
  'BestOfSequence',
  'PrefillToken',
  'Token',
  'FinishReason',
  'StreamResponse',
  'StreamDetails',
  'ErrorResponse',
  'ModelLoadingResponse',
  'Info',
];

/** A request as a client sends it: the schema (unknown keys are warnings) and the cross-field rules. */
async function validateRequestBody(body: ExactJson): Promise<Finding[]> {
  const contract = await loadContract();
  const r = contract.request(body, 'POST /');
  if (!r.value) return r.findings;
  const stream = r.value.stream === true;
  const breaches = crossFieldBreaches(r.value, stream, {});
  return [
    ...r.findings,
    ...breaches.map(
      (b): Finding => ({
        check: 'request-schema',
        severity: 'violation',
        kind: `rule:${b.rule}`,
        title: 'request breaks a validation rule',
        message: `servers reject this request: "Input validation error: ${b.message}" (tgi-behavior §2c rule ${b.rule})`,
        pointer: '/parameters',
      }),
    ),
  ];
}

/**
 * A TGI stream sends one data event a generated token (the last one with `generated_text` and
 * `details`), or an error event: at most `max_new_tokens` + 1. The bound allows twice
 * `max_new_tokens` plus 16, room no correct server needs. No bound without max_new_tokens.
 */
export function nativeStreamEventBound(body: ExactJson | undefined): { max: number; because: string } | undefined {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = body['parameters'];
  if (params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const tokens = requestCount(params['max_new_tokens']);
  if (tokens === undefined) return undefined;
  return { max: 2 * tokens + 16, because: `max_new_tokens ${tokens}` };
}

/** Bytes allowed a generated token at each place it shows (the text, its entry, a stream event's wrapping): with room. */
export const TOKEN_BYTES = 1024;

/**
 * The most bytes of a correct 2xx answer to a native request that sets max_new_tokens (N): per
 * sequence (best_of of them), each token shows in the text and in `tokens`, at most
 * {@link TOKEN_BYTES} each; allowed for N + 16 tokens with one more place (a stream's event
 * wrapping), the prompt as `prefill` (a token an input byte, 512 bytes each) and as the full
 * text (6 bytes a UTF-16 unit, escaped); plus 64 KiB. A correct answer stays far under it
 * (max_new_tokens 16: a few KiB against about 180 KiB). No bound without max_new_tokens or a
 * string `inputs`, and none with `top_n_tokens`: TGI lists every token tied with the n-th
 * (`batch_top_tokens`), so a flat distribution (a repetition_penalty near 0, say) lists the
 * whole vocabulary at each step, as the reference server does.
 */
export function nativeBodyByteBound(body: ExactJson | undefined): { max: number; because: string } | undefined {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = body['parameters'];
  const inputs = body['inputs'];
  if (typeof inputs !== 'string' || params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const tokens = requestCount(params['max_new_tokens']);
  const top = requestCount(params['top_n_tokens'], 0);
  const bestOf = requestCount(params['best_of'], 1);
  if (tokens === undefined || top !== 0 || bestOf === undefined) return undefined;
  const sequence = (tokens + 16) * 3 * TOKEN_BYTES + (3 * inputs.length + 16) * 512 + 6 * inputs.length;
  const max = 64 * 1024 + Math.max(1, bestOf) * sequence;
  const words = [`max_new_tokens ${tokens}`, ...(bestOf > 1 ? [`best_of ${bestOf}`] : []), `inputs of ${inputs.length} characters`];
  return { max, because: words.join(', ') };
}

/** TGI's /info: the limits it states (max_best_of, max_stop_sequences, token limits). */
export function readInfo(text: string): Partial<KnownServerLimits> {
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    return {};
  }
  if (info === null || typeof info !== 'object') return {};
  const o = info as Record<string, unknown>;
  const out: Partial<KnownServerLimits> = {};
  const int = (k: string): number | undefined => (typeof o[k] === 'number' && Number.isInteger(o[k]) ? (o[k] as number) : undefined);
  const pairs: [keyof KnownServerLimits, string][] = [
    ['maxBestOf', 'max_best_of'],
    ['maxStopSequences', 'max_stop_sequences'],
    ['maxInputTokens', 'max_input_tokens'],
    ['maxTotalTokens', 'max_total_tokens'],
  ];
  for (const [name, key] of pairs) {
    const v = int(key) ?? (name === 'maxInputTokens' ? int('max_input_length') : undefined);
    if (v !== undefined) (out as Record<string, number>)[name] = v;
  }
  return out;
}

/**
 * Shrinks a failing request: drops parameters one at a time, then halves max_new_tokens and
 * shortens inputs, keeping each step that still shows the same violation. Delta debugging over
 * the request's own structure, rather than fast-check's shrinker, because the failing value was
 * drawn outside fast-check's runner (cases run concurrently) and each step costs a request.
 */
export async function shrinkRequest(
  body: ExactJson | undefined,
  reproduces: Reproduces,
  budget: number,
): Promise<ShrinkResult | undefined> {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = body['parameters'];
  if (params === null || params === undefined || typeof params !== 'object' || Array.isArray(params)) return undefined;
  let current: Record<string, ExactJson> = { ...params };
  let inputs = body['inputs'];
  const from = Object.keys(current).length;
  let requests = 0;
  let last: ExactJson | undefined;
  const attempt = async (p: Record<string, ExactJson>, i: ExactJson | undefined): Promise<boolean> => {
    if (requests >= budget) return false;
    requests++;
    const candidate: Record<string, ExactJson> = { ...body, parameters: p };
    if (i !== undefined) candidate['inputs'] = i;
    const ok = await reproduces(candidate);
    if (ok) last = candidate;
    return ok;
  };
  for (const key of Object.keys(current)) {
    if (key === 'max_new_tokens') continue; // the server default may be thousands of tokens
    const { [key]: _dropped, ...without } = current;
    if (await attempt(without, inputs)) current = without;
  }
  const mnt = current['max_new_tokens'];
  if (typeof mnt === 'number' && mnt > 1) {
    const halved = { ...current, max_new_tokens: Math.max(1, Math.floor(mnt / 2)) };
    if (await attempt(halved, inputs)) current = halved;
  }
  if (typeof inputs === 'string' && [...inputs].length > 1) {
    const shorter = [...inputs].slice(0, Math.ceil([...inputs].length / 2)).join('');
    if (await attempt(current, shorter)) inputs = shorter;
  }
  if (last === undefined) return undefined;
  return { body: last, from, to: Object.keys(current).length, requests };
}

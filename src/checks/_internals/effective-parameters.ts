/**
 * The parameters the server acts on, after its defaults (tgi-behavior.md §2a). Every check that
 * depends on the request reads them here, so the defaults are decided once.
 */
import type { ExactInteger, GenerateRequest } from '../../core/api.js';
import type { ExchangeView, RouteName } from '../../core/exchange.js';

/**
 * `true`/`false`: the server must (not) prefix the inputs. `either`: unset on `POST /`, where the
 * default follows the model's pipeline tag (S:134, S:1805), so neither outcome may be flagged.
 */
export type ReturnFullText = boolean | 'either';

export interface EffectiveParameters {
  inputs: string;
  /** False when the request had no `parameters` object (then `do_sample` defaults to true, L:445). */
  parametersPresent: boolean;
  /**
   * Whether the server samples (T:290-307, F:2348): `do_sample`, or a warper that changes the
   * distribution. Compared after rounding to f32, as the server reads them (verdict-policy trap 1).
   * `temperature: 1.0` alone is greedy on the server, though it counts as sampling for V:231.
   */
  sampling: boolean;
  /** The user's seed; `undefined` when unset or null. */
  seed: ExactInteger | undefined;
  /** `parameters.details` (serde default false; the OpenAPI "true" is wrong, §4(d)3). */
  details: boolean;
  decoderInputDetails: boolean;
  /** Whether a non-stream response carries `details`: `details || decoder_input_details` (S:310). */
  nonStreamDetails: boolean;
  /** `max_new_tokens` when set. */
  maxNewTokens: number | undefined;
  returnFullText: ReturnFullText;
  stop: readonly string[];
  /** `top_n_tokens`, 0 when unset (0 = off). */
  topNTokens: number;
  /** `best_of`, 1 when unset (0 and 1 both mean off). */
  bestOf: number;
  truncate: number | undefined;
}

function setNumber(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function routeDefaultReturnFullText(route: RouteName): ReturnFullText {
  // /generate and /generate_stream default to false; `/` decides by the model's pipeline tag.
  return route === 'POST /' ? 'either' : false;
}

/** Computed once per request and route: a dozen checks ask for them on every exchange. */
let lastRequest: GenerateRequest | undefined;
let lastRoute: RouteName | undefined;
let lastParameters: Readonly<EffectiveParameters> | undefined;

/**
 * The effective parameters of a validated request; `undefined` when the request is unknown.
 * The result is shared between checks: read it, never change it.
 */
export function effectiveParameters(view: Pick<ExchangeView, 'request' | 'route'>): Readonly<EffectiveParameters> | undefined {
  const request: GenerateRequest | undefined = view.request;
  if (request === undefined || typeof request.inputs !== 'string') return undefined;
  // The checks of one exchange ask in a row: one entry answers them (a WeakMap costs more to fill
  // than the computation it would save elsewhere).
  if (request === lastRequest && view.route === lastRoute) return lastParameters as Readonly<EffectiveParameters>;
  const parameters = computeEffectiveParameters(request, view.route);
  lastRequest = request;
  lastRoute = view.route;
  lastParameters = parameters;
  return parameters;
}

function computeEffectiveParameters(request: GenerateRequest & { inputs: string }, route: RouteName): EffectiveParameters {
  const p = request.parameters;
  const parametersPresent = p !== undefined && p !== null;
  const temperature = setNumber(p?.temperature);
  const topK = setNumber(p?.top_k);
  const topP = setNumber(p?.top_p);
  const typicalP = setNumber(p?.typical_p);
  const doSample = parametersPresent ? p?.do_sample === true : true;
  const hasWarpers =
    (temperature !== undefined && Math.fround(temperature) !== 1) ||
    (topK !== undefined && topK !== 0) ||
    (topP !== undefined && Math.fround(topP) < 1) ||
    (typicalP !== undefined && Math.fround(typicalP) < 1);
  const seed = p?.seed;
  const details = p?.details === true;
  const decoderInputDetails = p?.decoder_input_details === true;
  const rft = p?.return_full_text;
  const bestOf = setNumber(p?.best_of);
  return {
    inputs: request.inputs,
    parametersPresent,
    sampling: doSample || hasWarpers,
    seed: typeof seed === 'number' || typeof seed === 'bigint' ? seed : undefined,
    details,
    decoderInputDetails,
    nonStreamDetails: details || decoderInputDetails,
    maxNewTokens: setNumber(p?.max_new_tokens),
    returnFullText: typeof rft === 'boolean' ? rft : routeDefaultReturnFullText(route),
    stop: Array.isArray(p?.stop) ? p.stop.filter((s): s is string => typeof s === 'string') : [],
    topNTokens: setNumber(p?.top_n_tokens) ?? 0,
    bestOf: bestOf === undefined || bestOf < 1 ? 1 : bestOf,
    truncate: setNumber(p?.truncate),
  };
}

/**
 * An API tgc tests, as one declaration: its routes, its spec document, how its exchanges are
 * decoded, the checks that apply, and (where `tgc run` drives it) how its cases are planned and
 * its target reached. The engine, the transport, the reports and the CLI take an
 * `ApiDefinition` and never name an API: adding one is a new file here and one line in
 * ./index.ts, plus its own folder in each layer (spec, contract, checks, arbitraries, reference).
 */
import type { CheckDefinition, ScenarioCheck, ScenarioContext } from '../checks/check.js';
import type { ApiName, BaseExchangeView, RecordedExchange, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { ExactJson } from '../core/json.js';
import type { SseDecoderLimits } from '../sse/index.js';
import type { Case, PlanOptions } from '../engine/cases.js';
import type { ReferenceProfile } from '../reference/options.js';

export interface DecodeContext {
  sse?: SseDecoderLimits;
}

/** Turns a recorded exchange into the view this API's checks read; made once the contract is loaded. */
export type Decoder<V extends BaseExchangeView> = (raw: RecordedExchange, context: DecodeContext) => V;

/** A request that still shows the violation, tried by a shrinker. */
export type Reproduces = (body: ExactJson) => Promise<boolean>;

export interface ShrinkResult {
  body: ExactJson;
  /** Top-level parameters before and after, and the requests spent. */
  from: number;
  to: number;
  requests: number;
}

/**
 * Server settings a plan depends on, by name: numbers (TGI's max_best_of …) and feature switches
 * (a server that refuses `tools`). Each API declares its own and their defaults.
 */
export type Limits = Record<string, number | boolean>;

/** What the discovery request tells: limits, and the model to name in requests. */
export interface Discovery {
  limits: Partial<Limits>;
  model?: string;
}

/** What a driver plans from: the seed, the limits known so far, the model. */
export interface DriverPlanOptions extends Omit<PlanOptions, 'surface' | 'limits' | 'knownLimits'> {
  limits: Limits;
  /** The limits the user, the discovery or a rejection told; the others are defaults (verdict-policy item 5). */
  knownLimits: ReadonlySet<string>;
  /** The model to name in requests that carry one. */
  model?: string;
}

/** What `tgc run` needs to drive an API; absent on APIs tgc judges only from recordings. */
export interface ApiDriver<V extends BaseExchangeView> {
  /** The limits before the server tells any, and their names (the report lists them). */
  defaultLimits: Readonly<Limits>;
  /**
   * Environment variables read for the token when `--token` is not given, in order; the first is
   * the name written in reproduce commands (`Bearer $HF_TOKEN`).
   */
  tokenEnv: readonly string[];
  /** Checks `--url` and returns it as the engine uses it; throws an Error whose message says why not. */
  normaliseUrl(url: string): string;
  /** The URL of a route (or of the discovery request) under the target's URL. */
  routeUrl(url: string, route: RouteName | 'discover'): string;
  /** The built-in reference server's profile, and the target URL under its address. */
  builtIn: { profile: ReferenceProfile; url(serverUrl: string): string };
  /** Reads the answer to a GET of `routeUrl(url, 'discover')` (TGI's /info, /v1/models), sent before anything is planned. */
  discover?: (bodyText: string) => Discovery;
  planCases(options: DriverPlanOptions): Case[];
  /** The part of the scenario context that depends on the API (where its requests go). */
  scenarioContext: Pick<ScenarioContext, 'routes'>;
  /**
   * The limit a rejection of a request believed valid states (verdict-policy item 5), with the
   * warning that reports it once where the API reports refused features.
   */
  learnLimit(view: V): { name: string; value: number | boolean; finding?: Finding } | undefined;
  /** An in-stream error that means "overloaded, retry" (verdict-policy item 20). */
  isLoadError(view: V): boolean;
  /** A smaller request that still shows the violation, by the API's own structure. */
  shrink(body: ExactJson | undefined, reproduces: Reproduces, budget: number): Promise<ShrinkResult | undefined>;
  /** The request parameters a body exercises, for the report's coverage table. */
  parametersOf(body: ExactJson | undefined): string[];
  /**
   * The most data events a correct stream answering `body` can carry, and the request's words
   * for why (`max_new_tokens 16`), when the request bounds it; `undefined` when it does not.
   * `tgc run` stops a stream past it (src/engine/case-limits.ts), so that a server flooding
   * events costs a few kilobytes, not `maxBodyBytes`.
   */
  streamEventBound?(body: ExactJson | undefined): { max: number; because: string } | undefined;
  /**
   * The most bytes a correct 2xx answer to `body` (a JSON body or a whole stream) can have, and
   * the request's words for why, when the request bounds it; `undefined` when it does not. Like
   * `streamEventBound`: a server flooding a body is stopped after kilobytes, not `maxBodyBytes`.
   */
  bodyByteBound?(body: ExactJson | undefined): { max: number; because: string } | undefined;
}

export interface ApiDefinition<V extends BaseExchangeView = BaseExchangeView> {
  name: ApiName;
  /** One line, for `--help` and reports. */
  title: string;
  /** The contract document, relative to the package root. */
  spec: string;
  /** The routes whose exchanges this API judges. */
  routes: readonly RouteName[];
  /** Loads the contract (once per process) and returns the decoder. */
  decoder(): Promise<Decoder<V>>;
  /**
   * Compiles the contract's validators now instead of at their first use: `tgc run` judges every
   * kind of body, so it pays for them while it prepares, not inside its first cases (commands
   * that judge a few exchanges leave them to first use).
   */
  warm?(): Promise<void>;
  /** The checks over one exchange, in the order reports list them. */
  checks: readonly CheckDefinition<V>[];
  /** The checks over several exchanges. */
  scenarioChecks: readonly ScenarioCheck<V>[];
  /** `tgc types --api`: the generated bindings (a file of src/generated/) and their readable names. */
  bindings: { file: string; aliases: readonly string[] };
  /** `tgc validate request|response|stream`: how lone artifacts of this API are read. */
  artifacts: ApiArtifacts;
  driver?: ApiDriver<V>;
}

/** How `tgc validate` reads a lone request, response or stream file of an API. */
export interface ApiArtifacts {
  /** What `--route` accepts, by name. */
  routeNames: readonly string[];
  /**
   * The route a lone response or stream was on: `--route` when given, else what the request
   * (`--request`) tells. Throws an Error whose message tells the user what to give.
   */
  route(kind: 'request' | 'response' | 'stream', given: { route?: string; request?: ExactJson }): RouteName;
  /** A request body as a client sends it: the schema and the rules every server applies. */
  validateRequest(body: ExactJson, route: RouteName): Promise<Finding[]>;
}

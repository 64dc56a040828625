/**
 * The shape of a check: one definition object per file, pure, never sending requests.
 * `src/checks/index.ts` lists them in order.
 */
import type { ApiName, BaseExchangeView, ExchangeView, RouteName } from '../core/exchange.js';
import type { ExactJson } from '../core/json.js';
import type { Finding, Severity } from '../core/finding.js';

/** Which exchanges a check inspects: non-stream responses, streams, or both. */
export type CheckScope = 'non-stream' | 'stream' | 'both';

/** One kind of finding a check may emit, with its severity (the warning-level sub-cases show here). */
export interface CheckKind {
  severity: Severity;
  /** One line, as the finding's `title`. */
  title: string;
}

/** A check over one exchange of one API; `V` is that API's view (the native API's by default). */
export interface CheckDefinition<V extends BaseExchangeView = ExchangeView> {
  /** Kebab-case, the file name; what `tgc checks` lists and `--checks` selects. */
  id: string;
  /** The severity of its main finding; a check may also emit warnings (see its `rule`). */
  severity: Severity;
  /** One line. */
  title: string;
  /** The rule, in one or two sentences, as `tgc checks` prints it. */
  rule: string;
  /** Where the rule comes from: a section of tgi-behavior.md / verdict-policy.md and TGI file:line. */
  source: string;
  /**
   * Inspects one exchange and returns its findings (empty: the exchange honours the rule).
   * Returns `{ skip: reason }` when the rule does not apply to this exchange.
   */
  run(exchange: V): Finding[] | { skip: string };
  /** Which exchanges it inspects; absent means it decides for itself (it skips the others). */
  appliesTo?: CheckScope;
  /**
   * Every `kind` of finding it may emit, keyed by kind, with the severity and title each gets;
   * absent for checks that do not declare them.
   */
  kinds?: Readonly<Record<string, CheckKind>>;
}

/** A registry keyed by id; a duplicate id is a programming error. */
export function createRegistry<C extends { id: string }>(checks: readonly C[]): ReadonlyMap<string, C> {
  const map = new Map<string, C>();
  for (const check of checks) {
    if (map.has(check.id)) throw new Error(`[tgc] A check named "${check.id}" is already registered.`);
    map.set(check.id, check);
  }
  return map;
}

/** A request a scenario check needs sent; the engine sends it and records the exchange. */
export interface PlannedRequest {
  route: RouteName;
  body: ExactJson;
  /** Extra request headers (the engine adds content-type and the user's Authorization). */
  headers?: Record<string, string>;
}

/** A set of requests assessed together (for example the same seeded request sent twice). */
export interface ScenarioGroup {
  /** Stable, for reports and dedupe keys: `seeded-sampling`, `greedy`, … */
  name: string;
  requests: PlannedRequest[];
}

/**
 * Where a scenario's native requests go: TGI's two routes, or the seed document's one endpoint
 * with `stream` in the body and headers of its own (x-use-cache: false).
 */
export interface ScenarioRoutes {
  nonStream: RouteName;
  stream: RouteName;
  /** `stream` is a key of the body (the endpoint chooses by it) rather than a route. */
  streamInBody: boolean;
  headers?: Record<string, string>;
}

export interface ScenarioContext {
  api: ApiName;
  /** Where the native scenario requests go; absent on APIs that name their routes themselves. */
  routes?: ScenarioRoutes;
  /** The model to name in requests that carry one (the OpenAI-compatible routes). */
  model?: string;
  /** The run's seed: scenario plans are pure functions of it. */
  seed: number;
  /** Cases to draw where a scenario draws random requests. */
  maxExamples: number;
  limits: { maxBestOf: number; maxStopSequences: number; maxTopNTokens: number; maxInputTokens: number; maxTotalTokens: number };
  grammarSupported: boolean;
}

/**
 * A rule over several exchanges (determinism, stream vs non-stream): it declares the requests it
 * needs and asserts over the recorded results. It never sends anything itself.
 */
export interface ScenarioCheck<V extends BaseExchangeView = ExchangeView> {
  id: string;
  severity: Severity;
  title: string;
  rule: string;
  source: string;
  plan(context: ScenarioContext): ScenarioGroup[];
  /** `views[i]` is the exchange of `group.requests[i]`. */
  assess(group: ScenarioGroup, views: readonly V[]): Finding[] | { skip: string };
}

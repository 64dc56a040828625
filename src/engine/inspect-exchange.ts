/**
 * Applies the checks to one recorded exchange. Shared by `tgc validate` and the engine of
 * `tgc run`: the same decoding, the same checks, the same findings.
 */
import type { BaseExchangeView, ExchangeView, RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from '../checks/check.js';
import type { Contract } from '../contract/contract.js';
import { decodeExchange, type DecodeOptions } from './decode-exchange.js';

export type CheckOutcome = { status: 'pass' } | { status: 'fail' } | { status: 'skip'; reason: string } | { status: 'error'; reason: string };

export interface InspectOptions extends DecodeOptions {
  /** Adds what the engine knows (the case's expectation, the API, the headers sent) before the checks run. */
  annotate?: (view: ExchangeView) => void;
}

export interface InspectResult {
  view: ExchangeView;
  findings: Finding[];
  /** One entry per check applied, by id. */
  outcomes: Map<string, CheckOutcome>;
}

// Shared: most checks pass on most exchanges, and an outcome is never changed once made.
const PASS: CheckOutcome = Object.freeze({ status: 'pass' });
const FAIL: CheckOutcome = Object.freeze({ status: 'fail' });
const INCOMPLETE = Object.freeze({ skip: 'the exchange did not complete' });

/** Decodes one native exchange and applies the checks to it. */
export function inspectExchange(
  raw: RecordedExchange,
  contract: Contract,
  checks: readonly CheckDefinition[],
  options: InspectOptions = {},
): InspectResult {
  const view = decodeExchange(raw, contract, options);
  options.annotate?.(view);
  const applied = applyChecks(view, checks);
  return { view, findings: applied.findings, outcomes: applied.outcomes };
}

/**
 * Applies checks to a decoded view of any API. A check that throws is tgc's own failure (status
 * `error`), never a finding on the server; an exchange that did not complete is judged only by
 * `response-completes`.
 */
export function applyChecks<V extends BaseExchangeView>(
  view: V,
  checks: readonly CheckDefinition<V>[],
): AppliedChecks {
  const findings: Finding[] = [];
  // results[i] is the outcome of checks[i], or the `{ skip }` it returned: made an outcome only
  // when the Map is built (about half the checks skip any one exchange, and most return a shared
  // constant skip, so this spares an object per skip).
  const results: (CheckOutcome | { skip: string })[] = [];
  const incomplete = Boolean(view.transportFailure || view.redirect);
  for (const check of checks) {
    if (incomplete && check.id !== 'response-completes') {
      results.push(INCOMPLETE);
      continue;
    }
    let result: ReturnType<CheckDefinition<V>['run']>;
    try {
      result = check.run(view);
    } catch (e) {
      results.push({ status: 'error', reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (!Array.isArray(result)) {
      results.push(result);
      continue;
    }
    if (result.length === 0) {
      results.push(PASS);
      continue;
    }
    for (const f of result) findings.push(f);
    results.push(result.some((f) => f.severity === 'violation') ? FAIL : PASS);
  }
  return new AppliedChecks(findings, checks, results);
}

/**
 * What {@link applyChecks} returns: the findings, and the outcomes as a Map built on first read
 * (`tgc validate` reads only the findings, and building a Map of ~30 entries per exchange costs
 * about a quarter of a JSON.parse of it). A class with the getter on its prototype rather than an
 * object literal with a getter: V8 builds such a literal through its runtime, about 0.5 µs per
 * exchange (the profile of `bench/validation-kind.ts nativeJson` showed it as a third of
 * applyChecks' own time), where a class instance costs a few ns. Its state is in private fields,
 * so the instance's only own property is `findings`.
 */
export class AppliedChecks {
  readonly findings: Finding[];
  readonly #checks: readonly { id: string }[];
  readonly #results: readonly (CheckOutcome | { skip: string })[];
  #outcomes: Map<string, CheckOutcome> | undefined;

  constructor(findings: Finding[], checks: readonly { id: string }[], results: readonly (CheckOutcome | { skip: string })[]) {
    this.findings = findings;
    this.#checks = checks;
    this.#results = results;
  }

  get outcomes(): Map<string, CheckOutcome> {
    return (this.#outcomes ??= new Map(this.#checks.map((c, i) => [c.id, outcomeOf(this.#results[i] as CheckOutcome | { skip: string })])));
  }

  /**
   * Each check's id and result in the checks' order, a skip as the `{ skip }` its check returned:
   * what `tgc run` counts per case (retention.ts tallyOutcome) without building the Map and an
   * outcome per skip that `outcomes` would, once per case.
   */
  forEachResult(fn: (id: string, result: CheckOutcome | { skip: string }) => void): void {
    const checks = this.#checks;
    const results = this.#results;
    for (let i = 0; i < checks.length; i++) fn((checks[i] as { id: string }).id, results[i] as CheckOutcome | { skip: string });
  }
}

function outcomeOf(result: CheckOutcome | { skip: string }): CheckOutcome {
  return 'skip' in result ? { status: 'skip', reason: result.skip } : result;
}

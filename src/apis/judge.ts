/**
 * Judges a recorded exchange as `tgc validate exchanges` does: the API its route names (see
 * `apiForExchange`), that API's decoder, loaded once per judge, and its checks. Shared by
 * `tgc validate`, `tgc matrix` and `tgc proxy`.
 */
import type { BaseExchangeView, RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { applyChecks, type CheckOutcome } from '../engine/inspect-exchange.js';
import { apiForExchange } from './index.js';
import type { ApiDefinition, Decoder } from './types.js';

export interface ExchangeJudgement {
  api: ApiDefinition<BaseExchangeView>;
  findings: Finding[];
  /** One outcome per check applied, by id. */
  outcomes: Map<string, CheckOutcome>;
}

/** Resolves to undefined for a route no API judges. */
export type ExchangeJudge = (exchange: RecordedExchange) => Promise<ExchangeJudgement | undefined>;

export function createExchangeJudge(): ExchangeJudge {
  const decoders = new Map<ApiDefinition<BaseExchangeView>, Promise<Decoder<BaseExchangeView>>>();
  return async (exchange) => {
    const api = apiForExchange(exchange);
    if (!api) return undefined;
    let decoder = decoders.get(api);
    if (!decoder) {
      decoder = api.decoder();
      decoders.set(api, decoder);
    }
    const view = (await decoder)(exchange, {});
    return new Judgement(api, applyChecks(view, api.checks));
  };
}

/**
 * A judgement whose outcomes are read through to applyChecks' (built on first read, which `tgc
 * validate` never does). A class rather than an object literal with a getter, which V8 builds
 * through its runtime (about 0.5 µs an exchange; see inspect-exchange.ts).
 */
class Judgement implements ExchangeJudgement {
  readonly api: ApiDefinition<BaseExchangeView>;
  readonly findings: Finding[];
  readonly #applied: { outcomes: Map<string, CheckOutcome> };

  constructor(api: ApiDefinition<BaseExchangeView>, applied: { findings: Finding[]; outcomes: Map<string, CheckOutcome> }) {
    this.api = api;
    this.findings = applied.findings;
    this.#applied = applied;
  }

  get outcomes(): Map<string, CheckOutcome> {
    return this.#applied.outcomes;
  }
}

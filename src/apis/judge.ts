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
    const judged = applyChecks(view, api.checks);
    // Not spread: that would build the outcomes, which `tgc validate` never reads.
    return {
      api,
      findings: judged.findings,
      get outcomes() {
        return judged.outcomes;
      },
    };
  };
}

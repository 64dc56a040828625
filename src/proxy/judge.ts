/**
 * Judges one proxied exchange exactly as `tgc validate exchanges` judges a recorded one: the API
 * its route names, that API's decoder (loaded once) and checks. Then splits the findings: what
 * the client sent (the request's own departures) is the client's side, everything else the
 * server's. The client's side also gets the rules `tgc validate request` applies (the schema and
 * the rules every server enforces), as `tgc mock --check-client` reports them.
 */
import type { ApiDefinition } from '../apis/index.js';
import { createExchangeJudge } from '../apis/judge.js';
import type { BaseExchangeView, RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from '../checks/check.js';
import type { CheckOutcome } from '../engine/inspect-exchange.js';
import type { TgcReport } from '../report/report.js';

/** The check under which the client's own departures are filed (as `tgc mock --check-client` does). */
export const CLIENT_CHECK: Pick<CheckDefinition, 'id' | 'severity' | 'title'> = {
  id: 'client-request',
  severity: 'violation',
  title: "the client's requests follow the contract (the client's side: fails only with --fail-on-client)",
};

/** Checks that judge what the client sent, not what the server answered. */
export const CLIENT_CHECK_IDS: ReadonlySet<string> = new Set([CLIENT_CHECK.id, 'request-schema', 'openai-request-schema']);

export function isClientFinding(f: Pick<Finding, 'check'>): boolean {
  return CLIENT_CHECK_IDS.has(f.check);
}

export interface Judgement {
  api: ApiDefinition<BaseExchangeView>;
  /** Every finding, the server's and the client's (`isClientFinding`). */
  findings: Finding[];
  /** One outcome per check applied, by id (`client-request` included). */
  outcomes: Map<string, CheckOutcome>;
}

/** `requestBytes`: the size of the request body the client sent (0: none; `undefined`: not received whole, so the client's side is not judged). */
export type Judge = (exchange: RecordedExchange, requestBytes: number | undefined) => Promise<Judgement>;

export function createJudge(): Judge {
  const judge = createExchangeJudge();
  return async (exchange, requestBytes) => {
    const judged = await judge(exchange);
    if (!judged) throw new Error(`no API of tgc judges the route ${exchange.route}`);
    const { api, findings, outcomes } = judged;
    if (requestBytes === undefined) {
      outcomes.set(CLIENT_CHECK.id, { status: 'skip', reason: 'the request body was not received whole' });
    } else {
      const client = await clientFindings(api, exchange, requestBytes);
      findings.push(...client);
      outcomes.set(CLIENT_CHECK.id, client.some((f) => f.severity === 'violation') ? { status: 'fail' } : { status: 'pass' });
    }
    return { api, findings, outcomes };
  };
}

/**
 * The client's departures the checks do not already report: a body that is not JSON, and the
 * request's violations of the schema and of the rules every server applies (its unknown keys are
 * the `request-schema` warnings the checks made).
 */
async function clientFindings(api: ApiDefinition<BaseExchangeView>, exchange: RecordedExchange, requestBytes: number): Promise<Finding[]> {
  if (exchange.route.startsWith('GET ')) return [];
  if (exchange.request === undefined) {
    return [
      {
        check: CLIENT_CHECK.id,
        severity: 'violation',
        kind: requestBytes > 0 ? 'not-json' : 'empty-body',
        title: requestBytes > 0 ? 'the request body is not JSON' : 'the request has no body',
        message: `${exchange.route} takes a JSON body; the client sent ${requestBytes > 0 ? `${requestBytes} bytes that are not JSON (or not UTF-8)` : 'none'}`,
      },
    ];
  }
  let found: Finding[];
  try {
    found = await api.artifacts.validateRequest(exchange.request, exchange.route);
  } catch {
    return [];
  }
  return found.filter((f) => f.severity === 'violation').map((f) => ({ ...f, check: CLIENT_CHECK.id }));
}

/**
 * Violations that fail the proxy's run: neither known (baseline) nor suppressed, and the
 * target's: the clients' too only with `failOnClient` (`--fail-on-client`).
 */
export function failingViolations(report: Pick<TgcReport, 'findings'>, failOnClient: boolean): number {
  let n = 0;
  for (const f of report.findings) {
    if (f.severity !== 'violation' || f.known === true || f.suppressed !== undefined) continue;
    if (!failOnClient && isClientFinding(f)) continue;
    n++;
  }
  return n;
}

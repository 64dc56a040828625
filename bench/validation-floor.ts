/**
 * The validation floor: tgc from bytes to a decoded exchange with no rule's own work. Each line
 * is parsed exactly (`parseExchangeLine`, u64-safe) and decoded by its route's API decoder, SSE
 * framing and the exact parse of every event included, but with a contract whose validators
 * accept every body as it is and with no check applied. What tgc costs above this floor is the
 * rules' own work: the request and response schemas (`request-schema`, `response-schema`,
 * `stream-event-schema`, …), the request rules, the error-body classification and the checks.
 * The bench prints it beside each kind's ratio (`floorRatio`, `rulesShare`), so that the share
 * issue 17 asks for ("where a check's own work keeps the figure above, show its share") is
 * measured in every run rather than read once from a profile. Not a goal: it is what no
 * validator of the same rules can go below with tgc's parse.
 */
import type { Contract, OpenAIContract, RecordedExchange } from './tgc.js';
import { apiForExchange, decodeExchange, decodeOpenAIExchange, parseExchangeLine } from './tgc.js';

/** Every body valid, as given (bigints and all: no check reads them here). */
const acceptingContract: Contract = {
  request: (body) => ({ findings: [], value: body as never }),
  requestSchemaReasons: () => [],
  response: (body) => ({ findings: [], value: (Array.isArray(body) ? body[0] : body) as never }),
  streamEvent: (data) =>
    data !== null && typeof data === 'object' && !Array.isArray(data) && 'error' in data
      ? { findings: [], error: data as never }
      : { findings: [], value: data as never },
  errorBody: (body) => ({ findings: [], value: body as never }),
  modelLoading: (body) => ({ findings: [], value: body as never }),
};

const acceptingOpenAIContract: OpenAIContract = {
  request: (body) => ({ findings: [], value: body as never }),
  requestRejectReasons: () => [],
  response: (body) => ({ findings: [], value: body as never }),
  chunk: (data) => ({ findings: [], value: data as never }),
  errorBody: () => ({ info: { shape: 'openai' }, findings: [] }),
  isErrorEvent: (data) => data !== null && typeof data === 'object' && !Array.isArray(data) && 'error' in data,
};

function decodeFloor(raw: RecordedExchange): unknown {
  const api = apiForExchange(raw);
  if (!api) throw new Error(`validation floor: no API judges the route ${raw.route}`);
  return api.name === 'openai' ? decodeOpenAIExchange(raw, acceptingOpenAIContract, {}) : decodeExchange(raw, acceptingContract, {});
}

/** The floor over `bytes` (the same UTF-8 decode and split as both other sides); returns the number of exchanges. */
export function floorPass(bytes: Buffer): number {
  const lines = bytes.toString('utf8').split('\n');
  let exchanges = 0;
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parseExchangeLine(line);
    if (!parsed.ok) throw new Error(`validation floor: a recorded line does not parse: ${parsed.error}`);
    if (decodeFloor(parsed.exchange) !== undefined) exchanges++;
  }
  return exchanges;
}

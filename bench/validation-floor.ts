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
import type { Contract, OpenAIContract } from './tgc.js';
import { apis, decodeExchange, decodeOpenAIExchange } from './tgc.js';
import { tgcPass, type Judge, type Judges } from './validation.js';

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

/** Each API's decoder with the accepting contract of its kind. */
const floorJudges: Judges = new Map(
  apis.map((api) => [
    api,
    (api.name === 'openai'
      ? (raw) => decodeOpenAIExchange(raw, acceptingOpenAIContract, {})
      : (raw) => decodeExchange(raw, acceptingContract, {})) as Judge,
  ]),
);

/** The floor over `bytes`: tgc's pass (the same UTF-8 decode, split and parse) stopped after decoding. */
export function floorPass(bytes: Buffer): { findings: number; violations: number; exchanges: number } {
  return tgcPass(bytes, floorJudges, false);
}

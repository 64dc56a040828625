import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject, mapDetails, mapResponses } from './_support.js';
import type { JsonObject } from './_support.js';
import type { Fault, FaultContext } from './fault.js';

function eosForLength(details: JsonObject, ctx: FaultContext): JsonObject {
  // Grammar outputs are left alone: "eos_token" there would also claim an unfinished grammar complete.
  if (ctx.request?.parameters.grammar !== null) return details;
  return details['finish_reason'] === 'length' ? { ...details, finish_reason: 'eos_token' } : details;
}

/**
 * Reports finish_reason "eos_token" when generation stopped at max_new_tokens: the last token is
 * an ordinary one. Requests with a grammar are answered faithfully.
 * @see tgi-behavior.md §2b N-3 (and N-2: TGI tests the length first)
 */
export const finishReasonEosOnLength: Fault = {
  name: 'finish-reason-eos-on-length',
  description: 'finish_reason is "eos_token" where generation hit max_new_tokens',
  detectedBy: 'finish-reason-eos',
  transformResponseBody: (body, ctx) => mapResponses(body, ctx, (r) => mapDetails(r, (d) => eosForLength(d, ctx))),
  transformEvent: (event: ExactJson, ctx) =>
    isFinalEvent(event) && isObject(event['details']) ? [{ ...event, details: eosForLength(event['details'], ctx) }] : [event],
};

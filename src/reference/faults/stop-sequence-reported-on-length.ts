import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject, mapDetails, mapResponses } from './_support.js';
import type { JsonObject } from './_support.js';
import type { Fault, FaultContext } from './fault.js';

function stopForLength(details: JsonObject, ctx: FaultContext): JsonObject {
  const hasStops = (ctx.request?.parameters.stop.length ?? 0) > 0;
  return hasStops && details['finish_reason'] === 'length' ? { ...details, finish_reason: 'stop_sequence' } : details;
}

/**
 * Reports finish_reason "stop_sequence" whenever the request has stop strings and generation
 * ended at max_new_tokens (it tests "were stop strings given" instead of "did one match").
 * @see tgi-behavior.md §2b N-5
 */
export const stopSequenceReportedOnLength: Fault = {
  name: 'stop-sequence-reported-on-length',
  description: 'finish_reason is "stop_sequence" where a request with stop strings hit max_new_tokens',
  detectedBy: 'stop-sequence-suffix',
  transformResponseBody: (body, ctx) => mapResponses(body, ctx, (r) => mapDetails(r, (d) => stopForLength(d, ctx))),
  transformEvent: (event: ExactJson, ctx) =>
    isFinalEvent(event) && isObject(event['details']) ? [{ ...event, details: stopForLength(event['details'], ctx) }] : [event],
};

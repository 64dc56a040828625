import { mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/** OpenAI's names where TGI's enum is {length, eos_token, stop_sequence}. */
const RENAMED: Readonly<Record<string, string>> = { length: 'max_tokens', eos_token: 'stop', stop_sequence: 'stop' };

/**
 * Reports finish_reason with OpenAI's names ("max_tokens", "stop") instead of TGI's enum.
 * @see tgi-behavior.md §2a (finish_reason, lib.rs:1412)
 */
export const finishReasonWrongEnum: Fault = {
  name: 'finish-reason-wrong-enum',
  description: 'details.finish_reason uses "max_tokens"/"stop" instead of length/eos_token/stop_sequence',
  detectedBy: 'response-schema',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => {
        const reason = d['finish_reason'];
        return typeof reason === 'string' ? { ...d, finish_reason: RENAMED[reason] ?? reason } : d;
      }),
    ),
};

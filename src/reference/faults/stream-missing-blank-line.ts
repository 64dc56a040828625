import { parseJson } from '../../core/json.js';
import { isFinalEvent } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Ends the final event with a single newline instead of a blank line, so that the stream ends
 * inside the event: a spec-compliant client discards it, with the generated_text.
 * @see tgi-behavior.md §2c SSE framing (axum Event::json_data: `data:` JSON `\n\n`)
 */
export const streamMissingBlankLine: Fault = {
  name: 'stream-missing-blank-line',
  description: 'the final SSE event is not terminated by a blank line',
  detectedBy: 'stream-framing',
  transformFrame: (frame) => {
    if (!frame.startsWith('data:')) return frame;
    const parsed = parseJson(frame.slice('data:'.length));
    return parsed.ok && isFinalEvent(parsed.value) ? frame.replace(/\n\n$/, '\n') : frame;
  },
};

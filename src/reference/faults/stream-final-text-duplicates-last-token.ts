import type { ExactJson } from '../../core/json.js';
import { isFinalEvent, isObject } from './_support.js';
import type { Fault } from './fault.js';

/**
 * The final event's generated_text counts the last token twice (it appends the final token's
 * text to a text that already holds it; an end-of-sequence token adds its "</s>").
 * @see tgi-behavior.md §2b N-12 with N-4
 */
export const streamFinalTextDuplicatesLastToken: Fault = {
  name: 'stream-final-text-duplicates-last-token',
  description: 'the final stream generated_text repeats the last token\'s text',
  detectedBy: 'stream-text',
  transformEvent: (event: ExactJson) => {
    if (!isFinalEvent(event) || !isObject(event['token'])) return [event];
    const text = event['token']['text'];
    return typeof text === 'string' && text !== '' ? [{ ...event, generated_text: `${String(event['generated_text'])}${text}` }] : [event];
  },
};

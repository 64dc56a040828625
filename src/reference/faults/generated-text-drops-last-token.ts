import { isObject, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Non-stream generated_text lacks the text of the last non-special token (an off-by-one when
 * decoding the output), while details.tokens lists it.
 * @see tgi-behavior.md §2b N-4
 */
export const generatedTextDropsLastToken: Fault = {
  name: 'generated-text-drops-last-token',
  description: 'non-stream generated_text lacks the last non-special token\'s text',
  detectedBy: 'text-matches-tokens',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) => {
      const text = r['generated_text'];
      const details = r['details'];
      const tokens = isObject(details) && Array.isArray(details['tokens']) ? details['tokens'] : [];
      const last = tokens.filter((t) => isObject(t) && t['special'] !== true).at(-1);
      const lastText = isObject(last) && typeof last['text'] === 'string' ? last['text'] : '';
      if (typeof text !== 'string' || lastText === '' || !text.endsWith(lastText)) return r;
      return { ...r, generated_text: text.slice(0, text.length - lastText.length) };
    }),
};

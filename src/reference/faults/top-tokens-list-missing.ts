import { mapDetails, mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * details.top_tokens has one list fewer than details.tokens (the last token's is left out).
 * @see tgi-behavior.md §2b N-8
 */
export const topTokensListMissing: Fault = {
  name: 'top-tokens-list-missing',
  description: 'details.top_tokens lacks the last token\'s list',
  detectedBy: 'top-tokens-shape',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) =>
      mapDetails(r, (d) => {
        const lists = d['top_tokens'];
        return Array.isArray(lists) && lists.length > 0 ? { ...d, top_tokens: lists.slice(0, -1) } : d;
      }),
    ),
};

import { mapResponses } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Names the response's text `generatedText` (camelCase) instead of `generated_text`.
 * @see tgi-behavior.md §2a (GenerateResponse, lib.rs:1474)
 */
export const generatedTextRenamed: Fault = {
  name: 'generated-text-renamed',
  description: 'non-stream responses carry "generatedText" instead of "generated_text"',
  detectedBy: 'response-schema',
  transformResponseBody: (body, ctx) =>
    mapResponses(body, ctx, (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k === 'generated_text' ? 'generatedText' : k, v]))),
};

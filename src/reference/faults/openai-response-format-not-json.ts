import { parseJson } from '../../core/json.js';
import { OPENAI_RUN, onMessages } from './_openai.js';
import type { Fault } from './fault.js';

const FENCE = '```json\n';

/**
 * Wraps JSON answers in a Markdown code fence (```json … ```), so that `response_format`
 * json_object or json_schema gets content that does not parse. Non-stream: the content, where
 * it parses as JSON; stream: each content fragment that opens an object or array gets the fence
 * before it.
 * @see openai-behavior.md §1 (response_format); verdict-policy (served but wrong is a violation)
 */
export const openaiResponseFormatNotJson: Fault = {
  name: 'openai-response-format-not-json',
  description: 'JSON-mode content comes wrapped in a ```json Markdown fence (not JSON)',
  detectedBy: 'openai-response-format',
  runOptions: OPENAI_RUN,
  ...onMessages((message, where) => {
    const format = where.ctx.openai?.kind === 'chat' ? where.ctx.openai.response_format?.type : undefined;
    const content = message['content'];
    if ((format !== 'json_object' && format !== 'json_schema') || typeof content !== 'string') return message;
    const opens = /^\s*[[{]/.test(content);
    if (where.stream) return opens ? { ...message, content: `${FENCE}${content}` } : message;
    const parsed = parseJson(content);
    return opens && parsed.ok ? { ...message, content: `${FENCE}${content}\n\`\`\`` } : message;
  }),
};

import { isObject } from './_support.js';
import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

const NAME = 'get_current_weather';

/**
 * With `tool_choice: "none"`, adds a tool call (`get_current_weather`, arguments `{}`) to each
 * choice where it finishes (`stop` becomes `tool_calls`), as a server that ignores
 * tool_choice does.
 * @see openai-behavior.md §1 (tool_choice); verdict-policy (a call when tool_choice is "none")
 */
export const openaiToolCallWhenNone: Fault = {
  name: 'openai-tool-call-when-none',
  description: 'with tool_choice "none", each answer gets a tool call added where it finishes',
  detectedBy: 'openai-tool-calls',
  runOptions: OPENAI_RUN,
  ...onChoices((choice, where) => {
    const request = where.ctx.openai;
    const finish = choice['finish_reason'];
    if (request?.kind !== 'chat' || request.tool_choice?.kind !== 'none' || typeof finish !== 'string' || finish === '') return choice;
    const key = where.stream ? 'delta' : 'message';
    const message = choice[key];
    if (!isObject(message)) return choice;
    const call = { id: 'call_0', type: 'function', function: { name: NAME, arguments: '{}' } };
    return { ...choice, [key]: { ...message, tool_calls: [where.stream ? { index: 0, ...call } : call] }, finish_reason: finish === 'stop' ? 'tool_calls' : finish };
  }),
};

import { OPENAI_RUN, mapFunction, mapToolCalls, onMessages } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Calls tools under a name that was not offered: the offered name with a `functions.` prefix,
 * as some chat templates make models write it.
 * @see openai-behavior.md §1 (tools); verdict-policy (a function name that was not offered)
 */
export const openaiToolNameNotOffered: Fault = {
  name: 'openai-tool-name-not-offered',
  description: 'tool calls name "functions.<name>" instead of the offered function name',
  detectedBy: 'openai-tool-calls',
  runOptions: OPENAI_RUN,
  ...onMessages((message) =>
    mapToolCalls(message, (call) =>
      mapFunction(call, (fn) => (typeof fn['name'] === 'string' && fn['name'] !== '' ? { ...fn, name: `functions.${fn['name']}` } : fn)),
    ),
  ),
};

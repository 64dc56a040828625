import { parseJson, type ExactJson } from '../../core/json.js';
import { isObject } from './_support.js';
import { OPENAI_RUN, mapFunction, mapToolCalls, onMessages } from './_openai.js';
import type { Fault } from './fault.js';

/** The arguments as the JSON object they spell; `{}` where they were cut short. */
function asObject(args: ExactJson | undefined): ExactJson | undefined {
  if (typeof args !== 'string') return args;
  const parsed = parseJson(args);
  return parsed.ok && isObject(parsed.value) ? parsed.value : {};
}

/** A stream fragment as an object, where it holds whole arguments (fragments of them stay text). */
function fragmentAsObject(args: ExactJson | undefined): ExactJson | undefined {
  if (typeof args !== 'string') return args;
  const parsed = parseJson(args);
  return parsed.ok && isObject(parsed.value) ? parsed.value : args;
}

/**
 * Sends tool-call `function.arguments` as a JSON object instead of a string, as TGI and
 * llama.cpp did: in the message form always (`{}` where the arguments were cut short by
 * max_tokens), in a stream where a fragment holds whole arguments.
 * @see openai-behavior.md §4.7 (TGI #2136, #2461; llama.cpp #20198)
 */
export const openaiToolArgumentsObject: Fault = {
  name: 'openai-tool-arguments-object',
  description: 'tool-call arguments are a JSON object, not a string',
  detectedBy: 'openai-tool-calls',
  runOptions: OPENAI_RUN,
  ...onMessages((message, where) =>
    mapToolCalls(message, (call) =>
      mapFunction(call, (fn) => ('arguments' in fn ? { ...fn, arguments: (where.stream ? fragmentAsObject : asObject)(fn['arguments']) ?? null } : fn)),
    ),
  ),
};

/**
 * Hooks of the quirks' departures that are not faults (tgc reports them as warnings, or not at
 * all, or they only make sense as part of one server's behaviour). Each acts on the
 * OpenAI-compatible routes only, as the faults do.
 */
import type { ExactJson } from '../../core/json.js';
import { isObject } from '../faults/_support.js';
import {
  CHAT_ROUTE,
  COMPLETIONS_ROUTE,
  OPENAI_RUN,
  errorMessage,
  isErrorBody,
  isGenerationRoute,
  isUsageChunk,
  onAnswers,
  onChoices,
  onMessages,
} from '../faults/_openai.js';
import type { Fault } from '../faults/fault.js';

type Hooks = Pick<Fault, 'transformResponseBody' | 'transformEvent'>;

function part(name: string, description: string, hooks: Partial<Fault>): Fault {
  return { name, description, runOptions: OPENAI_RUN, ...hooks };
}

/** `hooks` applied on one route only. */
function onRoute(route: string, hooks: Hooks): Hooks {
  return {
    transformResponseBody: (body, ctx) => (ctx.route === route ? (hooks.transformResponseBody?.(body, ctx) ?? body) : body),
    transformEvent: (event, ctx) => (ctx.route === route ? (hooks.transformEvent?.(event, ctx) ?? [event]) : [event]),
  };
}

/** TGI: `id: ""` on responses and chunks (TGI #1782). */
export const emptyIds = part('empty-ids', 'id is "" on responses and chunks', onAnswers((a) => ('id' in a ? { ...a, id: '' } : a)));

/** TGI: one choice whatever `n` (n unused): only choice 0 is served. */
export const oneChoice = part(
  'one-choice',
  'one choice whatever n',
  onAnswers((a, where) => {
    const choices = a['choices'];
    if (!Array.isArray(choices) || isUsageChunk(a)) return a;
    const kept = choices.filter((c) => !isObject(c) || c['index'] === 0);
    if (where.stream && choices.length > 0 && kept.length === 0) return [];
    return { ...a, choices: kept };
  }),
);

function withoutBytes(entry: ExactJson): ExactJson {
  if (!isObject(entry)) return entry;
  const { bytes: _bytes, ...rest } = entry;
  const top = rest['top_logprobs'];
  return Array.isArray(top) ? { ...rest, top_logprobs: top.map(withoutBytes) } : rest;
}

/** TGI: chat logprobs entries without `bytes`. */
export const noLogprobBytes = part(
  'no-logprob-bytes',
  'chat logprobs entries have no bytes',
  onChoices((choice, where) => {
    const logprobs = choice['logprobs'];
    if (!where.chat || !isObject(logprobs) || !Array.isArray(logprobs['content'])) return choice;
    return { ...choice, logprobs: { ...logprobs, content: logprobs['content'].map(withoutBytes) } };
  }),
);

/**
 * TGI: the stop string stays at the end of the content. Without the generation at hand, the
 * request's first stop string is put back where a choice stopped (`finish_reason: "stop"`) and
 * the request has stop strings (`ctx.openai.stop`).
 */
export const stopTextKept = part(
  'stop-text-kept',
  'the stop string stays in the content',
  onChoices((choice, where) => {
    const stop = where.ctx.openai?.stop[0];
    if (stop === undefined || choice['finish_reason'] !== 'stop') return choice;
    if (!where.chat) return { ...choice, text: `${typeof choice['text'] === 'string' ? choice['text'] : ''}${stop}` };
    const key = where.stream ? 'delta' : 'message';
    const message = choice[key];
    if (!isObject(message)) return choice;
    const content = message['content'];
    return { ...choice, [key]: { ...message, content: `${typeof content === 'string' ? content : ''}${stop}` } };
  }),
);

/**
 * TGI's finish_reason names: chat `stop_sequence` where a stop string matched (`stop` for EOS,
 * `FinishReason::format(true)`); completions `eos_token` or `stop_sequence` (`to_string()`).
 * A stop is taken for a stop-string match when the request has stop strings.
 */
export const tgiFinishReasons = part(
  'tgi-finish-reasons',
  'finish_reason stop_sequence (chat, completions) and eos_token (completions)',
  onChoices((choice, where) => {
    if (choice['finish_reason'] !== 'stop') return choice;
    const stopped = (where.ctx.openai?.stop.length ?? 0) > 0;
    if (where.chat) return stopped ? { ...choice, finish_reason: 'stop_sequence' } : choice;
    return { ...choice, finish_reason: stopped ? 'stop_sequence' : 'eos_token' };
  }),
);

/** TGI's completions stream: `finish_reason: ""` on the chunks before each prompt's last. */
export const completionsEmptyFinish = part(
  'completions-empty-finish',
  'completions stream chunks carry finish_reason "" before the last',
  onRoute(
    COMPLETIONS_ROUTE,
    onChoices((choice, where) => (where.stream && choice['finish_reason'] === null ? { ...choice, finish_reason: '' } : choice)),
  ),
);

/** TGI: every delta repeats `role: "assistant"` (allowed). */
export const roleEveryDelta = part(
  'role-every-delta',
  'every delta repeats role "assistant"',
  { transformEvent: onMessages((delta, where) => (where.stream ? { role: 'assistant', ...delta } : delta)).transformEvent },
);

/** TGI: tool calls end with `finish_reason: "stop"`, never `tool_calls`. */
export const toolCallsFinishStop = part(
  'tool-calls-finish-stop',
  'tool calls end with finish_reason "stop"',
  onRoute(CHAT_ROUTE, onChoices((choice) => (choice['finish_reason'] === 'tool_calls' ? { ...choice, finish_reason: 'stop' } : choice))),
);

/** `data:{…}` without the optional space (TGI's axum `Event::json_data`): correct SSE. */
export const dataNoSpace = part('data-no-space', 'SSE frames are data:{…} without the space', {
  transformFrame: (frame, ctx) => (isGenerationRoute(ctx.route) && frame.startsWith('data: ') ? `data:${frame.slice('data: '.length)}` : frame),
});

/** `{"error": "<message>"}` without `error_type` or an object (autogen PR #757, tensorzero #5445). */
export const errorBareString = part('error-bare-string', 'error bodies are {"error": "<message>"}', {
  transformResponseBody: (body, ctx) => (isErrorBody(body, ctx) ? { error: errorMessage(body) ?? '' } : body),
});


/**
 * Chat requests (`POST /v1/chat/completions`) that every real server of the field must serve,
 * drawn from spec/openai.yaml's request schema (roles, content-part types, `tool_choice` modes,
 * `response_format` types and every bound are read from it: ./_internals/spec-reader.ts).
 *
 * Messages: an optional `system` or `developer` message first; earlier user/assistant turns (text
 * or text parts); the last user turn (text, text parts, or with `images` an image part); with
 * tools, optionally a tool round-trip (an assistant `tool_calls` message calling an offered tool
 * with arguments valid for its schema, then the `tool` message answering it, and maybe a further
 * assistant/user turn). Turns alternate user/assistant, which every chat template accepts.
 *
 * Parameters: always a limit (`max_tokens`, or `max_completion_tokens`, never both: TGI reads one
 * as an alias of the other and rejects both together), 1..maxTokens; each other parameter
 * present or absent: temperature, top_p, penalties, seed, stop, n, logprobs/top_logprobs, the
 * stream keys, and either tools (with `tool_choice`) or `response_format`, never both (TGI:
 * "Grammar and tools are mutually exclusive"). No value is null: TGI reads `stream` and
 * `stream_options` as plain types that reject it.
 *
 * Cross-field rules kept: `top_logprobs` only with `logprobs: true` (OpenAI); `stream_options`
 * only on a stream (OpenAI); `n` > 1 never with temperature 0 (older vLLM rejects greedy with
 * several choices); a named `tool_choice` names an offered tool; `json_object` comes with the
 * word "JSON" in the last user message (OpenAI rejects it otherwise).
 *
 * Serialise with `stringifyJson` (core/json.ts): seeds above 2^53 are bigints.
 */
import fc from 'fast-check';
import type { ExactJson } from '../../core/json.js';
import type { ChatCompletionRequest } from '../../core/openai.js';
import { simpleObjectSchema, schemaInstance, type JsonObject } from './json-schema.js';
import { openaiSpecFacts as facts } from './_internals/spec-reader.js';
import {
  compact,
  frequencyPenalty,
  MAX_N,
  presencePenalty,
  resolveConstraints,
  seed,
  sentence,
  stop,
  streamKeys,
  temperature,
  topP,
  type OpenAIRequestConstraints,
  type ResolvedConstraints,
} from './_internals/values.js';

export type { OpenAIRequestConstraints } from './_internals/values.js';

/** A chat request body: the wire type, and JSON (`ExactJson`) as the engine sends it. */
export type ChatRequestBody = ChatCompletionRequest & JsonObject;

/** A 1×1 PNG, as a `data:` URL: the smallest image a vision model takes. */
export const TINY_PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Function names clients use; `^[a-zA-Z0-9_-]{1,64}$` (OpenAI), none of them TGI's reserved `no_tool`. */
export const TOOL_NAMES = ['get_weather', 'search_docs', 'get_time', 'convert_units', 'lookup-city', 'add2'] as const;
const SCHEMA_NAMES = ['answer', 'person_info', 'weather_report', 'result-v1'] as const;
const TOOL_RESULTS = ['{"temperature": 21, "unit": "celsius"}', 'It is sunny.', '42', '{"ok": true}'] as const;
const TOOL_CALL_IDS = ['call_1', '0', 'call_Xy12ab'] as const;

function role(name: string): string {
  if (!facts.roles.includes(name)) throw new Error(`[tgc] validChatRequest: spec/openai.yaml has no message role "${name}"`);
  return name;
}

function partType(name: string): string {
  if (!facts.userPartTypes.includes(name)) throw new Error(`[tgc] validChatRequest: spec/openai.yaml has no user content part "${name}"`);
  return name;
}

const ROLE = {
  developer: role('developer'),
  system: role('system'),
  user: role('user'),
  assistant: role('assistant'),
  tool: role('tool'),
};
const TEXT = partType('text');
const IMAGE = partType('image_url');

const textPart = (): fc.Arbitrary<JsonObject> => sentence().map((text) => ({ type: TEXT, text }));

/** Text content: a string, or a non-empty array of text parts. */
function textContent(): fc.Arbitrary<ExactJson> {
  return fc.oneof(
    { arbitrary: sentence(), weight: 3 },
    { arbitrary: fc.array(textPart(), { minLength: 1, maxLength: 3 }), weight: 1 },
  );
}

function imagePart(): fc.Arbitrary<JsonObject> {
  const detail = facts.imageDetails.length > 0 ? fc.option(fc.constantFrom(...facts.imageDetails), { nil: undefined, freq: 2 }) : fc.constant(undefined);
  return detail.map((d): JsonObject => ({ type: IMAGE, image_url: d === undefined ? { url: TINY_PNG_DATA_URL } : { url: TINY_PNG_DATA_URL, detail: d } }));
}

/** The last user turn: text, text parts, or (with images) text and an image. */
function lastUserContent(r: ResolvedConstraints): fc.Arbitrary<ExactJson> {
  if (!r.features.images) return textContent();
  return fc.oneof(
    { arbitrary: textContent(), weight: 2 },
    {
      arbitrary: fc.record({ text: textPart(), image: imagePart(), imageFirst: fc.boolean() }).map(({ text, image, imageFirst }) => (imageFirst ? [image, text] : [text, image])),
      weight: 1,
    },
  );
}

function leadMessage(): fc.Arbitrary<JsonObject | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: textContent().map((content) => ({ role: ROLE.system, content })), weight: 3 },
    { arbitrary: textContent().map((content) => ({ role: ROLE.developer, content })), weight: 1 },
  );
}

const turn = (): fc.Arbitrary<JsonObject[]> =>
  fc.tuple(textContent(), textContent()).map(([u, a]) => [{ role: ROLE.user, content: u }, { role: ROLE.assistant, content: a }]);

interface ToolsMode {
  kind: 'tools';
  tools: JsonObject[];
  choice: ExactJson | undefined;
  roundTrip: { index: number; args: JsonObject; id: string; result: string } | undefined;
  followUp: [string, string] | undefined;
}
interface FormatMode {
  kind: 'format';
  format: JsonObject;
}
type Mode = { kind: 'plain' } | ToolsMode | FormatMode;

/** One function tool named `name`, its `parameters` a generated schema, `strict` true, false or absent. */
export function functionTool(name: string): fc.Arbitrary<JsonObject> {
  return fc
    .record({
      strict: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
      description: fc.option(fc.constantFrom('Looks it up.', 'Returns the answer.', 'Does the work.'), { nil: undefined, freq: 2 }),
    })
    .chain(({ strict, description }) =>
      simpleObjectSchema({ strict: strict === true }).map((parameters) => {
        const fn: JsonObject = { name };
        if (description !== undefined) fn['description'] = description;
        fn['parameters'] = parameters;
        if (strict !== undefined) fn['strict'] = strict;
        return { type: 'function', function: fn };
      }),
    );
}

function toolsMode(): fc.Arbitrary<ToolsMode> {
  return fc
    .uniqueArray(fc.constantFrom(...TOOL_NAMES), { minLength: 1, maxLength: 3 })
    .chain((names) => fc.tuple(...names.map(functionTool)).map((tools) => ({ names, tools })))
    .chain(({ names, tools }) => {
      const choice = fc.option(
        fc.oneof(
          fc.constantFrom(...facts.toolChoiceModes),
          fc.constantFrom(...names).map((name): ExactJson => ({ type: 'function', function: { name } })),
        ),
        { nil: undefined, freq: 3 },
      );
      const roundTrip = fc.option(
        fc.nat({ max: tools.length - 1 }).chain((index) =>
          fc
            .record({
              args: schemaInstance(parametersOf(tools[index])),
              id: fc.constantFrom(...TOOL_CALL_IDS),
              result: fc.constantFrom(...TOOL_RESULTS),
            })
            .map((r) => ({ index, ...r })),
        ),
        { nil: undefined, freq: 2 },
      );
      return fc.record({
        kind: fc.constant('tools' as const),
        tools: fc.constant(tools),
        choice,
        roundTrip,
        followUp: fc.option(fc.tuple(sentence(), sentence()), { nil: undefined, freq: 2 }),
      });
    });
}

function parametersOf(tool: JsonObject | undefined): JsonObject {
  const fn = tool?.['function'];
  const p = typeof fn === 'object' && fn !== null && !Array.isArray(fn) ? fn['parameters'] : undefined;
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? p : { type: 'object', properties: {} };
}

function nameOf(tool: JsonObject | undefined): string {
  const fn = tool?.['function'];
  const n = typeof fn === 'object' && fn !== null && !Array.isArray(fn) ? fn['name'] : undefined;
  return typeof n === 'string' ? n : '';
}

/** A `response_format`: text, json_object, or json_schema with a generated schema. */
export function responseFormat(): fc.Arbitrary<JsonObject> {
  const options: fc.Arbitrary<JsonObject>[] = [];
  if (facts.responseFormatTypes.includes('text')) options.push(fc.constant({ type: 'text' }));
  if (facts.responseFormatTypes.includes('json_object')) options.push(fc.constant({ type: 'json_object' }));
  if (facts.responseFormatTypes.includes('json_schema')) {
    options.push(
      fc
        .record({
          name: fc.constantFrom(...SCHEMA_NAMES),
          strict: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
          description: fc.option(fc.constant('The shape of the answer.'), { nil: undefined, freq: 3 }),
        })
        .chain(({ name, strict, description }) =>
          simpleObjectSchema({ strict: strict === true }).map((schema) => {
            const js: JsonObject = { name };
            if (description !== undefined) js['description'] = description;
            js['schema'] = schema;
            if (strict !== undefined) js['strict'] = strict;
            return { type: 'json_schema', json_schema: js };
          }),
        ),
    );
  }
  if (options.length === 0) throw new Error('[tgc] validChatRequest: spec/openai.yaml lists no response_format type');
  return fc.oneof(...options);
}

/** Appends a request for JSON to a message's content (OpenAI wants the word with json_object). */
export function mentionJson(content: ExactJson): ExactJson {
  const ask = 'Answer in JSON.';
  if (typeof content === 'string') return `${content} ${ask}`;
  if (Array.isArray(content)) return [...content, { type: TEXT, text: ask }];
  return content;
}

/**
 * @example
 * fc.sample(validChatRequest({ model: 'tgi', maxTokens: 8, stream: true }), 1)
 * // [{ model: 'tgi', messages: [{ role: 'user', content: 'Write a short poem.' }], max_tokens: 5,
 * //    seed: 9007199254741001n, stream: true, stream_options: { include_usage: true } }]
 */
export function validChatRequest(constraints: OpenAIRequestConstraints = {}): fc.Arbitrary<ChatRequestBody> {
  const r = resolveConstraints(constraints, 'validChatRequest');
  const f = r.features;
  const modes: fc.WeightedArbitrary<Mode>[] = [{ arbitrary: fc.constant({ kind: 'plain' as const }), weight: 3 }];
  if (f.tools) modes.push({ arbitrary: toolsMode(), weight: 2 });
  if (f.responseFormat) modes.push({ arbitrary: responseFormat().map((format) => ({ kind: 'format' as const, format })), weight: 2 });
  const stopArb = stop(r);
  const limitKey = f.maxCompletionTokens ? fc.constantFrom('max_tokens', 'max_tokens', 'max_tokens', 'max_completion_tokens') : fc.constant('max_tokens');
  const absent = fc.constant(undefined);
  const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });

  return fc
    .record({
      lead: leadMessage(),
      history: fc.array(turn(), { maxLength: 2 }),
      last: lastUserContent(r),
      userName: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.constant('alice'), weight: 1 }),
      mode: fc.oneof(...modes),
      limitKey,
      limit: fc.integer({ min: 1, max: r.maxTokens }),
      temperature: opt(temperature()),
      top_p: opt(topP()),
      frequency_penalty: opt(frequencyPenalty()),
      presence_penalty: opt(presencePenalty()),
      seed: opt(seed()),
      stop: stopArb === undefined ? absent : opt(stopArb),
      n: f.n ? opt(fc.integer({ min: Math.max(1, facts.n.min), max: Math.min(MAX_N, facts.n.max) })) : absent,
      logprobs: f.logprobs ? opt(fc.record({ on: fc.boolean(), top: opt(fc.integer({ min: facts.topLogprobs.min, max: r.maxTopLogprobs })) })) : absent,
      streamKeys: streamKeys(r),
    })
    .map((d) => {
      const lastUser: JsonObject = { role: ROLE.user, content: d.last };
      if (d.userName !== undefined) lastUser['name'] = d.userName;
      const messages: JsonObject[] = [];
      if (d.lead !== undefined) messages.push(d.lead);
      for (const t of d.history) messages.push(...t);
      messages.push(lastUser);
      const extra: { [key: string]: ExactJson | undefined } = {};
      if (d.mode.kind === 'tools') {
        const m = d.mode;
        extra['tools'] = m.tools;
        extra['tool_choice'] = m.choice;
        if (m.roundTrip !== undefined) {
          const called = m.tools[m.roundTrip.index];
          messages.push(
            { role: ROLE.assistant, tool_calls: [{ id: m.roundTrip.id, type: 'function', function: { name: nameOf(called), arguments: JSON.stringify(m.roundTrip.args) } }] },
            { role: ROLE.tool, tool_call_id: m.roundTrip.id, content: m.roundTrip.result },
          );
          if (m.followUp !== undefined) {
            messages.push({ role: ROLE.assistant, content: m.followUp[0] }, { role: ROLE.user, content: m.followUp[1] });
          }
        }
      } else if (d.mode.kind === 'format') {
        extra['response_format'] = d.mode.format;
        if (d.mode.format['type'] !== 'text') lastUser['content'] = mentionJson(d.last);
      }
      const n = d.n;
      const body = compact({
        ...(r.model !== undefined ? { model: r.model } : {}),
        messages,
        [d.limitKey]: d.limit,
        // Greedy with several choices: older vLLM rejects it; leave the temperature at its default.
        temperature: n !== undefined && n > 1 && d.temperature === 0 ? undefined : d.temperature,
        top_p: d.top_p,
        frequency_penalty: d.frequency_penalty,
        presence_penalty: d.presence_penalty,
        seed: d.seed,
        stop: d.stop,
        n,
        logprobs: d.logprobs?.on,
        top_logprobs: d.logprobs?.on === true ? d.logprobs.top : undefined,
        ...extra,
        ...d.streamKeys,
      });
      return body as ChatRequestBody;
    });
}

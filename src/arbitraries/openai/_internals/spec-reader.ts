/**
 * Reads what the OpenAI arbitraries need out of spec/openai.yaml (as data in
 * src/generated/openai-spec.ts) once, at module load: each request property's bounds and enum,
 * the message roles and the content-part types each role takes, the `tool_choice` modes, the
 * `response_format` types, the most stop strings. The generators intersect these with the
 * conservative ranges real servers need (f32, u64, TGI's open `top_p` interval): the spec says
 * what is valid, the generators pick values that stay valid on every real server.
 *
 * A property or component the generators rely on that is missing from the spec throws here, at
 * load, naming it: a renamed field must not silently stop being generated.
 */
import { openaiSpec } from '../../../generated/openai-spec.js';

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
type JsonObject = { readonly [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const doc: unknown = openaiSpec;

function schemas(): JsonObject {
  const components = isObject(doc) ? doc['components'] : undefined;
  const s = isObject(components) ? components['schemas'] : undefined;
  if (!isObject(s)) throw new Error('[tgc] openai arbitraries: spec/openai.yaml has no components.schemas');
  return s;
}

/** A component schema by name. */
export function component(name: string): JsonObject {
  const s = schemas()[name];
  if (!isObject(s)) throw new Error(`[tgc] openai arbitraries: spec/openai.yaml has no component ${name}`);
  return s;
}

/** Follows a local `$ref` (once per level) to its schema. */
function deref(schema: JsonObject): JsonObject {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (m?.[1] === undefined) throw new Error(`[tgc] openai arbitraries: cannot resolve $ref ${ref}`);
  return deref(component(m[1]));
}

/** The branches of a schema (`oneOf`/`anyOf`), each dereferenced; `[schema]` when it has none. */
function branches(schema: JsonObject): JsonObject[] {
  const s = deref(schema);
  const list = s['oneOf'] ?? s['anyOf'];
  if (!Array.isArray(list)) return [s];
  return list.filter(isObject).map(deref);
}

/** The first value of `key` on the schema or on one of its (dereferenced) branches. */
function keyword(schema: JsonObject, key: string): Json | undefined {
  for (const b of [deref(schema), ...branches(schema)]) if (key in b) return b[key];
  return undefined;
}

function num(v: Json | undefined, what: string): number {
  if (typeof v !== 'number') throw new Error(`[tgc] openai arbitraries: spec/openai.yaml gives no ${what}`);
  return v;
}

/** One request property (`ChatCompletionRequest` or `CompletionRequest`). */
export function requestProperty(request: 'ChatCompletionRequest' | 'CompletionRequest', name: string): JsonObject {
  const properties = component(request)['properties'];
  const p = isObject(properties) ? properties[name] : undefined;
  if (!isObject(p)) throw new Error(`[tgc] openai arbitraries: ${request} has no property ${name} in spec/openai.yaml`);
  return p;
}

/** The inclusive numeric bounds the spec gives a request property. */
export function bounds(request: 'ChatCompletionRequest' | 'CompletionRequest', name: string): { min: number; max: number } {
  const p = requestProperty(request, name);
  return { min: num(keyword(p, 'minimum'), `minimum of ${request}.${name}`), max: num(keyword(p, 'maximum'), `maximum of ${request}.${name}`) };
}

/** The string values of the `enum` of a schema's property `prop` (e.g. a message's `role`). */
function enumOf(schema: JsonObject, prop: string): string[] {
  const properties = deref(schema)['properties'];
  const p = isObject(properties) ? properties[prop] : undefined;
  const e = isObject(p) ? keyword(p, 'enum') : undefined;
  return Array.isArray(e) ? e.filter((x): x is string => typeof x === 'string') : [];
}

function nonEmpty<T>(list: T[], what: string): T[] {
  if (list.length === 0) throw new Error(`[tgc] openai arbitraries: spec/openai.yaml lists no ${what}`);
  return list;
}

/** What the generators read from the spec, once. */
export interface OpenAISpecFacts {
  /** The message roles, in the spec's order (developer, system, user, assistant, tool). */
  roles: readonly string[];
  /** The content-part `type`s a user message takes (text, image_url, input_audio, file). */
  userPartTypes: readonly string[];
  /** `image_url.detail` values. */
  imageDetails: readonly string[];
  /** The string forms of `tool_choice` (none, auto, required). */
  toolChoiceModes: readonly string[];
  /** The `response_format` types (text, json_schema, json_object). */
  responseFormatTypes: readonly string[];
  /** Most stop strings in an array. */
  maxStop: number;
  temperature: { min: number; max: number };
  topP: { min: number; max: number };
  frequencyPenalty: { min: number; max: number };
  presencePenalty: { min: number; max: number };
  topLogprobs: { min: number; max: number };
  n: { min: number; max: number };
  /** The spec's seed bounds (the maximum as the nearest double: the generated data holds no bigint). */
  seed: { min: number; max: number };
  completionLogprobs: { min: number; max: number };
  /** Keys of each request, to check that what the generators send is declared. */
  chatKeys: ReadonlySet<string>;
  completionKeys: ReadonlySet<string>;
}

function readFacts(): OpenAISpecFacts {
  const message = component('ChatCompletionRequestMessage');
  const roles = nonEmpty(branches(message).flatMap((b) => enumOf(b, 'role')), 'message roles');
  const userParts = component('ChatCompletionRequestUserMessageContentPart');
  const userPartTypes = nonEmpty(branches(userParts).flatMap((b) => enumOf(b, 'type')), 'user content-part types');
  const image = component('ChatCompletionContentPartImage');
  const imageProps = image['properties'];
  const imageUrl = isObject(imageProps) && isObject(imageProps['image_url']) ? imageProps['image_url'] : {};
  const imageDetails = enumOf(imageUrl, 'detail');
  const choice = component('ChatCompletionToolChoiceOption');
  const toolChoiceModes = nonEmpty(
    branches(choice).flatMap((b) => (b['type'] === 'string' && Array.isArray(b['enum']) ? b['enum'].filter((x): x is string => typeof x === 'string') : [])),
    'tool_choice modes',
  );
  const format = requestProperty('ChatCompletionRequest', 'response_format');
  const responseFormatTypes = nonEmpty(branches(format).flatMap((b) => enumOf(b, 'type')), 'response_format types');
  const stop = requestProperty('ChatCompletionRequest', 'stop');
  const chatProps = component('ChatCompletionRequest')['properties'];
  const completionProps = component('CompletionRequest')['properties'];
  return {
    roles,
    userPartTypes,
    imageDetails,
    toolChoiceModes,
    responseFormatTypes,
    maxStop: num(keyword(stop, 'maxItems'), 'maxItems of stop'),
    temperature: bounds('ChatCompletionRequest', 'temperature'),
    topP: bounds('ChatCompletionRequest', 'top_p'),
    frequencyPenalty: bounds('ChatCompletionRequest', 'frequency_penalty'),
    presencePenalty: bounds('ChatCompletionRequest', 'presence_penalty'),
    topLogprobs: bounds('ChatCompletionRequest', 'top_logprobs'),
    n: bounds('ChatCompletionRequest', 'n'),
    seed: bounds('ChatCompletionRequest', 'seed'),
    completionLogprobs: bounds('CompletionRequest', 'logprobs'),
    chatKeys: new Set(isObject(chatProps) ? Object.keys(chatProps) : []),
    completionKeys: new Set(isObject(completionProps) ? Object.keys(completionProps) : []),
  };
}

/** The facts of the spec in force, read once. */
export const openaiSpecFacts: OpenAISpecFacts = readFacts();

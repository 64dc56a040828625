/**
 * Test-only: the official clients as witnesses of the quirks. Each client operation
 * (QUIRK_CLIENTS) sends one probe request to a server, with a deadline; what the client gives
 * back is reduced to what a user reads from it (`Seen`), and compared with what the same
 * operation gives against the conformant server (`classify`).
 *
 * The probe a quirk is seen through: the error quirks an invalid request (`messages: []`, a 422);
 * the quirks that concern tool calls a request that must call a tool (`tool_choice: "required"`),
 * TGI 3.3 through the `.stream()` helper only (its other departures show on a stop string); every
 * other quirk a seeded request that ends on a stop string (so that a renamed `stop` shows: a
 * generation cut by max_tokens ends on `length`, which no quirk renames).
 */
import { InferenceClient } from '@huggingface/inference';
import OpenAI from 'openai';
import type { QuirkClient, QuirkClientOutcome } from '../quirk.js';

type Json = any;

export const MODEL = 'tgc/reference-model';
/** A client that does not settle within this is recorded as hanging. */
export const DEADLINE_MS = 5000;

export type Probe = 'stop' | 'tools' | 'invalid';

const CREATE: QuirkClient = 'openai-node 6.30.1 (create)';
const STREAM: QuirkClient = 'openai-node 6.30.1 (stream)';
const HELPER: QuirkClient = 'openai-node 6.30.1 (.stream() helper)';
const HF: QuirkClient = '@huggingface/inference 4.13.16 (chatCompletion)';
const HF_STREAM: QuirkClient = '@huggingface/inference 4.13.16 (chatCompletionStream)';

const TOOL_QUIRKS = new Set(['tool-arguments-object', 'tool-delta-no-index']);
const ERROR_QUIRKS = new Set(['error-bare-string', 'error-in-stream']);

/** The probe `client` sends to a server with the quirk `quirk` (or the conformant one, for the same probe). */
export function probeFor(quirk: string, client: QuirkClient): Probe {
  if (ERROR_QUIRKS.has(quirk)) return 'invalid';
  if (TOOL_QUIRKS.has(quirk)) return 'tools';
  if (quirk === 'tgi-3.3' && client === HELPER) return 'tools';
  return 'stop';
}

const STORY = { model: MODEL, messages: [{ role: 'user', content: 'Tell me a story.' }], max_tokens: 16, seed: 21 };

/** The stop string of the `stop` probe: the third word the conformant server answers to the request without one. */
export async function chooseStop(baseUrl: string): Promise<string> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'x', maxRetries: 0, timeout: 10_000 });
  const r = await client.chat.completions.create(STORY as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
  const words = (r.choices[0]?.message.content ?? '').split(/\s+/).filter((w) => w !== '');
  const stop = words[2];
  if (stop === undefined) throw new Error(`the conformant server answered too short a story: ${JSON.stringify(r)}`);
  return stop;
}

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

/** The request body of a probe (without `stream`). */
export function probeBody(probe: Probe, stop: string): Json {
  switch (probe) {
    case 'stop':
      return { ...STORY, stop };
    case 'tools':
      // 64 tokens: the call is whole (about 41 tokens), so it ends on tool_calls, not length.
      return { model: MODEL, messages: [{ role: 'user', content: 'What is the weather in Paris?' }], max_tokens: 64, seed: 21, tools: [WEATHER_TOOL], tool_choice: 'required' };
    case 'invalid':
      return { model: MODEL, messages: [], max_tokens: 4 };
  }
}

/** A tool call as a user reads it. */
interface SeenToolCall {
  type: unknown;
  name: unknown;
  /** `json`: a string that parses; `text`: a string that does not; else the JSON type it has instead. */
  args: string;
}

/** What a user reads from a chat completion (a body, or a stream assembled as the openai docs do). */
export interface Seen {
  /** The `object` values (one per chunk of a stream, distinct). */
  objects: unknown[];
  /** Some id (of the response or a chunk) is "" or missing. */
  idEmpty: boolean;
  model: unknown;
  /** Distinct choice indices. */
  choices: number;
  role: unknown;
  /** Choice 0's content (a stream's deltas concatenated; null where none had content). */
  content: unknown;
  /** Choice 0's finish_reason (a stream's: the one on its last chunk). */
  finish: unknown;
  /** Streams: the finish_reason values other than null on choice 0's chunks before its last. */
  finishBefore: unknown[];
  toolCalls: SeenToolCall[];
  /** Streams: some tool-call delta has no integer `index`. */
  toolIndexMissing: boolean;
  /** The usage a user takes (a stream's: the last one sent). */
  usage: unknown;
  /** How many usage objects came (a body: 0 or 1; a stream: the chunks with a non-null usage). */
  usages: number;
}

function argsKind(args: unknown): string {
  if (typeof args !== 'string') return args === null ? 'null' : Array.isArray(args) ? 'array' : typeof args;
  try {
    JSON.parse(args);
    return 'json';
  } catch {
    return 'text';
  }
}

function isObj(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-stream chat completion (from create, the helper's final completion, or chatCompletion). */
export function seenFromCompletion(r: Json): Seen {
  const choices: Json[] = Array.isArray(r?.choices) ? r.choices : [];
  const c0 = choices.find((c) => c?.index === 0) ?? choices[0];
  const calls: Json[] = Array.isArray(c0?.message?.tool_calls) ? c0.message.tool_calls : [];
  return {
    objects: [r?.object],
    idEmpty: typeof r?.id !== 'string' || r.id === '',
    model: r?.model,
    choices: new Set(choices.map((c) => c?.index)).size,
    role: c0?.message?.role,
    content: c0?.message?.content ?? null,
    finish: c0?.finish_reason,
    finishBefore: [],
    toolCalls: calls.map((t) => ({ type: t?.type, name: t?.function?.name, args: argsKind(t?.function?.arguments) })),
    toolIndexMissing: false,
    usage: r?.usage ?? null,
    usages: isObj(r?.usage) ? 1 : 0,
  };
}

/** Stream chunks, assembled as a user following the openai docs does: deltas by choice index, tool-call fragments by their index. */
export function seenFromChunks(chunks: readonly Json[]): Seen {
  const objects: unknown[] = [];
  const indices = new Set<unknown>();
  let idEmpty = false;
  let model: unknown;
  let role: unknown;
  let content: string | null = null;
  const finishes: unknown[] = [];
  const calls = new Map<string, { type: unknown; name: unknown; args: string; other?: string }>();
  let toolIndexMissing = false;
  let usage: unknown = null;
  let usages = 0;
  for (const chunk of chunks) {
    if (!objects.includes(chunk?.object)) objects.push(chunk?.object);
    if (typeof chunk?.id !== 'string' || chunk.id === '') idEmpty = true;
    model ??= chunk?.model;
    if (isObj(chunk?.usage)) {
      usage = chunk.usage;
      usages += 1;
    }
    for (const choice of Array.isArray(chunk?.choices) ? (chunk.choices as Json[]) : []) {
      indices.add(choice?.index);
      if (choice?.index !== 0) continue;
      finishes.push(choice.finish_reason);
      const delta = choice.delta ?? {};
      if (delta.role !== undefined) role ??= delta.role;
      if (typeof delta.content === 'string') content = (content ?? '') + delta.content;
      for (const t of Array.isArray(delta.tool_calls) ? (delta.tool_calls as Json[]) : []) {
        if (!Number.isInteger(t?.index)) toolIndexMissing = true;
        const key = String(t?.index);
        const call = calls.get(key) ?? { type: undefined, name: undefined, args: '' };
        call.type ??= t?.type;
        call.name ??= t?.function?.name;
        const fragment = t?.function?.arguments;
        if (typeof fragment === 'string') call.args += fragment;
        else if (fragment !== undefined) call.other = argsKind(fragment);
        calls.set(key, call);
      }
    }
  }
  return {
    objects,
    idEmpty,
    model,
    choices: indices.size,
    role,
    content,
    finish: finishes.at(-1),
    finishBefore: [...new Set(finishes.slice(0, -1).filter((f) => f !== null))],
    toolCalls: [...calls.values()].map((c) => ({ type: c.type, name: c.name, args: c.other ?? argsKind(c.args) })),
    toolIndexMissing,
    usage,
    usages,
  };
}

/** What an operation gave: a result, an error, or nothing within the deadline. */
export type Observed =
  | { kind: 'result'; seen: Seen }
  | { kind: 'error'; cls: string; status: number | undefined; message: string }
  | { kind: 'hang' };

function shorten(text: string, max = 140): string {
  const line = (text.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function errorOf(e: unknown): Observed {
  if (!(e instanceof Error)) return { kind: 'error', cls: typeof e, status: undefined, message: shorten(String(e)) };
  const status = (e as Json).status ?? (e as Json).httpResponse?.status;
  return { kind: 'error', cls: e.constructor.name, status: typeof status === 'number' ? status : undefined, message: shorten(e.message) };
}

/** Runs `op` with a deadline: aborts it (its signal) and records a hang when it does not settle in time. */
async function withDeadline(op: (signal: AbortSignal) => Promise<Seen>, ms: number): Promise<Observed> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Observed>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang' }), ms);
  });
  const run = op(abort.signal).then(
    (seen): Observed => ({ kind: 'result', seen }),
    (e: unknown): Observed => errorOf(e),
  );
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** Runs one client operation with `body` against the server at `baseUrl` (no `/v1`). */
export function runClient(client: QuirkClient, baseUrl: string, body: Json, ms = DEADLINE_MS): Promise<Observed> {
  const openai = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'x', maxRetries: 0, timeout: 10_000 });
  const hf = new InferenceClient();
  const endpointUrl = `${baseUrl}/v1/chat/completions`;
  const withUsage = { ...body, stream_options: { include_usage: true } };
  return withDeadline(async (signal) => {
    switch (client) {
      case CREATE:
        return seenFromCompletion(await openai.chat.completions.create(body, { signal }));
      case STREAM: {
        const stream = await openai.chat.completions.create({ ...withUsage, stream: true } as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { signal });
        const chunks: Json[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        return seenFromChunks(chunks);
      }
      case HELPER:
        return seenFromCompletion(await openai.chat.completions.stream(withUsage, { signal }).finalChatCompletion());
      case HF:
        return seenFromCompletion(await hf.chatCompletion({ endpointUrl, ...body }, { retry_on_error: false, signal }));
      case HF_STREAM: {
        const chunks: Json[] = [];
        for await (const chunk of hf.chatCompletionStream({ endpointUrl, ...withUsage }, { retry_on_error: false, signal })) chunks.push(chunk);
        return seenFromChunks(chunks);
      }
    }
    throw new Error(`unknown client ${String(client)}`);
  }, ms);
}

const FINISH_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

/** What a user reads differently in `seen` than in the conformant server's `base`, in a few words each. */
export function differences(seen: Seen, base: Seen, stop: string): string[] {
  const out: string[] = [];
  if (JSON.stringify(seen.objects) !== JSON.stringify(base.objects)) out.push(`object ${seen.objects.map(show).join(', ')}`);
  if (seen.idEmpty && !base.idEmpty) out.push('id ""');
  if (seen.model !== base.model) out.push(`model ${show(seen.model)}`);
  if (seen.choices !== base.choices) out.push(`${seen.choices} choices`);
  if (seen.role !== base.role) out.push(`role ${show(seen.role)}`);
  if (seen.finishBefore.length > 0 && base.finishBefore.length === 0) {
    out.push(`finish_reason ${seen.finishBefore.map(show).join(', ')} (not null) before the last chunk`);
  }
  if (seen.finish !== base.finish) {
    out.push(
      FINISH_REASONS.has(String(seen.finish))
        ? `finish_reason ${show(seen.finish)} (conformant: ${show(base.finish)})`
        : `finish_reason ${show(seen.finish)} passed through (outside the enum)`,
    );
  }
  if (seen.content !== base.content) {
    out.push(typeof seen.content === 'string' && seen.content === `${String(base.content)}${stop}` ? 'content ends with the stop text' : `content differs`);
  }
  if (seen.toolIndexMissing) out.push('tool-call deltas without index');
  if (seen.toolCalls.length === 0 && base.toolCalls.length > 0) out.push('the tool call is dropped (tool_calls: [])');
  else if (seen.toolCalls.length !== base.toolCalls.length) out.push(`${seen.toolCalls.length} tool calls (conformant: ${base.toolCalls.length})`);
  for (const [i, call] of seen.toolCalls.entries()) {
    const b = base.toolCalls[i];
    if (!b) continue;
    if (call.args !== b.args) {
      out.push(call.args === 'text' ? 'tool-call arguments a string that is not JSON' : `tool-call arguments an ${call.args}, not a string`);
    }
    if (call.type !== b.type) out.push(`tool-call type ${show(call.type)}`);
    if (call.name !== b.name) out.push(`tool-call name ${show(call.name)}`);
  }
  if (seen.usages === 0 && base.usages > 0) out.push('no usage');
  else if (seen.usages > base.usages) out.push(`usage on ${seen.usages} chunks (conformant: ${base.usages})`);
  else if (JSON.stringify(seen.usage) !== JSON.stringify(base.usage)) out.push(`usage ${show(seen.usage)}`);
  return out;
}

const errorText = (o: Extract<Observed, { kind: 'error' }>): string =>
  `${o.cls} (${o.status !== undefined ? `status ${o.status}` : 'no HTTP status'}): ${o.message}`;

/** The outcome of an operation against a quirk, given what the same operation gave against the conformant server. */
export function classify(observed: Observed, base: Observed, stop: string): QuirkClientOutcome {
  if (observed.kind === 'hang') return { outcome: 'hangs', detail: `no settle within ${DEADLINE_MS / 1000} s` };
  if (base.kind === 'hang') throw new Error('the conformant server hung');
  if (base.kind === 'error') {
    // The error probe: the conformant server's error is what works.
    if (observed.kind === 'result') return { outcome: 'misreads', detail: 'returned without error where the request is invalid' };
    if (observed.cls === base.cls && observed.status === base.status && observed.message === base.message) return { outcome: 'works' };
    return { outcome: 'throws', detail: errorText(observed) };
  }
  if (observed.kind === 'error') return { outcome: 'throws', detail: errorText(observed) };
  const diffs = differences(observed.seen, base.seen, stop);
  return diffs.length === 0 ? { outcome: 'works' } : { outcome: 'misreads', detail: diffs.join('; ') };
}

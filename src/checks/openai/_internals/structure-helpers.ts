/**
 * Shared reading helpers of the structural and stream checks of the OpenAI-compatible routes.
 * Bodies arrive validated, but the values the schema leaves open for a check to judge (`object`,
 * `finish_reason`, choice `index`, tool-call `index` and `arguments`) may be any JSON value, so
 * everything here reads defensively and never throws.
 */
import type { OpenAIExchangeView } from '../../../core/exchange.js';
import type { Finding } from '../../../core/finding.js';
import type { CheckKind } from '../../check.js';
import type { ReportFinding } from '../../_internals/findings.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A JSON-ish rendering of any value for messages (bigint-safe, bounded, never throws). */
export function show(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'bigint') return value.toString();
  // A string, number, boolean or null (most values shown): no replacer, which slows JSON.stringify.
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** A safe integer (`bigint` values are beyond any choice count). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A finite number, or a bigint as a number (token counts); undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** The findings the decoder filed under a check id (schema, error body). */
export function decodedFor(view: OpenAIExchangeView, id: string): Finding[] {
  return (view.decodeFindings ?? []).filter((f) => f.check === id);
}

/** The request as a record: the validated request, or the raw body when it is a JSON object. */
export function requestRecord(view: OpenAIExchangeView): JsonRecord | undefined {
  if (view.request !== undefined) return view.request as JsonRecord;
  return isRecord(view.requestBody) ? view.requestBody : undefined;
}

/** The 0-based event position of chunk `i`. */
export function chunkEvent(view: OpenAIExchangeView, i: number): number {
  return view.chunkEvents?.[i] ?? i;
}

/** One chunk of a stream, with its position among chunks and among events. */
export interface StreamChunk {
  chunk: JsonRecord;
  /** Position among the chunks. */
  position: number;
  /** 0-based position among the stream's events. */
  event: number;
}

/**
 * Several checks read every stream's chunks: listed once per view (for the same chunks and events;
 * never edited). They ask in a row, so one entry (the view asked last) answers them, cheaper than
 * a WeakMap.
 */
let listed: { view: OpenAIExchangeView; chunks: unknown; events: unknown; out: readonly StreamChunk[] } | undefined;

/** The stream's chunks as records, with their event positions; undefined when they did not decode. */
export function streamChunks(view: OpenAIExchangeView): readonly StreamChunk[] | undefined {
  if (view.chunks === undefined) return undefined;
  const cached = listed;
  if (cached !== undefined && cached.view === view && cached.chunks === view.chunks && cached.events === view.chunkEvents) return cached.out;
  const out: StreamChunk[] = [];
  const chunks = view.chunks;
  for (let position = 0; position < chunks.length; position++) {
    const chunk: unknown = chunks[position];
    if (isRecord(chunk)) out.push({ chunk, position, event: chunkEvent(view, position) });
  }
  listed = { view, chunks: view.chunks, events: view.chunkEvents, out };
  return out;
}

/** The `choices` of a body or chunk, as records with their position in the array. */
export function choicesOf(body: unknown): { choice: JsonRecord; at: number }[] {
  if (!isRecord(body)) return [];
  const choices = body['choices'];
  if (!Array.isArray(choices)) return [];
  const out: { choice: JsonRecord; at: number }[] = [];
  choices.forEach((choice: unknown, at) => {
    if (isRecord(choice)) out.push({ choice, at });
  });
  return out;
}

/** A stable key for a choice's `index`, whatever its JSON value. */
export function choiceKey(index: unknown): string {
  return isInteger(index) ? String(index) : `?${show(index)}`;
}

/** Why an exchange is not a decoded 2xx stream, or undefined when it is one. */
export function notAStream(view: OpenAIExchangeView): string | undefined {
  if (view.transportFailure !== undefined) return 'the exchange did not complete (response-completes judges it)';
  if (!view.streamed) return 'not a stream request';
  if (!is2xx(view.status)) return `HTTP ${view.status}: no stream to judge`;
  if (view.kind === 'models') return 'GET /v1/models is not a stream';
  if (view.chunks === undefined) return 'the stream\'s chunks did not decode (openai-chunk-schema / openai-stream-done judge it)';
  return undefined;
}

/** Why an exchange is not a decoded 2xx non-stream body, or undefined when it is one. */
export function notAResponse(view: OpenAIExchangeView): string | undefined {
  if (view.transportFailure !== undefined) return 'the exchange did not complete (response-completes judges it)';
  if (!is2xx(view.status)) return `HTTP ${view.status}: no response body to judge`;
  if (view.response === undefined) {
    return view.streamed ? 'a stream, not a response body' : 'the response body did not validate (openai-response-schema judges it)';
  }
  return undefined;
}

/** The number of prompts of a completions request: an array of strings or of token arrays holds several. */
export function promptCount(prompt: unknown): number | undefined {
  if (typeof prompt === 'string') return 1;
  if (!Array.isArray(prompt)) return undefined;
  if (prompt.length === 0) return 0;
  // An array of token ids is one prompt; an array of strings or of token arrays is a batch.
  if (prompt.every((p) => typeof p === 'number' || typeof p === 'bigint')) return 1;
  return prompt.length;
}

/** `n` as asked (1 when absent or null); undefined when it is not a positive integer. */
export function askedN(request: JsonRecord): number | undefined {
  const n = request['n'];
  if (n === undefined || n === null) return 1;
  return isInteger(n) && n >= 1 ? n : undefined;
}

/** How many choices the request asks for: n (chat), n × prompts (completions); undefined when unknown. */
export function requestedChoices(view: OpenAIExchangeView): number | undefined {
  if (view.request === undefined || view.kind === 'models') return undefined;
  const request = view.request as JsonRecord;
  const n = askedN(request);
  if (n === undefined) return undefined;
  if (view.kind === 'chat') return n;
  const prompts = promptCount(request['prompt']);
  return prompts === undefined || prompts < 1 ? undefined : n * prompts;
}

/** True when the request asks `stream_options.include_usage: true`. */
export function includeUsageAsked(view: OpenAIExchangeView): boolean {
  const request = requestRecord(view);
  const options = request?.['stream_options'];
  return isRecord(options) && options['include_usage'] === true;
}

/**
 * Counts departures by kind and reports each kind once, at its first occurrence, with how many
 * more there were: a 300-chunk stream with the same departure on every chunk gives one finding.
 */
export class Tally<K extends string> {
  // Made at the first departure: most checks on most exchanges find none, and a Map per check
  // per exchange was a good part of the checks' garbage.
  private hits: Map<K, { message: string; pointer?: string; event?: number; count: number }> | undefined;

  /** `place` may be a function: it is called only for a kind's first occurrence (messages cost). */
  add(kind: K, place: { message: string; pointer?: string; event?: number } | (() => { message: string; pointer?: string; event?: number })): void {
    const hits = (this.hits ??= new Map());
    const seen = hits.get(kind);
    if (seen !== undefined) {
      seen.count += 1;
      return;
    }
    // Field by field, not a spread: places come in many shapes, and a spread over many shapes
    // takes V8's slow path (about a microsecond each). `findings` reads only these four.
    const p = typeof place === 'function' ? place() : place;
    hits.set(kind, { message: p.message, pointer: p.pointer, event: p.event, count: 1 });
  }

  has(kind: K): boolean {
    return this.hits !== undefined && this.hits.has(kind);
  }

  /**
   * Counts one more occurrence of a kind already seen, and says so; false (nothing counted) for a
   * kind not seen yet, which `add` then records with its place. Spares a departure repeated on
   * every chunk the closure of its place.
   */
  bump(kind: K): boolean {
    const seen = this.hits?.get(kind);
    if (seen === undefined) return false;
    seen.count += 1;
    return true;
  }

  findings(report: ReportFinding<K>, unit = 'occurrence'): Finding[] {
    const out: Finding[] = [];
    if (this.hits === undefined) return out;
    for (const [kind, hit] of this.hits) {
      const more = hit.count > 1 ? ` (${hit.count} ${unit}s in all; the first is reported)` : '';
      const place: { message: string; pointer?: string; event?: number } = { message: `${hit.message}${more}` };
      if (hit.pointer !== undefined) place.pointer = hit.pointer;
      if (hit.event !== undefined) place.event = hit.event;
      out.push(report(kind, place));
    }
    return out;
  }
}

/** Type helper: a table of kinds. */
export type Kinds<K extends string> = Readonly<Record<K, CheckKind>>;

/**
 * What axum's `Json<GenerateRequest>` extractor does before TGI's handler runs, with its
 * text/plain rejections (tgi-behavior §2c; axum 0.7 `extract/rejection.rs`):
 * 415 "Expected request with `Content-Type: application/json`", 413 over the payload limit,
 * 400 "Failed to parse the request body as JSON: …" and 422 "Failed to deserialize the JSON body
 * into the target type: …" with serde's wording, path and position. Parsing is exact
 * (core/json.ts), so u64 seeds survive.
 */
import { parseJson } from '../core/json.js';
import type { ExactJson } from '../core/json.js';
import { arrayElements, lineColumn, objectMembers, rootSpan } from './json-scan.js';
import type { Span } from './json-scan.js';
import { jsonSyntaxError, mayHaveLoneSurrogate } from './json-syntax.js';

export type TypedGrammar =
  | { type: 'json'; value: ExactJson }
  | { type: 'regex'; value: string }
  | { type: 'json_schema'; value: { name: string | null; schema: ExactJson } };

/** `GenerateParameters` after serde: integers exact (bigint), floats as read (rounded later). */
export interface TypedParameters {
  best_of: bigint | null;
  decoder_input_details: boolean;
  details: boolean;
  do_sample: boolean;
  frequency_penalty: number | null;
  grammar: TypedGrammar | null;
  max_new_tokens: bigint | null;
  repetition_penalty: number | null;
  return_full_text: boolean | null;
  seed: bigint | null;
  stop: string[];
  temperature: number | null;
  top_k: bigint | null;
  top_n_tokens: bigint | null;
  top_p: number | null;
  truncate: bigint | null;
  typical_p: number | null;
  watermark: boolean;
  adapter_id: string | null;
}

export interface TypedRequest {
  inputs: string;
  parameters: TypedParameters;
  /** False when the body had no `parameters`: TGI's `default_parameters()` applied (do_sample true). */
  parametersPresent: boolean;
  /** `stream` of the compat route (false elsewhere, where it is not a field). */
  stream: boolean;
  /** Keys the server ignores, as JSON paths (`options`, `parameters.foo`). */
  unknownKeys: string[];
  /** The body as parsed. */
  body: ExactJson;
}

/** The struct the route deserializes: `/generate*` and `/` differ by `stream`. */
export type RequestStruct = 'GenerateRequest' | 'CompatGenerateRequest';

export type BodyRejection = { status: 400 | 413 | 415 | 422; message: string; kind: BodyRejectionKind };
export type BodyRejectionKind = 'content-type' | 'payload-too-large' | 'json-syntax' | 'json-data';
export type BodyResult = { ok: true; request: TypedRequest } | ({ ok: false } & BodyRejection);

export const REJECTION_PREFIX = {
  415: 'Expected request with `Content-Type: application/json`',
  413: 'Failed to buffer the request body: length limit exceeded',
  400: 'Failed to parse the request body as JSON: ',
  422: 'Failed to deserialize the JSON body into the target type: ',
} as const;

/** The defaults of `default_parameters()` (L:436), used when `parameters` is absent. */
export function defaultParameters(doSample: boolean): TypedParameters {
  return {
    best_of: null,
    decoder_input_details: false,
    details: false,
    do_sample: doSample,
    frequency_penalty: null,
    grammar: null,
    max_new_tokens: null,
    repetition_penalty: null,
    return_full_text: null,
    seed: null,
    stop: [],
    temperature: null,
    top_k: null,
    top_n_tokens: null,
    top_p: null,
    truncate: null,
    typical_p: null,
    watermark: false,
    adapter_id: null,
  };
}

/** axum's `json_content_type`: `application/json` or `application/*+json`, parameters allowed. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const essence = value.split(';')[0]?.trim().toLowerCase() ?? '';
  const [type, subtype = ''] = essence.split('/');
  return type === 'application' && (subtype === 'json' || subtype.endsWith('+json'));
}

/** Reads and deserializes a request body as axum + serde would; never throws. */
export async function readRequestBody(request: Request, payloadLimit: number, struct: RequestStruct): Promise<BodyResult> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return { ok: false, status: 415, message: REJECTION_PREFIX[415], kind: 'content-type' };
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > payloadLimit) return { ok: false, status: 413, message: REJECTION_PREFIX[413], kind: 'payload-too-large' };
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > payloadLimit) return { ok: false, status: 413, message: REJECTION_PREFIX[413], kind: 'payload-too-large' };
  return deserializeBody(bytes, struct);
}

/**
 * The body's JSON, or the 400 axum answers for bytes that are not UTF-8 JSON, with serde_json's
 * wording. Every route's deserializer starts here (the native ones below, the OpenAI-compatible
 * ones in ./openai/request.ts).
 */
export function parseBodyJson(bytes: Uint8Array): { ok: true; text: string; value: ExactJson } | ({ ok: false } & BodyRejection) {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return syntax('invalid unicode code point at line 1 column 1');
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return syntax(jsonSyntaxError(text) ?? `expected value at ${lineColumn(text, parsed.offset ?? 0)}`);
  if (mayHaveLoneSurrogate(text)) {
    const error = jsonSyntaxError(text);
    if (error) return syntax(error);
  }
  return { ok: true, text, value: parsed.value };
}

/** The 400/422 part of {@link readRequestBody}, on bytes already read. */
export function deserializeBody(bytes: Uint8Array, struct: RequestStruct): BodyResult {
  const json = parseBodyJson(bytes);
  if (!json.ok) return json;
  try {
    return { ok: true, request: new Deserializer(json.text, json.value).request(struct) };
  } catch (e) {
    if (e instanceof DataError) return { ok: false, status: 422, message: REJECTION_PREFIX[422] + e.message, kind: 'json-data' };
    throw e;
  }
}

function syntax(detail: string): { ok: false } & BodyRejection {
  return { ok: false, status: 400, message: REJECTION_PREFIX[400] + detail, kind: 'json-syntax' };
}

class DataError extends Error {}

type IntKind = 'usize' | 'u64' | 'u32' | 'i32';
const INT_RANGE: Record<IntKind, [bigint, bigint]> = {
  usize: [0n, 2n ** 64n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
};

type FieldKind = IntKind | 'f32' | 'bool' | 'string' | 'stop' | 'grammar';

/** GenerateParameters' fields: their serde type, and whether they are `Option` (null accepted). */
const PARAMETER_FIELDS: Record<keyof TypedParameters, { kind: FieldKind; option: boolean }> = {
  best_of: { kind: 'usize', option: true },
  decoder_input_details: { kind: 'bool', option: false },
  details: { kind: 'bool', option: false },
  do_sample: { kind: 'bool', option: false },
  frequency_penalty: { kind: 'f32', option: true },
  grammar: { kind: 'grammar', option: true },
  max_new_tokens: { kind: 'u32', option: true },
  repetition_penalty: { kind: 'f32', option: true },
  return_full_text: { kind: 'bool', option: true },
  seed: { kind: 'u64', option: true },
  stop: { kind: 'stop', option: false },
  temperature: { kind: 'f32', option: true },
  top_k: { kind: 'i32', option: true },
  top_n_tokens: { kind: 'u32', option: true },
  top_p: { kind: 'f32', option: true },
  truncate: { kind: 'usize', option: true },
  typical_p: { kind: 'f32', option: true },
  watermark: { kind: 'bool', option: false },
  adapter_id: { kind: 'string', option: true },
};

const GRAMMAR_VARIANTS = ['json', 'json_object', 'regex', 'json_schema'];

/** serde's wording for a float in a message: always with a decimal point. */
export function floatText(raw: string): string {
  const s = String(Number(raw));
  return /[.e]/.test(s) ? s.replace('e+', 'e') : `${s}.0`;
}

class Deserializer {
  private readonly text: string;
  private readonly root: ExactJson;
  private readonly unknownKeys: string[] = [];

  constructor(text: string, root: ExactJson) {
    this.text = text;
    this.root = root;
  }

  private fail(path: string, message: string, offset: number): never {
    throw new DataError(`${path ? `${path}: ` : ''}${message} at ${lineColumn(this.text, offset)}`);
  }

  /** serde's `Unexpected` for the value at `span`. */
  private unexpected(span: Span): string {
    const raw = this.text.slice(span.start, span.end);
    const c = raw.charAt(0);
    if (c === '"') return `string ${JSON.stringify(JSON.parse(raw) as string)}`;
    if (c === '{') return 'map';
    if (c === '[') return 'sequence';
    if (c === 't' || c === 'f') return `boolean \`${raw}\``;
    if (c === 'n') return 'null';
    if (/^-?\d+$/.test(raw)) {
      const n = BigInt(raw);
      if (n >= -(2n ** 63n) && n < 2n ** 64n) return `integer \`${n}\``;
    }
    return `floating point \`${floatText(raw)}\``;
  }

  /** The offset serde reports: a container's opening character, a scalar's last one. */
  private errorOffset(span: Span): number {
    const c = this.text.charAt(span.start);
    return c === '{' || c === '[' ? span.start : span.end - 1;
  }

  private invalidType(path: string, span: Span, expected: string): never {
    const what = this.unexpected(span);
    this.fail(path, `invalid type: ${what}, expected ${expected}`, this.errorOffset(span));
  }

  private isNull(span: Span): boolean {
    return this.text.startsWith('null', span.start);
  }

  request(struct: RequestStruct): TypedRequest {
    const span = rootSpan(this.text);
    if (this.text.charAt(span.start) !== '{') this.invalidType('', span, `struct ${struct}`);
    let inputs: string | undefined;
    let parameters: TypedParameters | undefined;
    let stream = false;
    for (const m of objectMembers(this.text, span)) {
      if (m.key === 'inputs') inputs = this.string('inputs', m);
      else if (m.key === 'parameters') parameters = this.parameters(m);
      else if (m.key === 'stream' && struct === 'CompatGenerateRequest') stream = this.bool('stream', m);
      else this.unknownKeys.push(m.key);
    }
    if (inputs === undefined) this.fail('', 'missing field `inputs`', span.end - 1);
    return {
      inputs,
      parameters: parameters ?? defaultParameters(true),
      parametersPresent: parameters !== undefined,
      stream,
      unknownKeys: this.unknownKeys,
      body: this.root,
    };
  }

  private parameters(span: Span): TypedParameters {
    if (this.text.charAt(span.start) !== '{') this.invalidType('parameters', span, 'struct GenerateParameters');
    const out = defaultParameters(false);
    const record = out as unknown as Record<string, unknown>;
    for (const m of objectMembers(this.text, span)) {
      const field = PARAMETER_FIELDS[m.key as keyof TypedParameters] as { kind: FieldKind; option: boolean } | undefined;
      if (!field) {
        this.unknownKeys.push(`parameters.${m.key}`);
        continue;
      }
      const path = `parameters.${m.key}`;
      if (field.option && this.isNull(m)) {
        record[m.key] = null;
        continue;
      }
      record[m.key] = this.field(path, field.kind, m);
    }
    return out;
  }

  private field(path: string, kind: FieldKind, span: Span): unknown {
    switch (kind) {
      case 'bool':
        return this.bool(path, span);
      case 'string':
        return this.string(path, span);
      case 'f32':
        return this.float(path, span);
      case 'stop':
        return this.stop(path, span);
      case 'grammar':
        return this.grammar(path, span);
      default:
        return this.integer(path, kind, span);
    }
  }

  private bool(path: string, span: Span): boolean {
    const raw = this.text.slice(span.start, span.end);
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.invalidType(path, span, 'a boolean');
  }

  private string(path: string, span: Span): string {
    if (this.text.charAt(span.start) === '"') return JSON.parse(this.text.slice(span.start, span.end)) as string;
    this.invalidType(path, span, 'a string');
  }

  private float(path: string, span: Span): number {
    const raw = this.text.slice(span.start, span.end);
    if (/^-?\d/.test(raw)) return Number(raw);
    this.invalidType(path, span, 'f32');
  }

  private integer(path: string, kind: IntKind, span: Span): bigint {
    const raw = this.text.slice(span.start, span.end);
    if (!/^-?\d+$/.test(raw)) this.invalidType(path, span, kind);
    const n = BigInt(raw);
    if (n < -(2n ** 63n) || n >= 2n ** 64n) this.invalidType(path, span, kind);
    const [lo, hi] = INT_RANGE[kind];
    if (n < lo || n > hi) this.fail(path, `invalid value: integer \`${n}\`, expected ${kind}`, span.end - 1);
    return n;
  }

  private stop(path: string, span: Span): string[] {
    if (this.text.charAt(span.start) !== '[') this.invalidType(path, span, 'a sequence');
    return arrayElements(this.text, span).map((el, i) => this.string(`${path}[${i}]`, el));
  }

  private grammar(path: string, span: Span): TypedGrammar {
    if (this.text.charAt(span.start) !== '{') this.invalidType(path, span, 'adjacently tagged enum GrammarType');
    const members = objectMembers(this.text, span);
    const typeMember = members.find((m) => m.key === 'type');
    if (!typeMember) this.fail(path, 'missing field `type`', span.end - 1);
    if (this.text.charAt(typeMember.start) !== '"') this.invalidType(`${path}.type`, typeMember, 'variant identifier');
    const variant = this.string(`${path}.type`, typeMember);
    if (!GRAMMAR_VARIANTS.includes(variant)) {
      this.fail(path, `unknown variant \`${variant}\`, expected one of ${GRAMMAR_VARIANTS.map((v) => `\`${v}\``).join(', ')}`, typeMember.end - 1);
    }
    const valueMember = members.find((m) => m.key === 'value');
    if (!valueMember) this.fail(path, 'missing field `value`', span.end - 1);
    const valuePath = `${path}.value`;
    if (variant === 'regex') return { type: 'regex', value: this.string(valuePath, valueMember) };
    const value = this.valueAt(valueMember);
    if (variant === 'json' || variant === 'json_object') return { type: 'json', value };
    if (this.text.charAt(valueMember.start) !== '{') this.invalidType(valuePath, valueMember, 'struct JsonSchemaConfig');
    let name: string | null = null;
    let schema: ExactJson | undefined;
    for (const m of objectMembers(this.text, valueMember)) {
      if (m.key === 'name') name = this.isNull(m) ? null : this.string(`${valuePath}.name`, m);
      else if (m.key === 'schema') schema = this.valueAt(m);
    }
    if (schema === undefined) this.fail(valuePath, 'missing field `schema`', valueMember.end - 1);
    return { type: 'json_schema', value: { name, schema } };
  }

  /** The exactly parsed value at a span (bigints kept). */
  private valueAt(span: Span): ExactJson {
    const parsed = parseJson(this.text.slice(span.start, span.end));
    return parsed.ok ? parsed.value : null;
  }
}

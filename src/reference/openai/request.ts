/**
 * What axum's `Json<ChatRequest>` / `Json<CompletionRequest>` extractors do before the handler
 * runs, for the OpenAI-compatible routes: the same pre-handler rejections as the native routes
 * (415, 413, 400 "Failed to parse the request body as JSON: …", 422 "Failed to deserialize the
 * JSON body into the target type: …" with serde's wording and position), over the OpenAI
 * request structs. Departures from TGI's structs, each chosen so that the default server is
 * conformant to spec/openai.yaml (openai-behavior.md §1):
 * - `stop` may be a string (TGI: an array only) or null;
 * - `stream` and `logprobs` may be null (read as false);
 * - message roles are the five of the contract (developer, system, user, assistant, tool): any
 *   other is a deserialization error (`unknown variant`), as the contract requires a 4xx;
 * - content parts `text` are read; `image_url`, `input_audio`, `file` and `refusal` parts are
 *   accepted and ignored (the simulated model reads text only); another part type is an error;
 * - `/v1/completions` reads `n`, `logprobs`, `echo`, `suffix`, `stream_options` (TGI has no
 *   `n`, `logprobs`, `echo`): the validation decides what to do with them.
 * Integers are exact (bigint), floats as read; unknown keys are ignored and listed.
 */
import { parseJson } from '../../core/json.js';
import type { ExactJson } from '../../core/json.js';
import { arrayElements, lineColumn, objectMembers, rootSpan } from '../json-scan.js';
import type { Member, Span } from '../json-scan.js';
import { floatText, isJsonContentType, parseBodyJson, REJECTION_PREFIX } from '../request-body.js';
import type { BodyRejection } from '../request-body.js';

export type OpenAIRouteKind = 'chat' | 'completions';

export const CHAT_ROLES = ['developer', 'system', 'user', 'assistant', 'tool'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface ChatToolCallIn {
  id: string | null;
  name: string;
  arguments: string;
}

export interface ChatMessageIn {
  role: ChatRole;
  /** The text of the content (text parts joined); null when the content is absent or null. */
  content: string | null;
  /** Non-text parts (images, audio, files) that were accepted and ignored. */
  ignoredParts: number;
  name: string | null;
  toolCalls: ChatToolCallIn[];
  toolCallId: string | null;
}

export interface ToolIn {
  name: string;
  description: string | null;
  /** The JSON Schema of the arguments; null when absent. */
  parameters: ExactJson | null;
  strict: boolean | null;
}

export type ToolChoiceIn = { kind: 'none' } | { kind: 'auto' } | { kind: 'required' } | { kind: 'function'; name: string };

export type ResponseFormatIn =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: ExactJson | null; strict: boolean | null };

/** What both routes read. */
export interface CommonRequestIn {
  model: string | null;
  max_tokens: bigint | null;
  n: bigint | null;
  /** A string `stop` is a one-element list. */
  stop: string[];
  seed: bigint | null;
  temperature: number | null;
  top_p: number | null;
  frequency_penalty: number | null;
  presence_penalty: number | null;
  stream: boolean;
  /** `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Keys the server ignores (`user`, `metadata`, …). */
  unknownKeys: string[];
  /** The body as parsed (exact). */
  body: ExactJson;
}

export interface ChatRequestIn extends CommonRequestIn {
  kind: 'chat';
  messages: ChatMessageIn[];
  max_completion_tokens: bigint | null;
  logprobs: boolean;
  top_logprobs: bigint | null;
  tools: ToolIn[] | null;
  tool_choice: ToolChoiceIn | null;
  response_format: ResponseFormatIn | null;
}

export interface CompletionRequestIn extends CommonRequestIn {
  kind: 'completions';
  /** One entry per prompt (a string prompt is a one-element list). */
  prompts: string[];
  /** Completions' `logprobs`: how many alternatives per position (null: none asked). */
  logprobs: bigint | null;
  echo: boolean;
  suffix: string | null;
}

export type OpenAIRequestIn = ChatRequestIn | CompletionRequestIn;

export type OpenAIBodyResult = { ok: true; request: OpenAIRequestIn } | ({ ok: false } & BodyRejection);

/** Reads and deserializes a body for `kind`; never throws. */
export function deserializeOpenAIBody(bytes: Uint8Array, contentType: string | null, payloadLimit: number, kind: OpenAIRouteKind): OpenAIBodyResult {
  if (!isJsonContentType(contentType)) return { ok: false, status: 415, message: REJECTION_PREFIX[415], kind: 'content-type' };
  if (bytes.byteLength > payloadLimit) return { ok: false, status: 413, message: REJECTION_PREFIX[413], kind: 'payload-too-large' };
  const json = parseBodyJson(bytes);
  if (!json.ok) return json;
  try {
    const reader = new Reader(json.text, json.value);
    return { ok: true, request: kind === 'chat' ? reader.chat() : reader.completions() };
  } catch (e) {
    if (e instanceof DataError) return { ok: false, status: 422, message: REJECTION_PREFIX[422] + e.message, kind: 'json-data' };
    throw e;
  }
}

class DataError extends Error {}

type IntKind = 'u64' | 'u32';
const INT_MAX: Record<IntKind, bigint> = { u64: 2n ** 64n - 1n, u32: 2n ** 32n - 1n };

function commonDefaults(body: ExactJson): CommonRequestIn {
  return {
    model: null,
    max_tokens: null,
    n: null,
    stop: [],
    seed: null,
    temperature: null,
    top_p: null,
    frequency_penalty: null,
    presence_penalty: null,
    stream: false,
    includeUsage: false,
    unknownKeys: [],
    body,
  };
}

/** serde over spans of the text: errors say where, as serde_json does. */
class Reader {
  private readonly text: string;
  private readonly root: ExactJson;

  constructor(text: string, root: ExactJson) {
    this.text = text;
    this.root = root;
  }

  private fail(path: string, message: string, offset: number): never {
    throw new DataError(`${path ? `${path}: ` : ''}${message} at ${lineColumn(this.text, offset)}`);
  }

  private first(span: Span): string {
    return this.text.charAt(span.start);
  }

  private unexpected(span: Span): string {
    const raw = this.text.slice(span.start, span.end);
    const c = raw.charAt(0);
    if (c === '"') return `string ${JSON.stringify(JSON.parse(raw) as string)}`;
    if (c === '{') return 'map';
    if (c === '[') return 'sequence';
    if (c === 't' || c === 'f') return `boolean \`${raw}\``;
    if (c === 'n') return 'null';
    if (/^-?\d+$/.test(raw)) return `integer \`${BigInt(raw)}\``;
    return `floating point \`${floatText(raw)}\``;
  }

  private invalidType(path: string, span: Span, expected: string): never {
    const c = this.first(span);
    this.fail(path, `invalid type: ${this.unexpected(span)}, expected ${expected}`, c === '{' || c === '[' ? span.start : span.end - 1);
  }

  private isNull(span: Span): boolean {
    return this.text.startsWith('null', span.start);
  }

  private members(path: string, span: Span, expected: string): Member[] {
    if (this.first(span) !== '{') this.invalidType(path, span, expected);
    return objectMembers(this.text, span);
  }

  private elements(path: string, span: Span, expected = 'a sequence'): Span[] {
    if (this.first(span) !== '[') this.invalidType(path, span, expected);
    return arrayElements(this.text, span);
  }

  private bool(path: string, span: Span): boolean {
    const raw = this.text.slice(span.start, span.end);
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.invalidType(path, span, 'a boolean');
  }

  private optBool(path: string, span: Span): boolean {
    return this.isNull(span) ? false : this.bool(path, span);
  }

  private string(path: string, span: Span): string {
    if (this.first(span) === '"') return JSON.parse(this.text.slice(span.start, span.end)) as string;
    this.invalidType(path, span, 'a string');
  }

  private optString(path: string, span: Span): string | null {
    return this.isNull(span) ? null : this.string(path, span);
  }

  private float(path: string, span: Span): number | null {
    if (this.isNull(span)) return null;
    const raw = this.text.slice(span.start, span.end);
    if (/^-?\d/.test(raw)) return Number(raw);
    this.invalidType(path, span, 'f32');
  }

  private int(path: string, kind: IntKind, span: Span): bigint | null {
    if (this.isNull(span)) return null;
    const raw = this.text.slice(span.start, span.end);
    if (!/^-?\d+$/.test(raw)) this.invalidType(path, span, kind);
    const n = BigInt(raw);
    if (n < -(2n ** 63n) || n >= 2n ** 64n) this.invalidType(path, span, kind);
    if (n < 0n || n > INT_MAX[kind]) this.fail(path, `invalid value: integer \`${n}\`, expected ${kind}`, span.end - 1);
    return n;
  }

  private value(span: Span): ExactJson {
    const parsed = parseJson(this.text.slice(span.start, span.end));
    return parsed.ok ? parsed.value : null;
  }

  private stop(span: Span): string[] {
    if (this.isNull(span)) return [];
    if (this.first(span) === '"') return [this.string('stop', span)];
    if (this.first(span) !== '[') this.invalidType('stop', span, 'a string or a sequence of strings');
    return arrayElements(this.text, span).map((el, i) => this.string(`stop[${i}]`, el));
  }

  private streamOptions(span: Span): boolean {
    if (this.isNull(span)) return false;
    let include = false;
    for (const m of this.members('stream_options', span, 'struct StreamOptions')) {
      if (m.key === 'include_usage') include = this.optBool('stream_options.include_usage', m);
    }
    return include;
  }

  /** Fields both structs have; false when `m` is not one of them. */
  private common(out: CommonRequestIn, m: Member): boolean {
    switch (m.key) {
      case 'model':
        out.model = this.optString('model', m);
        return true;
      case 'max_tokens':
        out.max_tokens = this.int('max_tokens', 'u32', m);
        return true;
      case 'n':
        out.n = this.int('n', 'u32', m);
        return true;
      case 'stop':
        out.stop = this.stop(m);
        return true;
      case 'seed':
        out.seed = this.int('seed', 'u64', m);
        return true;
      case 'temperature':
      case 'top_p':
      case 'frequency_penalty':
      case 'presence_penalty':
        out[m.key] = this.float(m.key, m);
        return true;
      case 'stream':
        out.stream = this.optBool('stream', m);
        return true;
      case 'stream_options':
        out.includeUsage = this.streamOptions(m);
        return true;
      default:
        return false;
    }
  }

  chat(): ChatRequestIn {
    const span = rootSpan(this.text);
    const members = this.members('', span, 'struct ChatRequest');
    const out: ChatRequestIn = {
      ...commonDefaults(this.root),
      kind: 'chat',
      messages: [],
      max_completion_tokens: null,
      logprobs: false,
      top_logprobs: null,
      tools: null,
      tool_choice: null,
      response_format: null,
    };
    let messages: ChatMessageIn[] | undefined;
    for (const m of members) {
      if (this.common(out, m)) continue;
      switch (m.key) {
        case 'messages':
          messages = this.elements('messages', m).map((el, i) => this.message(`messages[${i}]`, el));
          break;
        case 'max_completion_tokens':
          out.max_completion_tokens = this.int('max_completion_tokens', 'u32', m);
          break;
        case 'logprobs':
          out.logprobs = this.optBool('logprobs', m);
          break;
        case 'top_logprobs':
          out.top_logprobs = this.int('top_logprobs', 'u32', m);
          break;
        case 'tools':
          out.tools = this.isNull(m) ? null : this.elements('tools', m).map((el, i) => this.tool(`tools[${i}]`, el));
          break;
        case 'tool_choice':
          out.tool_choice = this.toolChoice(m);
          break;
        case 'response_format':
          out.response_format = this.responseFormat(m);
          break;
        default:
          out.unknownKeys.push(m.key);
      }
    }
    if (messages === undefined) this.fail('', 'missing field `messages`', span.end - 1);
    out.messages = messages;
    return out;
  }

  completions(): CompletionRequestIn {
    const span = rootSpan(this.text);
    const members = this.members('', span, 'struct CompletionRequest');
    const out: CompletionRequestIn = { ...commonDefaults(this.root), kind: 'completions', prompts: [], logprobs: null, echo: false, suffix: null };
    let prompts: string[] | undefined;
    for (const m of members) {
      if (this.common(out, m)) continue;
      switch (m.key) {
        case 'prompt':
          if (this.first(m) === '"') prompts = [this.string('prompt', m)];
          else prompts = this.elements('prompt', m, 'a string or a sequence of strings').map((el, i) => this.string(`prompt[${i}]`, el));
          break;
        case 'logprobs':
          out.logprobs = this.int('logprobs', 'u32', m);
          break;
        case 'echo':
          out.echo = this.optBool('echo', m);
          break;
        case 'suffix':
          out.suffix = this.optString('suffix', m);
          break;
        default:
          out.unknownKeys.push(m.key);
      }
    }
    if (prompts === undefined) this.fail('', 'missing field `prompt`', span.end - 1);
    out.prompts = prompts;
    return out;
  }

  private message(path: string, span: Span): ChatMessageIn {
    const members = this.members(path, span, 'internally tagged enum Message');
    const roleMember = members.find((m) => m.key === 'role');
    if (!roleMember) this.fail(path, 'missing field `role`', span.end - 1);
    const role = this.string(`${path}.role`, roleMember);
    if (!(CHAT_ROLES as readonly string[]).includes(role)) {
      this.fail(path, `unknown variant \`${role}\`, expected one of ${CHAT_ROLES.map((r) => `\`${r}\``).join(', ')}`, roleMember.end - 1);
    }
    const out: ChatMessageIn = { role: role as ChatRole, content: null, ignoredParts: 0, name: null, toolCalls: [], toolCallId: null };
    let hasContent = false;
    for (const m of members) {
      const at = `${path}.${m.key}`;
      switch (m.key) {
        case 'content':
          if (!this.isNull(m)) {
            hasContent = true;
            this.content(at, m, out);
          }
          break;
        case 'name':
          out.name = this.optString(at, m);
          break;
        case 'tool_call_id':
          out.toolCallId = this.optString(at, m);
          break;
        case 'tool_calls':
          if (!this.isNull(m)) out.toolCalls = this.elements(at, m).map((el, i) => this.toolCall(`${at}[${i}]`, el));
          break;
        default:
          break; // unknown message keys are ignored
      }
    }
    if (!hasContent && role !== 'assistant') this.fail(path, 'missing field `content`', span.end - 1);
    return out;
  }

  private content(path: string, span: Span, out: ChatMessageIn): void {
    if (this.first(span) === '"') {
      out.content = this.string(path, span);
      return;
    }
    const texts: string[] = [];
    this.elements(path, span, 'a string or a sequence of content parts').forEach((el, i) => {
      const at = `${path}[${i}]`;
      const members = this.members(at, el, 'internally tagged enum ContentPart');
      const typeMember = members.find((m) => m.key === 'type');
      if (!typeMember) this.fail(at, 'missing field `type`', el.end - 1);
      const type = this.string(`${at}.type`, typeMember);
      if (type === 'text') {
        const text = members.find((m) => m.key === 'text');
        if (!text) this.fail(at, 'missing field `text`', el.end - 1);
        texts.push(this.string(`${at}.text`, text));
      } else if (type === 'image_url' || type === 'input_audio' || type === 'file' || type === 'refusal') {
        out.ignoredParts++;
      } else {
        const variants = ['text', 'image_url', 'input_audio', 'file', 'refusal'].map((v) => `\`${v}\``).join(', ');
        this.fail(at, `unknown variant \`${type}\`, expected one of ${variants}`, typeMember.end - 1);
      }
    });
    out.content = texts.join('');
  }

  private toolCall(path: string, span: Span): ChatToolCallIn {
    const members = this.members(path, span, 'struct ToolCall');
    let id: string | null = null;
    let name: string | undefined;
    let args = '';
    for (const m of members) {
      if (m.key === 'id') id = this.optString(`${path}.id`, m);
      else if (m.key === 'function') {
        for (const f of this.members(`${path}.function`, m, 'struct FunctionCall')) {
          if (f.key === 'name') name = this.string(`${path}.function.name`, f);
          else if (f.key === 'arguments') args = this.first(f) === '"' ? this.string(`${path}.function.arguments`, f) : this.text.slice(f.start, f.end);
        }
      }
    }
    if (name === undefined) this.fail(`${path}.function`, 'missing field `name`', span.end - 1);
    return { id, name, arguments: args };
  }

  private tool(path: string, span: Span): ToolIn {
    const members = this.members(path, span, 'struct Tool');
    const fn = members.find((m) => m.key === 'function');
    if (!fn) this.fail(path, 'missing field `function`', span.end - 1);
    const type = members.find((m) => m.key === 'type');
    if (type && this.string(`${path}.type`, type) !== 'function') {
      this.fail(`${path}.type`, `unknown variant \`${this.string(`${path}.type`, type)}\`, expected \`function\``, type.end - 1);
    }
    const out: ToolIn = { name: '', description: null, parameters: null, strict: null };
    let name: string | undefined;
    for (const m of this.members(`${path}.function`, fn, 'struct FunctionDefinition')) {
      const at = `${path}.function.${m.key}`;
      if (m.key === 'name') name = this.string(at, m);
      else if (m.key === 'description') out.description = this.optString(at, m);
      else if (m.key === 'parameters') out.parameters = this.isNull(m) ? null : this.value(m);
      else if (m.key === 'strict') out.strict = this.isNull(m) ? null : this.bool(at, m);
    }
    if (name === undefined) this.fail(`${path}.function`, 'missing field `name`', fn.end - 1);
    out.name = name;
    return out;
  }

  private toolChoice(span: Span): ToolChoiceIn | null {
    if (this.isNull(span)) return null;
    if (this.first(span) === '"') {
      const s = this.string('tool_choice', span);
      if (s === 'none' || s === 'auto' || s === 'required') return { kind: s };
      this.fail('tool_choice', `unknown variant \`${s}\`, expected one of \`none\`, \`auto\`, \`required\``, span.end - 1);
    }
    const members = this.members('tool_choice', span, 'a string or struct ToolChoice');
    const fn = members.find((m) => m.key === 'function');
    if (!fn) this.fail('tool_choice', 'missing field `function`', span.end - 1);
    const nameMember = this.members('tool_choice.function', fn, 'struct FunctionName').find((m) => m.key === 'name');
    if (!nameMember) this.fail('tool_choice.function', 'missing field `name`', fn.end - 1);
    return { kind: 'function', name: this.string('tool_choice.function.name', nameMember) };
  }

  private responseFormat(span: Span): ResponseFormatIn | null {
    if (this.isNull(span)) return null;
    const members = this.members('response_format', span, 'internally tagged enum ResponseFormat');
    const typeMember = members.find((m) => m.key === 'type');
    if (!typeMember) this.fail('response_format', 'missing field `type`', span.end - 1);
    const type = this.string('response_format.type', typeMember);
    if (type === 'text' || type === 'json_object') return { type };
    if (type !== 'json_schema') {
      this.fail('response_format', `unknown variant \`${type}\`, expected one of \`text\`, \`json_object\`, \`json_schema\``, typeMember.end - 1);
    }
    const config = members.find((m) => m.key === 'json_schema');
    if (!config) this.fail('response_format', 'missing field `json_schema`', span.end - 1);
    const out: { type: 'json_schema'; name: string; schema: ExactJson | null; strict: boolean | null } = { type, name: '', schema: null, strict: null };
    let name: string | undefined;
    for (const m of this.members('response_format.json_schema', config, 'struct JsonSchemaConfig')) {
      const at = `response_format.json_schema.${m.key}`;
      if (m.key === 'name') name = this.string(at, m);
      else if (m.key === 'schema') out.schema = this.isNull(m) ? null : this.value(m);
      else if (m.key === 'strict') out.strict = this.isNull(m) ? null : this.bool(at, m);
    }
    if (name === undefined) this.fail('response_format.json_schema', 'missing field `name`', config.end - 1);
    out.name = name;
    return out;
  }
}

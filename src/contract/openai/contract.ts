/**
 * The OpenAI-compatible contract (spec/openai.yaml) as functions: see ./types.ts for the
 * interface. Schema findings come from the lenient/strict validators of ./schemas.ts through the
 * native contract's `validateWith` (same kinds: `required:/choices/0/message` folded to
 * `required:/choices/*\/message`, `type:/created`, `unknown-field:/…` warnings, `u64-range:/…`).
 * `requestRejectReasons` and `errorBody` are hand-written: each rule names its source.
 */
import type { Finding } from '../../core/finding.js';
import { isJsonObject, type ExactJson } from '../../core/json.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Completion,
  CompletionChunk,
  CompletionRequest,
  ModelList,
  OpenAIErrorInfo,
  OpenAIRouteKind,
} from '../../core/openai.js';
import { validateWith } from '../contract.js';
import type { CompiledSchema } from '../schemas.js';
import { loadOpenAISchemas, type CompiledOpenAISchemas } from './schemas.js';
import { OPENAI_CHECK, type OpenAIContract } from './types.js';

export { OPENAI_CHECK, type OpenAIContract } from './types.js';

/** The check id of `requestRejectReasons` findings (kinds `reject:<rule>`). */
export const OPENAI_REQUEST_REJECTION = 'openai-request-rejection';

let cached: Promise<OpenAIContract> | undefined;

/** Loads the OpenAI-compatible contract once per process (validators compile on first use). */
export function loadOpenAIContract(): Promise<OpenAIContract> {
  cached ??= loadOpenAISchemas().then(createOpenAIContract);
  return cached;
}

type BodyKind = Exclude<OpenAIRouteKind, 'models'>;

function createOpenAIContract(schemas: CompiledOpenAISchemas): OpenAIContract {
  // Each property of `schemas` is a getter that compiles on first use and then looks the pair up
  // in a Map: the pairs read on every exchange or chunk are read once.
  let chatRequest: CompiledSchema | undefined;
  let completionRequest: CompiledSchema | undefined;
  let chatChunk: CompiledSchema | undefined;
  let completionChunk: CompiledSchema | undefined;
  return {
    request(body, kind, options) {
      const schema = kind === 'chat' ? (chatRequest ??= schemas.ChatCompletionRequest) : (completionRequest ??= schemas.CompletionRequest);
      return validateWith<ChatCompletionRequest | CompletionRequest>(
        schema, body, OPENAI_CHECK.requestSchema, 'request body', '', [], options?.bigIntFree, options?.warningsOnly !== true);
    },
    requestRejectReasons(body, kind) {
      return rejectReasons(body, kind);
    },
    response(body, kind, bigIntFree) {
      const schema =
        kind === 'chat' ? schemas.ChatCompletion : kind === 'completions' ? schemas.Completion : schemas.ModelList;
      const what = kind === 'models' ? 'model list' : 'response';
      return validateWith<ChatCompletion | Completion | ModelList>(
        schema, body, OPENAI_CHECK.responseSchema, what, '', [], bigIntFree);
    },
    chunk(data, kind, event, bigIntFree) {
      const pair = kind === 'chat' ? (chatChunk ??= schemas.ChatCompletionChunk) : (completionChunk ??= schemas.CompletionChunk);
      // The common chunk (bigint-free, no unknown key), with validateWith's own outcome: nothing to
      // drop or settle, and a body the strict schema accepts is valid without a finding. This runs
      // on every chunk of every stream; validateWith's general path costs about as much as ajv.
      const strictOk = bigIntFree === true && pair.strict(data);
      if (strictOk) return { findings: [], value: data as unknown as ChatCompletionChunk | CompletionChunk };
      const r = validateWith<ChatCompletionChunk | CompletionChunk>(
        pair, data, OPENAI_CHECK.chunkSchema, 'stream chunk', '', [], bigIntFree, true, bigIntFree === true);
      for (const f of r.findings) f.event = event;
      return r;
    },
    errorBody(body, text) {
      return classifyError(body, text);
    },
    isErrorEvent(data) {
      return isJsonObject(data) && 'error' in data;
    },
  };
}

// ── error bodies ──────────────────────────────────────────────────────────────────────────────

/**
 * The shapes of verdict-policy "The OpenAI-compatible routes" (openai-behavior.md §1, §3, §4.11):
 * - `{"error": {"message": "…", …}}`: OpenAI's object (openai-exchanges.jsonl:35, :42), and TGI's
 *   in-stream `{"error": {"message", "http_status_code"}}` (§3), which clients read the same way:
 *   shape `openai`, no finding. For TGI's form, `code` is its `http_status_code`.
 * - `{"error": "…", "error_type": "…"}`: TGI's own body (§3; openai-exchanges.jsonl:8): `tgi`, no finding.
 * - a body that is not JSON (`body` undefined; TGI's text/plain 422, openai-exchanges.jsonl:9): `text`.
 * - `{"error": "…"}` without a string `error_type`: `bare-string`, a warning (autogen, tensorzero §4.11).
 * - `{"object": "error", "message": "…", …}`: vLLM's older flat body, `flat`, a warning.
 * - anything else: `other`, a violation (`unknown-shape`): clients find no message.
 */
function classifyError(body: ExactJson | undefined, text?: string): { info: OpenAIErrorInfo; findings: Finding[] } {
  if (body === undefined) {
    return { info: text === undefined ? { shape: 'text' } : { shape: 'text', message: text }, findings: [] };
  }
  if (isJsonObject(body)) {
    const error = body['error'];
    if (isJsonObject(error) && typeof error['message'] === 'string') {
      const info: OpenAIErrorInfo = { shape: 'openai', message: error['message'] };
      const type = error['type'];
      if (typeof type === 'string' || type === null) info.type = type;
      if ('code' in error) info.code = error['code'];
      else if ('http_status_code' in error) info.code = error['http_status_code'];
      return { info, findings: [] };
    }
    if (typeof error === 'string') {
      const errorType = body['error_type'];
      if (typeof errorType === 'string') {
        return { info: { shape: 'tgi', message: error, type: errorType }, findings: [] };
      }
      return {
        info: { shape: 'bare-string', message: error },
        findings: [
          errorFinding('warning', 'bare-string', '/error', 'error body: `error` is a string',
            'the error body is {"error": "<string>"}; OpenAI\'s clients and others read error.message, error.type and ' +
              'error.code from an object (autogen crashed on error.get("code"), openai-behavior.md §4.11). TGI adds ' +
              '`error_type`; the OpenAI form is {"error": {"message", "type", "param", "code"}}'),
        ],
      };
    }
    if (body['object'] === 'error' && typeof body['message'] === 'string' && !('error' in body)) {
      const info: OpenAIErrorInfo = { shape: 'flat', message: body['message'] };
      const type = body['type'];
      if (typeof type === 'string' || type === null) info.type = type;
      if ('code' in body) info.code = body['code'];
      return {
        info,
        findings: [
          errorFinding('warning', 'flat', '', 'error body: flat {"object": "error", …}',
            'the error body is vLLM\'s older flat form {"object": "error", "message", "type", "code"} with no `error` ' +
              'key; openai-python falls back to the whole body, other clients find no error object. The OpenAI form is ' +
              '{"error": {"message", "type", "param", "code"}}'),
        ],
      };
    }
  }
  return {
    info: { shape: 'other' },
    findings: [
      errorFinding('violation', 'unknown-shape', '', 'error body: no error message where clients look',
        `the error body ${describeJson(body)} is none of the known shapes: OpenAI's {"error": {"message", …}}, ` +
          'TGI\'s {"error": "<message>", "error_type": "…"}, {"error": "<message>"}, or {"object": "error", "message", …}'),
    ],
  };
}

function errorFinding(
  severity: Finding['severity'],
  kind: string,
  pointer: string,
  title: string,
  message: string,
): Finding {
  return { check: OPENAI_CHECK.errorBody, severity, kind, title, message, pointer };
}

function describeJson(value: ExactJson): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'is an array, and';
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? '{}' : `with keys ${keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return `is a JSON ${typeof value},`;
}

// ── requests every real server rejects ──────────────────────────────────────────────────────

/** JSON types, as `typeof` for JSON plus `integer`, `array` and `null`. */
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * The known top-level fields whose JSON type every real server checks, by route, with the types
 * they accept. Only fields TGI deserializes are listed: TGI ignores keys it does not know
 * (tgi-behavior.md "Unknown keys are ignored everywhere"), so a wrong type there is accepted by
 * one real server. `null` is accepted where servers read an `Option` (TGI) / `Optional` (vLLM) and
 * the official document says nullable. Sources: TGI router/src/lib.rs ChatRequest /
 * CompletionRequest (openai-behavior.md §3), the official document's types.
 */
const CHAT_FIELD_TYPES: Readonly<Record<string, readonly JsonType[]>> = {
  messages: ['array'],
  model: ['string', 'null'],
  max_tokens: ['integer', 'null'],
  max_completion_tokens: ['integer', 'null'],
  n: ['integer', 'null'],
  temperature: ['number', 'null'],
  top_p: ['number', 'null'],
  frequency_penalty: ['number', 'null'],
  presence_penalty: ['number', 'null'],
  seed: ['integer', 'null'],
  stop: ['string', 'array', 'null'],
  stream: ['boolean', 'null'],
  stream_options: ['object', 'null'],
  logprobs: ['boolean', 'null'],
  top_logprobs: ['integer', 'null'],
  logit_bias: ['object', 'null'],
  tools: ['array', 'null'],
  tool_choice: ['string', 'object', 'null'],
  response_format: ['object', 'null'],
};

/** TGI's CompletionRequest has no `n`, `logprobs`, `echo`, `stream_options` (openai-behavior.md §3). */
const COMPLETION_FIELD_TYPES: Readonly<Record<string, readonly JsonType[]>> = {
  prompt: ['string', 'array', 'null'],
  model: ['string', 'null'],
  max_tokens: ['integer', 'null'],
  temperature: ['number', 'null'],
  top_p: ['number', 'null'],
  frequency_penalty: ['number', 'null'],
  presence_penalty: ['number', 'null'],
  seed: ['integer', 'null'],
  stop: ['string', 'array', 'null'],
  stream: ['boolean', 'null'],
};

/** The two tables as entries, listed once (rejectReasons runs on every request). */
const CHAT_FIELD_ENTRIES = Object.entries(CHAT_FIELD_TYPES);
const COMPLETION_FIELD_ENTRIES = Object.entries(COMPLETION_FIELD_TYPES);

const ROLES = new Set(['developer', 'system', 'user', 'assistant', 'tool']);

function jsonType(v: ExactJson): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as 'string' | 'boolean' | 'object';
}

function hasType(v: ExactJson, types: readonly JsonType[]): boolean {
  const t = jsonType(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

function isInteger(v: ExactJson): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

function reject(rule: string, pointer: string, title: string, message: string): Finding {
  return { check: OPENAI_REQUEST_REJECTION, severity: 'violation', kind: `reject:${rule}`, title, message, pointer };
}

/**
 * Why every real server rejects this request (verdict-policy "The OpenAI-compatible routes":
 * "a wrong JSON type, `messages`/`prompt` missing or empty, `max_tokens` < 1, an unknown role").
 * Rules, each a kind `reject:<rule>`:
 * - `not-an-object`: the body is not a JSON object (every server deserializes an object).
 * - `wrong-type:/<field>`: a known field (CHAT_FIELD_TYPES / COMPLETION_FIELD_TYPES) has a JSON
 *   type no server takes: `messages` not an array, `max_tokens` a string or a fraction, `stream`
 *   not a boolean, `stop` an array with a non-string, `prompt` an array mixing strings, tokens
 *   and other values (TGI: serde; vLLM: pydantic; OpenAI: 400).
 * - `messages-missing`, `messages-empty` (chat): TGI's text/plain "missing field `messages`"
 *   (openai-exchanges.jsonl:9, :12); the official `minItems: 1`.
 * - `prompt-missing` (absent or null), `prompt-empty` ("" or []) (completions): TGI's `prompt` is
 *   required and empty inputs fail validation; vLLM requires a prompt.
 * - `below-minimum:/max_tokens`, `below-minimum:/max_completion_tokens`: an integer < 1 (TGI:
 *   "`max_new_tokens` must be strictly positive", u32 for negatives; vLLM: ≥ 1).
 * - `below-minimum:/n` (chat): an integer < 0. `n: 0` is NOT a reason: TGI reads `n` as an unused
 *   `Option<u32>` (openai-behavior.md §3, "`n` unused") and serves the request; TGI's completions
 *   request has no `n` at all, so there no value of `n` is a reason.
 * - `message-not-object`, `role-missing`, `unknown-role` (chat): a message is an object whose
 *   `role` is one of developer, system, user, assistant, tool (TGI's tagged Message enum; the
 *   official roles less the deprecated `function`, NOTES-openai OA16).
 * Not reasons (only the official service rejects them, or some real server accepts them): no
 * `model` (TGI serves it, openai-exchanges.jsonl:32), `temperature` > 2 and other official bounds,
 * `stop` as a string (TGI alone rejects it), unknown keys, `n: 0`.
 */
function rejectReasons(body: ExactJson, kind: BodyKind): Finding[] {
  if (!isJsonObject(body)) {
    return [reject('not-an-object', '', 'request body is not a JSON object',
      `the request body is ${jsonType(body) === 'array' ? 'an array' : `a JSON ${jsonType(body)}`}; every server reads an object`)];
  }
  const out: Finding[] = [];
  const types = kind === 'chat' ? CHAT_FIELD_TYPES : COMPLETION_FIELD_TYPES;
  // The body's few keys are read first; the table's order (the findings' order) only when one is wrong.
  if (someWrongType(body, types)) {
    for (const [field, accepted] of kind === 'chat' ? CHAT_FIELD_ENTRIES : COMPLETION_FIELD_ENTRIES) {
      if (!(field in body)) continue;
      const v = body[field] as ExactJson;
      if (field === 'prompt' && v === null) continue; // prompt-missing below
      if (!hasType(v, accepted) || !itemsOk(field, v)) {
        out.push(reject(`wrong-type:/${field}`, `/${field}`, `request: ${field} has the wrong JSON type`,
          `${field} is ${describeValue(v)}; servers accept ${accepted.join(' or ')}${itemsNote(field)}`));
      }
    }
  }
  for (const field of LIMIT_FIELDS) {
    if (!(field in types)) continue;
    const v = body[field];
    if (v !== undefined && isInteger(v) && v < 1) {
      out.push(reject(`below-minimum:/${field}`, `/${field}`, `request: ${field} below 1`,
        `${field} is ${String(v)}; every real server rejects a limit below 1 token`));
    }
  }
  if (kind === 'chat') {
    const n = body['n'];
    if (n !== undefined && isInteger(n) && n < 0) {
      out.push(reject('below-minimum:/n', '/n', 'request: n below 0',
        `n is ${String(n)}; no server takes a negative number of choices`));
    }
    const reasons = messageReasons(body);
    for (const f of reasons) out.push(f);
  } else {
    const prompt = body['prompt'];
    if (prompt === undefined || prompt === null) {
      out.push(reject('prompt-missing', '/prompt', 'request: prompt missing',
        `prompt is ${prompt === null ? 'null' : 'absent'}; every compatible server needs a prompt`));
    } else if (prompt === '' || (Array.isArray(prompt) && prompt.length === 0)) {
      out.push(reject('prompt-empty', '/prompt', 'request: prompt empty',
        `prompt is ${prompt === '' ? 'an empty string' : 'an empty array'}; servers reject an empty input`));
    }
  }
  return out;
}

/** The token limits below 1 that every server rejects. */
const LIMIT_FIELDS = ['max_tokens', 'max_completion_tokens'] as const;

/** Whether some field of the table that `body` has (own, enumerable: a parsed object's keys) has a type no server takes. */
function someWrongType(body: { [key: string]: ExactJson }, types: Readonly<Record<string, readonly JsonType[]>>): boolean {
  for (const field in body) {
    if (!Object.hasOwn(types, field)) continue;
    const v = body[field] as ExactJson;
    if (field === 'prompt' && v === null) continue;
    if (!hasType(v, types[field] as readonly JsonType[]) || !itemsOk(field, v)) return true;
  }
  return false;
}

function messageReasons(body: { [key: string]: ExactJson }): Finding[] {
  const messages = body['messages'];
  if (messages === undefined) {
    return [reject('messages-missing', '/messages', 'request: messages missing',
      'the chat request has no `messages`; every server answers 4xx (TGI: "missing field `messages`")')];
  }
  if (!Array.isArray(messages)) return []; // wrong-type:/messages, above
  if (messages.length === 0) {
    return [reject('messages-empty', '/messages', 'request: messages empty', '`messages` is []; servers need at least one message')];
  }
  // Each kind once, at its first message; nothing is allocated for well-formed messages.
  let out: Finding[] | undefined;
  const once = (kind: string, make: () => Finding) => {
    out ??= [];
    if (!out.some((f) => f.kind === kind)) out.push(make());
  };
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ExactJson;
    if (!isJsonObject(m)) {
      once('reject:message-not-object', () => reject('message-not-object', `/messages/${i}`, 'request: a message is not an object',
        `messages[${i}] is ${describeValue(m)}; each message is an object with a role`));
      continue;
    }
    const role = m['role'];
    if (role === undefined) {
      once('reject:role-missing', () => reject('role-missing', `/messages/${i}/role`, 'request: a message has no role',
        `messages[${i}] has no \`role\`; servers need one of ${[...ROLES].join(', ')}`));
    } else if (typeof role !== 'string' || !ROLES.has(role)) {
      once('reject:unknown-role', () => reject('unknown-role', `/messages/${i}/role`, 'request: a message has an unknown role',
        `messages[${i}].role is ${describeValue(role)}; servers accept ${[...ROLES].join(', ')}`));
    }
  }
  return out ?? [];
}

/** Element types for the array-valued fields whose elements servers also type. */
function itemsOk(field: string, v: ExactJson): boolean {
  if (!Array.isArray(v)) return true;
  if (field === 'stop') return v.every((s) => typeof s === 'string');
  if (field === 'prompt') {
    return (
      v.every((s) => typeof s === 'string') ||
      v.every(isInteger) ||
      v.every((s) => Array.isArray(s) && s.every(isInteger))
    );
  }
  return true;
}

function itemsNote(field: string): string {
  if (field === 'stop') return ' (an array of strings)';
  if (field === 'prompt') return ' (an array of strings, of token ids, or of token-id arrays)';
  return '';
}

function describeValue(v: ExactJson): string {
  const t = jsonType(v);
  if (t === 'object') return 'an object';
  if (t === 'array') return 'an array';
  if (t === 'null') return 'null';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `${t === 'integer' ? 'the integer' : `a ${t}`} ${s.length > 40 ? `${s.slice(0, 40)}…` : s}`;
}

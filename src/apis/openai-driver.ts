/**
 * How `tgc run --api openai` drives the OpenAI-compatible routes: the base URL ends in `/v1` (as
 * clients take it), `GET /v1/models` names the model, features a server refuses with a 4xx that
 * names them are learned and retested without (verdict-policy: "Features a server may not
 * serve"), and a failing request shrinks by dropping its optional keys.
 */
import type { OpenAIExchangeView, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { isJsonObject, type ExactJson } from '../core/json.js';
import { requestCount } from './counts.js';
import type { Limits, Reproduces, ShrinkResult } from './types.js';

/** The features a server may not serve, all assumed served until a 4xx names one. */
export const OPENAI_DEFAULT_LIMITS: Readonly<Limits> = {
  /** TGI builds both `tools` and `response_format` on its grammar support, which may be off. */
  grammarSupported: true,
  nSupported: true,
  toolsSupported: true,
  responseFormatSupported: true,
  logprobsSupported: true,
  imagesSupported: true,
  /** JSON-Schema keywords beyond type/properties/required/enum in tool parameters and response formats. */
  schemaKeywordsSupported: true,
};

/**
 * What a rejection's message names, in the order they are tried. A message names a feature when
 * it says the feature is not supported, disabled, or limited (`n` must be 1); the feature's own
 * name alone (a validation error about its value) teaches nothing.
 */
const REFUSALS: readonly { limit: string; feature: string; pattern: RegExp }[] = [
  { limit: 'grammarSupported', feature: '`tools` and `response_format` (grammar support)', pattern: /grammar is not supported|grammar support (?:is )?disabled/i },
  { limit: 'nSupported', feature: '`n` > 1', pattern: /(?:\bn\b|`n`)\s*(?:>|must be 1|must be equal to 1|=\s*1 only|is not supported|not supported|unsupported|only 1)|only n\s*=\s*1|multiple choices/i },
  { limit: 'imagesSupported', feature: 'image content parts', pattern: /image[_ ]?(?:url|part|input|content)?s?\b.*(?:not supported|unsupported|not allowed|disabled)|(?:not supported|unsupported).*\bimage/i },
  { limit: 'schemaKeywordsSupported', feature: 'a JSON-Schema keyword', pattern: /(?:keyword|schema feature|json schema).*(?:not supported|unsupported)|(?:not supported|unsupported).*(?:keyword|json schema)/i },
  { limit: 'toolsSupported', feature: '`tools`', pattern: /tool[_ ]?(?:s|choice|calls?)?\b.*(?:not supported|unsupported|not enabled|disabled)|(?:not supported|unsupported).*\btool/i },
  { limit: 'responseFormatSupported', feature: '`response_format`', pattern: /(?:response_format|json_schema|json_object|grammar).*(?:not supported|unsupported|disabled)|(?:not supported|unsupported).*(?:response_format|json_schema|json_object|grammar)/i },
  { limit: 'logprobsSupported', feature: '`logprobs`', pattern: /logprobs.*(?:not supported|unsupported|disabled)|(?:not supported|unsupported).*logprobs/i },
];

/** The feature a refusal names, with the warning that reports it once. */
export function learnOpenAILimit(view: OpenAIExchangeView): { name: string; value: boolean; finding: Finding } | undefined {
  if (view.status < 400 || view.status >= 500) {
    if (view.streamError === undefined) return undefined;
  }
  const message = view.error?.message ?? view.streamError?.info.message;
  if (message === undefined) return undefined;
  for (const r of REFUSALS) {
    if (!r.pattern.test(message)) continue;
    return {
      name: r.limit,
      value: false,
      finding: {
        check: 'openai-request-rejection',
        severity: 'warning',
        kind: `feature-refused:${r.limit}`,
        title: `the server does not serve ${r.feature}`,
        message: `${view.route} refused ${r.feature} with ${view.status} ("${message.slice(0, 160)}"); tgc retests without it (verdict-policy: features a server may not serve)`,
      },
    };
  }
  return undefined;
}

/** `POST /v1/chat/completions` under a base that ends in /v1: the path after /v1. */
export function openaiRouteUrl(url: string, route: RouteName | 'discover'): string {
  const base = url.replace(/\/+$/, '');
  if (route === 'discover') return `${base}/models`;
  const path = route.replace(/^(?:GET|POST) \/v1/, '');
  return `${base}${path}`;
}

export function normaliseOpenAIUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  if (!new URL(base).pathname.endsWith('/v1')) {
    throw new Error(`with --api openai, give the base URL ending in /v1, as clients take it (e.g. ${new URL(base).origin}/v1), got "${url}"`);
  }
  return base;
}

/** The first model `GET /v1/models` lists. */
export function discoverOpenAIModel(text: string): { limits: Partial<Limits>; model?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    const data = isJsonObject(body as ExactJson) ? (body as { data?: unknown }).data : undefined;
    const first = Array.isArray(data) ? (data[0] as { id?: unknown } | undefined) : undefined;
    return typeof first?.id === 'string' && first.id !== '' ? { limits: {}, model: first.id } : { limits: {} };
  } catch {
    return { limits: {} };
  }
}

/** Keys a request cannot lose and stay the same request. */
const ESSENTIAL = new Set(['messages', 'prompt', 'model', 'stream']);

/**
 * Shrinks a failing request by its own structure: drops optional keys one at a time, halves
 * `max_tokens`, keeps only the last message; each step kept only if the violation still shows.
 */
export async function shrinkOpenAIRequest(body: ExactJson | undefined, reproduces: Reproduces, budget: number): Promise<ShrinkResult | undefined> {
  if (!isJsonObject(body)) return undefined;
  let current: Record<string, ExactJson> = { ...body };
  const optional = (o: Record<string, ExactJson>): string[] => Object.keys(o).filter((k) => !ESSENTIAL.has(k));
  const from = optional(current).length;
  let requests = 0;
  let last: ExactJson | undefined;
  const attempt = async (candidate: Record<string, ExactJson>): Promise<boolean> => {
    if (requests >= budget) return false;
    requests++;
    const ok = await reproduces(candidate);
    if (ok) last = candidate;
    return ok;
  };
  for (const key of optional(current)) {
    if (key === 'max_tokens' || key === 'max_completion_tokens') continue; // the server default may be long
    const { [key]: _dropped, ...without } = current;
    if (await attempt(without)) current = without;
  }
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const n = current[key];
    if (typeof n === 'number' && n > 1) {
      const halved = { ...current, [key]: Math.max(1, Math.floor(n / 2)) };
      if (await attempt(halved)) current = halved;
    }
  }
  const messages = current['messages'];
  if (Array.isArray(messages) && messages.length > 1) {
    const shorter = { ...current, messages: messages.slice(-1) };
    if (await attempt(shorter)) current = shorter;
  }
  if (last === undefined) return undefined;
  return { body: last, from, to: optional(current).length, requests };
}

/**
 * An OpenAI-compatible stream sends, for each of its `n` choices, a chunk for the role, at most
 * one a generated token (`max_tokens`, or `max_completion_tokens`), one for the finish reason;
 * then a usage chunk and `[DONE]`: at most n × (max_tokens + 2) + 2 data events. The bound allows
 * twice that plus 16, room no correct server needs. No bound without a token limit.
 */
export function openaiStreamEventBound(body: ExactJson | undefined): { max: number; because: string } | undefined {
  if (!isJsonObject(body)) return undefined;
  const key = body['max_tokens'] !== undefined && body['max_tokens'] !== null ? 'max_tokens' : 'max_completion_tokens';
  const tokens = requestCount(body[key]);
  const n = requestCount(body['n'], 1);
  if (tokens === undefined || n === undefined || n < 1 || n > 1000) return undefined;
  return { max: 2 * n * (tokens + 2) + 16, because: `${key} ${tokens}${n > 1 ? ` and n ${n}` : ''}` };
}

/** Bytes allowed a generated token at each place it shows (its text, its logprobs entry with `bytes`, a chunk's wrapping). */
export const OPENAI_TOKEN_BYTES = 2048;

/**
 * The most bytes of a correct 2xx answer to an OpenAI-compatible request that sets max_tokens
 * (or max_completion_tokens): per choice (`n`, times the prompts of a completions request), each
 * token shows in the text and in its logprobs entry, at most {@link OPENAI_TOKEN_BYTES} each,
 * allowed for max_tokens + 16 tokens with one more place (a stream chunk's wrapping); plus
 * 64 KiB (usage, ids, the model's name). No bound without a token limit, with `echo` (the prompt
 * comes back, with its logprobs), or with top logprobs (`top_logprobs`, a completions request's
 * `logprobs` count): TGI fills them from its top tokens, which list every token tied with the
 * n-th, up to the whole vocabulary.
 */
export function openaiBodyByteBound(body: ExactJson | undefined): { max: number; because: string } | undefined {
  if (!isJsonObject(body) || (body['echo'] !== undefined && body['echo'] !== null && body['echo'] !== false)) return undefined;
  const key = body['max_tokens'] !== undefined && body['max_tokens'] !== null ? 'max_tokens' : 'max_completion_tokens';
  const tokens = requestCount(body[key]);
  const n = requestCount(body['n'], 1);
  // Completions: logprobs is the number of top logprobs; chat: top_logprobs.
  const top = requestCount(typeof body['logprobs'] === 'number' || typeof body['logprobs'] === 'bigint' ? body['logprobs'] : body['top_logprobs'], 0);
  const prompt = body['prompt'];
  const prompts = Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string' || Array.isArray(p)) ? prompt.length : 1;
  if (tokens === undefined || n === undefined || top !== 0) return undefined;
  const choices = Math.max(1, n) * prompts;
  const max = 64 * 1024 + choices * (tokens + 16) * 3 * OPENAI_TOKEN_BYTES;
  const words = [`${key} ${tokens}`, ...(n > 1 ? [`n ${n}`] : []), ...(prompts > 1 ? [`${prompts} prompts`] : [])];
  return { max, because: words.join(', ') };
}

/** The request parameters a body exercises, for the coverage table. */
export function openaiParametersOf(body: ExactJson | undefined): string[] {
  return isJsonObject(body) ? Object.keys(body).filter((k) => k !== 'messages' && k !== 'prompt' && k !== 'model') : [];
}

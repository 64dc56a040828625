/**
 * The requests the scenario checks plan (determinism, stream-equivalence) and the comparison of
 * what came back: token ids where the answers carry them, else the generated text. Plans are pure
 * functions of the run's seed.
 */
import type { ExchangeView } from '../../core/exchange.js';
import type { ExactJson } from '../../core/json.js';
import type { PlannedRequest, ScenarioContext } from '../check.js';

/** Short outputs: the first tokens tell an ignored seed, and real servers are slow. */
const MAX_NEW_TOKENS = 16;

const PROMPTS = [
  'The capital of France is',
  'Once upon a time, in a small village,',
  'The three primary colors are',
  'def fibonacci(n):',
  'Water boils at',
] as const;

/** A 32-bit hash of the run's seed and a salt (the murmur3 finaliser). */
function mix(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export interface ScenarioBody {
  inputs: string;
  parameters: { [key: string]: ExactJson };
}

/** A sampling request with a seed drawn from the run's seed, details on. */
export function seededSamplingBody(context: ScenarioContext, salt: number): ScenarioBody {
  return {
    inputs: PROMPTS[mix(context.seed, salt) % PROMPTS.length] ?? PROMPTS[0],
    parameters: { do_sample: true, seed: mix(context.seed, salt + 1), details: true, max_new_tokens: MAX_NEW_TOKENS },
  };
}

/** A greedy request: `parameters` present without do_sample (TGI L:436 vs serde defaults). */
export function greedyBody(context: ScenarioContext, salt: number): ScenarioBody {
  return {
    inputs: PROMPTS[mix(context.seed, salt) % PROMPTS.length] ?? PROMPTS[0],
    parameters: { details: true, max_new_tokens: MAX_NEW_TOKENS },
  };
}

/**
 * The request on the surface under test: TGI's /generate or /generate_stream, or the seed
 * document's single endpoint with `stream` in the body. On the latter `x-use-cache: false`, so
 * that equal answers come from the model, not from the endpoint's cache (seed document, Headers).
 */
export function plannedRequest(context: ScenarioContext, body: ScenarioBody, stream: boolean): PlannedRequest {
  const json: { [key: string]: ExactJson } = { inputs: body.inputs, parameters: body.parameters };
  const routes = context.routes ?? { nonStream: 'POST /generate', stream: 'POST /generate_stream', streamInBody: false };
  return {
    route: stream ? routes.stream : routes.nonStream,
    body: routes.streamInBody ? { ...json, stream } : json,
    ...(routes.headers ? { headers: { ...routes.headers } } : {}),
  };
}

/** What one exchange generated. */
export interface Output {
  /** Token ids: details.tokens, or one per stream event; absent when the answer has none. */
  ids?: number[];
  /** The text of each token, alongside `ids`. */
  texts?: string[];
  /** The generated text, without the prompt where it is prefixed; absent when not sent. */
  text?: string;
  /** Where the output's text sits: `/details/tokens` and `/generated_text`, or a stream's. */
  streamed: boolean;
}

function withoutPrompt(text: string, inputs: string | undefined): string {
  return inputs !== undefined && inputs !== '' && text.startsWith(inputs) ? text.slice(inputs.length) : text;
}

/** The output of a completed, accepted exchange; a reason string when there is none to compare. */
export function outputOf(view: ExchangeView | undefined): Output | string {
  if (view === undefined) return 'the exchange is missing';
  if (view.transportFailure !== undefined || view.redirect !== undefined) return 'the exchange did not complete';
  if (view.status < 200 || view.status >= 300) return `the server answered HTTP ${view.status}`;
  const inputs = view.request?.inputs;
  if (view.streamed) {
    if (view.streamError !== undefined) return `the stream ended with an error event (${view.streamError.error_type})`;
    const events = view.events;
    if (events === undefined || events.length === 0) return 'the stream has no schema-valid events';
    const final = events[events.length - 1]?.generated_text;
    const out: Output = { ids: events.map((e) => e.token.id), texts: events.map((e) => e.token.text), streamed: true };
    if (typeof final === 'string') out.text = withoutPrompt(final, inputs);
    return out;
  }
  const response = view.response;
  if (response === undefined) return 'no schema-valid response';
  const tokens = response.details?.tokens;
  const out: Output = { text: withoutPrompt(response.generated_text, inputs), streamed: false };
  if (tokens !== undefined) {
    out.ids = tokens.map((t) => t.id);
    out.texts = tokens.map((t) => t.text);
  }
  return out;
}

export type Divergence =
  | { at: 'none' }
  /** The outputs differ in their first token (or, compared as text, within it). */
  | { at: 'first'; detail: string; pointer: string }
  | { at: 'later'; position: number; detail: string; pointer: string };

function firstDifference<T>(a: readonly T[] | string, b: readonly T[] | string): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

function idsDivergence(a: readonly number[], b: readonly number[]): Divergence {
  const i = firstDifference(a, b);
  if (i === undefined) return { at: 'none' };
  const detail = `token ${i}: id ${a[i] ?? '(none: the output ended)'} vs ${b[i] ?? '(none: the output ended)'} (${a.length} and ${b.length} tokens)`;
  const pointer = `/details/tokens/${i}`;
  return i === 0 ? { at: 'first', detail, pointer } : { at: 'later', position: i, detail, pointer };
}

function textDivergence(a: Output, b: Output): Divergence | undefined {
  if (a.text === undefined || b.text === undefined) return undefined;
  const i = firstDifference(a.text, b.text);
  if (i === undefined) return { at: 'none' };
  const detail = `character ${i} of the generated text: ${JSON.stringify(a.text.slice(i, i + 20))} vs ${JSON.stringify(b.text.slice(i, i + 20))}`;
  // A difference inside the first token's text is a first-token difference. Without token texts,
  // only a common part made of whitespace counts: tokens carry their leading space (" Paris"),
  // and a longer common part may already hold a whole first token.
  const firstToken = (a.texts ?? b.texts)?.[0]?.length;
  const early = firstToken === undefined ? a.text.slice(0, i).trim() === '' : i < firstToken;
  return i === 0 || early
    ? { at: 'first', detail, pointer: '/generated_text' }
    : { at: 'later', position: i, detail, pointer: '/generated_text' };
}

/**
 * Where two outputs of the same request part: by token ids when both carry them, else by text.
 * `undefined` when neither can be compared.
 */
export function divergence(a: Output, b: Output): Divergence | undefined {
  if (a.ids !== undefined && b.ids !== undefined) return idsDivergence(a.ids, b.ids);
  return textDivergence(a, b);
}

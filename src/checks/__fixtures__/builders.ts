/**
 * Test-only builders of exchange views, and a summary of a check's outcome for table tests.
 * Pure (compiled with the checks under `"types": []`).
 */
import type {
  Details,
  ErrorBody,
  GenerateParameters,
  GenerateRequest,
  StreamDetails,
  StreamEvent,
  Token,
} from '../../core/api.js';
import type { ExchangeView, RouteName } from '../../core/exchange.js';
import type { ExactJson } from '../../core/json.js';
import type { CheckDefinition } from '../check.js';

export const PROMPT = 'What is Deep Learning?';

export function tok(text: string, over: Partial<Token> = {}): Token {
  return { id: 1000 + text.length, text, logprob: -1.5, special: false, ...over };
}

export function eos(text = '</s>', over: Partial<Token> = {}): Token {
  return { id: 2, text, logprob: -0.5, special: true, ...over };
}

/** Concatenated non-special texts: the text a correct server returns. */
export function textOf(tokens: readonly Token[]): string {
  return tokens.filter((t) => !t.special).map((t) => t.text).join('');
}

export function details(tokens: Token[], over: Partial<Details> = {}): Details {
  return { finish_reason: 'length', generated_tokens: tokens.length, seed: null, prefill: [], tokens, ...over };
}

interface RequestOptions {
  route?: RouteName;
  inputs?: string;
  /** `null`: no `parameters` key at all (the server then samples). */
  parameters?: GenerateParameters | null;
  /** `false`: the request is unknown (`request` undefined). */
  known?: boolean;
}

function request(o: RequestOptions, stream: boolean): Pick<ExchangeView, 'route' | 'request' | 'requestBody'> {
  const route = o.route ?? (stream ? 'POST /generate_stream' : 'POST /generate');
  const body: GenerateRequest = { inputs: o.inputs ?? PROMPT };
  if (o.parameters !== null) body.parameters = o.parameters ?? { details: true, max_new_tokens: 10 };
  if (route === 'POST /' && stream) body.stream = true;
  if (o.known === false) return { route, requestBody: undefined };
  return { route, request: body, requestBody: body as unknown as ExactJson };
}

export interface ResponseOptions extends RequestOptions {
  generatedText?: string;
  details?: Details;
  status?: number;
}

/** A non-stream exchange; `generated_text` defaults to the text of `details.tokens`. */
export function nonStream(o: ResponseOptions = {}): ExchangeView {
  const status = o.status ?? 200;
  const view: ExchangeView = {
    ...request(o, false),
    bodyShape: o.route === 'POST /' ? 'array' : 'object',
    streamed: false,
    status,
  };
  if (status < 400) {
    const text = o.generatedText ?? (o.details === undefined ? 'Hello' : textOf(o.details.tokens));
    view.response = o.details === undefined ? { generated_text: text } : { generated_text: text, details: o.details };
  } else {
    view.error = { error: 'Input validation error', error_type: 'validation' };
  }
  return view;
}

export interface StreamOptions extends RequestOptions {
  tokens: Token[];
  /** The final text; defaults to the concatenated non-special texts. `null`: not sent. */
  generatedText?: string | null;
  /** The final event's details; defaults to none. */
  details?: StreamDetails | null;
  /** Drops `index` from every event. */
  noIndex?: boolean;
  /** Ends the stream with this error event instead of a final event. */
  streamError?: ErrorBody;
  /** Edits the events after they are built. */
  edit?: (events: StreamEvent[]) => void;
}

export function streamDetails(generated: number, over: Partial<StreamDetails> = {}): StreamDetails {
  return { finish_reason: 'length', generated_tokens: generated, seed: null, input_length: 5, ...over };
}

/** A stream exchange: one event per token, the last one final unless the stream errored. */
export function stream(o: StreamOptions): ExchangeView {
  const final = o.streamError === undefined;
  const events: StreamEvent[] = o.tokens.map((token, i) => {
    const event: StreamEvent = { index: i + 1, token, generated_text: null, details: null };
    if (o.noIndex === true) delete event.index;
    return event;
  });
  const last = events[events.length - 1];
  if (final && last !== undefined) {
    last.generated_text = o.generatedText === undefined ? textOf(o.tokens) : o.generatedText;
    last.details = o.details ?? null;
  }
  o.edit?.(events);
  const view: ExchangeView = { ...request(o, true), bodyShape: 'object', streamed: true, status: 200, events };
  if (o.streamError !== undefined) view.streamError = o.streamError;
  return view;
}

/** A table row's expectation: `skip`, or the findings as `severity:kind`, in order. */
export type Want = 'skip' | readonly string[];

/**
 * Runs a check and summarises the outcome as `skip` or `severity:kind` strings. Findings that
 * break the finding contract add a `shape: …` entry, so a table test fails on them too.
 */
export function outcome(check: CheckDefinition, view: ExchangeView): Want {
  const result = check.run(view);
  if ('skip' in result) return typeof result.skip === 'string' && result.skip !== '' ? 'skip' : ['shape: empty skip reason'];
  const out: string[] = [];
  for (const f of result) {
    out.push(`${f.severity}:${f.kind}`);
    const declared = check.kinds?.[f.kind];
    if (f.check !== check.id) out.push(`shape: check ${f.check}`);
    if (declared === undefined) out.push(`shape: undeclared kind ${f.kind}`);
    else if (declared.severity !== f.severity || declared.title !== f.title) out.push(`shape: ${f.kind} differs from its declaration`);
    if (f.message === '' || f.title === '') out.push('shape: empty message or title');
    if (f.pointer !== undefined && !f.pointer.startsWith('/')) out.push(`shape: pointer ${f.pointer}`);
    if (view.streamed && (view.events?.length ?? 0) > 0) {
      if (f.event === undefined || f.event < 0 || f.event >= (view.events?.length ?? 0)) out.push(`shape: event ${String(f.event)}`);
    } else if (f.event !== undefined) out.push('shape: event on a non-stream finding');
    if (f.pointer === undefined && (view.events?.length ?? 1) > 0) out.push('shape: no pointer');
  }
  return out;
}

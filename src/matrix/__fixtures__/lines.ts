/** Small recorded exchanges for the matrix's tests: a conforming chat completion and its departures. */

export interface ChatLineOptions {
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  fingerprint?: string;
  finishReason?: string;
  object?: string;
  content?: string;
  headers?: Record<string, string>;
  tgc?: Record<string, unknown>;
  /** Extra request keys (an unknown one is a warning of openai-request-schema). */
  requestExtra?: Record<string, unknown>;
}

/** One line of the exchange format: a chat completion on the OpenAI-compatible route. */
export function chatLine(o: ChatLineOptions = {}): string {
  const line: Record<string, unknown> = {
    ...(o.provider !== undefined ? { provider: o.provider } : {}),
    route: 'POST /v1/chat/completions',
    request: { model: o.requestModel ?? 'm1', messages: [{ role: 'user', content: 'Say hi' }], max_tokens: 20, ...(o.requestExtra ?? {}) },
    status: 200,
    content_type: 'application/json',
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.tgc ? { tgc: o.tgc } : {}),
    response: {
      id: 'chatcmpl-1',
      object: o.object ?? 'chat.completion',
      created: 1714681500,
      model: o.responseModel ?? o.requestModel ?? 'm1',
      ...(o.fingerprint !== undefined ? { system_fingerprint: o.fingerprint } : {}),
      choices: [{ index: 0, message: { role: 'assistant', content: o.content ?? 'Hi!' }, logprobs: null, finish_reason: o.finishReason ?? 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    },
  };
  return JSON.stringify(line);
}

/** A chat stream (raw text/event-stream) with `[DONE]` unless told otherwise. */
export function chatStreamLine(o: { provider?: string; model?: string; fingerprint?: string; done?: boolean } = {}): string {
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-2',
      object: 'chat.completion.chunk',
      created: 1714681500,
      model: o.model ?? 'm1',
      ...(o.fingerprint !== undefined ? { system_fingerprint: o.fingerprint } : {}),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  const stream = chunk({ role: 'assistant', content: 'Hi' }, null) + chunk({ content: '!' }, 'stop') + (o.done === false ? '' : 'data: [DONE]\n\n');
  return JSON.stringify({
    ...(o.provider !== undefined ? { provider: o.provider } : {}),
    route: 'POST /v1/chat/completions',
    request: { model: o.model ?? 'm1', messages: [{ role: 'user', content: 'Say hi' }], stream: true },
    status: 200,
    content_type: 'text/event-stream',
    stream,
  });
}

/** A native TGI exchange (POST /generate) that conforms. */
export function generateLine(): string {
  return JSON.stringify({
    route: 'POST /generate',
    request: { inputs: 'Hello', parameters: { max_new_tokens: 2 } },
    status: 200,
    response: { generated_text: ' world!' },
  });
}

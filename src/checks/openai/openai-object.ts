import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { pointer } from '../_internals/pointer.js';
import { isRecord, notAResponse, notAStream, show, streamChunks, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-object';

type Kind = 'missing' | 'wrong:chat.completion' | 'wrong:chat.completion.chunk' | 'wrong:text_completion' | 'wrong:list' | 'wrong:model';

const KINDS = {
  missing: { severity: 'violation', title: '`object` is missing' },
  'wrong:chat.completion': { severity: 'violation', title: 'a chat completion is not labelled "chat.completion"' },
  'wrong:chat.completion.chunk': { severity: 'violation', title: 'a chat stream chunk is not labelled "chat.completion.chunk"' },
  'wrong:text_completion': { severity: 'violation', title: 'a completion is not labelled "text_completion"' },
  'wrong:list': { severity: 'violation', title: 'the model list is not labelled "list"' },
  'wrong:model': { severity: 'violation', title: 'a model entry is not labelled "model"' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

type Expected = 'chat.completion' | 'chat.completion.chunk' | 'text_completion' | 'list' | 'model';

/** The kind of a wrong label, by the label expected (written once, not per chunk). */
const WRONG: Readonly<Record<Expected, Kind>> = {
  'chat.completion': 'wrong:chat.completion',
  'chat.completion.chunk': 'wrong:chat.completion.chunk',
  text_completion: 'wrong:text_completion',
  list: 'wrong:list',
  model: 'wrong:model',
};

/** `where` names the body for messages: a function on the stream path, called only for a first departure. */
function judge(tally: Tally<Kind>, body: unknown, expected: Expected, where: string | (() => string), at: { pointer: string; event?: number }): void {
  if (!isRecord(body)) return;
  const value = body['object'];
  if (value === expected) return;
  const kind: Kind = value === undefined ? 'missing' : WRONG[expected];
  if (tally.bump(kind)) return;
  const what = typeof where === 'function' ? where() : where;
  // Field by field (no spread): Tally reads message, pointer and event.
  if (value === undefined) tally.add('missing', () => ({ pointer: pointer(at.pointer, 'object'), event: at.event, message: `expected ${what} to have "object": "${expected}" but the key is absent` }));
  else tally.add(kind, () => ({ pointer: pointer(at.pointer, 'object'), event: at.event, message: `expected ${what} to have "object": "${expected}" but saw ${show(value)}` }));
}

/**
 * `object` names what a body is: "chat.completion" (a chat response), "chat.completion.chunk"
 * (every chat chunk), "text_completion" (a completion and every completions chunk), "list" for
 * GET /v1/models and "model" for each of its entries. Missing or wrong is a violation (strictly
 * typed clients reject it; openai-python's `.stream()` drops chunks with another value). A
 * departure repeated on every chunk is reported once, at its first event, with the count.
 */
export const openaiObject: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: '`object` names the body: chat.completion, chat.completion.chunk, text_completion, list, model',
  rule: 'object is "chat.completion" on a chat response, "chat.completion.chunk" on every chat chunk, "text_completion" on a completion and its chunks, "list" on /v1/models and "model" on each entry; missing or wrong is a violation.',
  source: 'openai-behavior.md §1, §2 (openai-python .stream() drops other chunks), §3, §4.9, §4.12; verdict-policy "The OpenAI-compatible routes" (object missing or wrong)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    const tally = new Tally<Kind>();
    if (view.streamed && view.kind !== 'models') {
      const why = notAStream(view);
      if (why !== undefined) return { skip: why };
      const expected: Expected = view.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
      for (const { chunk, event } of streamChunks(view) ?? []) {
        // The common chunk, labelled as expected: nothing made for it; a departure's message and
        // place are made at its first occurrence only.
        if (chunk['object'] === expected) continue;
        judge(tally, chunk, expected, () => `chunk at event ${event}`, { pointer: '', event });
      }
      return tally.findings(report, 'chunk');
    }
    const why = notAResponse(view);
    if (why !== undefined) return { skip: why };
    const body = view.response;
    if (view.kind === 'models') {
      judge(tally, body, 'list', 'the model list', { pointer: '' });
      const data = isRecord(body) ? body['data'] : undefined;
      if (Array.isArray(data)) {
        data.forEach((entry: unknown, i) => judge(tally, entry, 'model', `model entry ${i}`, { pointer: pointer('/data', i) }));
      }
      return tally.findings(report, 'entry');
    }
    judge(tally, body, view.kind === 'chat' ? 'chat.completion' : 'text_completion', 'the response', { pointer: '' });
    const out: Finding[] = tally.findings(report);
    return out;
  },
};

import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { isRecord, notAResponse, notAStream, show, streamChunks, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-stream-consistency';

type Kind = 'empty-id' | 'id-changed' | 'created-changed' | 'model-changed';

const KINDS = {
  // TGI sends `id: ""` everywhere (TGI #1782): clients tolerate it.
  'empty-id': { severity: 'warning', title: 'the completion id is empty' },
  'id-changed': { severity: 'warning', title: 'the id changes between chunks' },
  // TGI stamps `created` per chunk.
  'created-changed': { severity: 'warning', title: 'created changes between chunks' },
  'model-changed': { severity: 'warning', title: 'the model changes between chunks' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

const FIELDS = ['id', 'created', 'model'] as const;
/** The kind of a change of each field, in FIELDS' order (written once, not per chunk). */
const CHANGED = FIELDS.map((field) => `${field}-changed` as const);

/**
 * Every chunk of a stream belongs to one completion: the same `id`, `created` and `model` (the
 * llama.cpp server tests check the id). Changes are warnings (TGI stamps `created` per chunk), and
 * so is an empty `id` (TGI #1782), on streams and responses alike. `system_fingerprint: null` is
 * an allowed quirk of real recordings (fixtures README) and is not reported. Each kind once per
 * exchange.
 */
export const openaiStreamConsistency: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'warning',
  title: 'chunks share one non-empty id, created and model',
  rule: 'Every chunk of a stream carries the same id, created and model, and the id is not empty (also on responses); departures are warnings.',
  source: 'openai-behavior.md §3 (TGI: id "", created per chunk), §4.13, §5 (llama.cpp: same id in every chunk); verdict-policy "The OpenAI-compatible routes" (warnings: empty id; id, created or model changing)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind === 'models') return { skip: 'GET /v1/models is a list, not a completion' };
    const tally = new Tally<Kind>();
    if (!view.streamed) {
      const why = notAResponse(view);
      if (why !== undefined) return { skip: why };
      const body = view.response;
      if (isRecord(body) && body['id'] === '') tally.add('empty-id', { pointer: '/id', message: 'expected a non-empty completion id but it is ""' });
      return tally.findings(report);
    }
    const why = notAStream(view);
    if (why !== undefined) return { skip: why };
    const chunks = streamChunks(view) ?? [];
    const first = chunks[0];
    if (first === undefined) return { skip: 'the stream has no chunks' };
    for (const { chunk, event } of chunks) {
      // Messages only for a kind's first occurrence (TGI sends "" on every chunk).
      if (chunk['id'] === '' && !tally.bump('empty-id')) tally.add('empty-id', () => ({ pointer: '/id', event, message: `expected a non-empty completion id but it is "" at event ${event}` }));
      if (chunk === first.chunk) continue;
      for (let f = 0; f < FIELDS.length; f++) {
        const field = FIELDS[f] as (typeof FIELDS)[number];
        const was = first.chunk[field];
        const now = chunk[field];
        if (now !== was && !tally.bump(CHANGED[f] as Kind)) {
          tally.add(CHANGED[f] as Kind, () => ({
            pointer: `/${field}`,
            event,
            message: `expected ${field} ${show(was)} (as at event ${first.event}) on every chunk but it is ${show(now)} at event ${event}`,
          }));
        }
      }
    }
    return tally.findings(report, 'chunk');
  },
};

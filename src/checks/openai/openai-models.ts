import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { pointer } from '../_internals/pointer.js';
import { isRecord, notAResponse, show, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-models';

type Kind = 'data-not-array' | 'entry-not-object' | 'missing-id' | 'empty-id' | 'duplicate-id';

const KINDS = {
  'data-not-array': { severity: 'violation', title: 'the model list\'s data is not an array' },
  'entry-not-object': { severity: 'violation', title: 'a model entry is not an object' },
  'missing-id': { severity: 'violation', title: 'a model entry has no string id' },
  'empty-id': { severity: 'violation', title: 'a model entry has an empty id' },
  'duplicate-id': { severity: 'warning', title: 'two model entries share an id' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/**
 * GET /v1/models answers `{object: "list", data: [{id, object: "model", …}]}` (the `object`
 * labels are judged by openai-object): `data` is an array and each entry has a non-empty string
 * `id`, the name a client puts in `model`. The same id twice is a warning.
 */
export const openaiModels: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'GET /v1/models lists models with non-empty ids',
  rule: 'The model list\'s data is an array whose entries are objects with a non-empty string id; a repeated id is a warning.',
  source: 'openai-behavior.md (TGI serves GET /v1/models, router/src/server.rs); openai-openapi-excerpt.yaml ListModelsResponse; verdict-policy "The OpenAI-compatible routes" (list/model on /v1/models)',
  appliesTo: 'non-stream',
  kinds: KINDS,
  run(view) {
    if (view.kind !== 'models') return { skip: 'not GET /v1/models' };
    const why = notAResponse(view);
    if (why !== undefined) return { skip: why };
    const tally = new Tally<Kind>();
    const data = isRecord(view.response) ? view.response['data'] : undefined;
    if (!Array.isArray(data)) {
      tally.add('data-not-array', { pointer: '/data', message: `expected data to be an array of models but saw ${show(data)}` });
      return tally.findings(report);
    }
    const seen = new Map<string, number>();
    data.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) {
        tally.add('entry-not-object', { pointer: pointer('/data', i), message: `expected model entry ${i} to be an object but saw ${show(entry)}` });
        return;
      }
      const id = entry['id'];
      const at = pointer('/data', i, 'id');
      if (typeof id !== 'string') tally.add('missing-id', { pointer: at, message: `expected model entry ${i} to have a string id but saw ${show(id)}` });
      else if (id === '') tally.add('empty-id', { pointer: at, message: `expected model entry ${i} to have a non-empty id but it is ""` });
      else {
        const before = seen.get(id);
        if (before !== undefined) tally.add('duplicate-id', { pointer: at, message: `expected each model id once but entry ${i} repeats ${show(id)} (entry ${before})` });
        else seen.set(id, i);
      }
    });
    return tally.findings(report, 'entry');
  },
};

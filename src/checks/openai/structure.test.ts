import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { createRegistry } from '../check.js';
import { parseRecordings } from './__fixtures__/recordings.js';
import {
  chatResponse,
  chatStream,
  completionResponse,
  completionStream,
  errorResponse,
  modelsResponse,
  outcome,
  streamView,
  tgiChatStream,
  togetherChatStream,
  type Json,
} from './__fixtures__/views.js';
import { openaiStructureChecks } from './structure.js';

const IDS = [
  'openai-request-schema',
  'openai-response-schema',
  'openai-chunk-schema',
  'openai-error-body',
  'openai-object',
  'openai-finish-reason',
  'openai-choice-index',
  'openai-stream-done',
  'openai-stream-consistency',
  'openai-stream-role',
  'openai-stream-error',
  'openai-usage',
  'openai-models',
  'openai-request-rejection',
];

function runAll(view: OpenAIExchangeView): { findings: Finding[]; shape: string[] } {
  const findings: Finding[] = [];
  const shape: string[] = [];
  for (const check of openaiStructureChecks) {
    const summary = outcome(check, view);
    if (summary !== 'skip') shape.push(...summary.filter((s) => s.startsWith('shape:')).map((s) => `${check.id} ${s}`));
    const result = check.run(view);
    if (!('skip' in result)) findings.push(...result);
  }
  return { findings, shape };
}

const summary = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.check}/${f.kind}`);

describe('openaiStructureChecks', () => {
  it('lists the checks in order, with unique ids', () => {
    expect(openaiStructureChecks.map((c) => c.id)).toEqual(IDS);
    expect(createRegistry(openaiStructureChecks).size).toBe(IDS.length);
  });

  it.each(openaiStructureChecks.map((c) => [c.id, c] as const))('%s cites its sources and declares its kinds', (id, check) => {
    expect(check.source).toMatch(/openai-behavior\.md §|openai-openapi-excerpt/);
    expect(check.source).toMatch(/verdict-policy/);
    expect(check.rule.length).toBeGreaterThan(40);
    expect(check.title.length).toBeGreaterThan(10);
    if (!id.endsWith('-schema')) {
      const kinds = Object.entries(check.kinds ?? {});
      expect(kinds.length).toBeGreaterThan(0);
      if (id !== 'openai-error-body') expect(kinds.some(([, k]) => k.severity === check.severity)).toBe(true);
      for (const [kind, k] of kinds) {
        expect(kind).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(:[a-z._]+)?$/);
        expect(k.title.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('conformant exchanges modelled on api.openai.com', () => {
  const views: [string, OpenAIExchangeView][] = [
    ['chat response', chatResponse()],
    ['chat stream', chatStream()],
    ['chat stream with include_usage', chatStream({ usageChunk: true, usageOnChunks: 'null' })],
    ['two streamed choices (n = 2)', chatStream({ n: 2 })],
    ['completion', completionResponse()],
    ['completions stream', completionStream({ usageChunk: true })],
    ['three prompts streamed', completionStream({ prompts: 3 })],
    ['model list', modelsResponse()],
    ['400 for a missing model', errorResponse()],
  ];
  it.each(views)('%s: no finding at all', (_name, view) => {
    const { findings, shape } = runAll(view);
    expect(shape).toEqual([]);
    expect(summary(findings)).toEqual([]);
  });
});

describe('allowed quirks of real servers give no violation', () => {
  const views: [string, OpenAIExchangeView, string[]][] = [
    ['TGI 3.x stream: id "", role on every delta, usage null, created per chunk', tgiChatStream(), ['warning:openai-stream-consistency/empty-id', 'warning:openai-stream-consistency/created-changed']],
    ['Together stream: text, seed, token_id, tool_calls null, usage on the last chunk', togetherChatStream(), ['warning:openai-usage/unrequested-usage']],
    ['usage on every chunk without include_usage', chatStream({ usageOnChunks: 'every' }), ['warning:openai-usage/unrequested-usage']],
    ['usage absent from a response', chatResponse({ edit: (b) => delete b['usage'] }), []],
    ['usage null in a response', chatResponse({ edit: (b) => (b['usage'] = null) }), []],
    ['logprobs null, refusal null, service_tier, system_fingerprint null', chatResponse(), []],
    ['an empty id in a response', chatResponse({ edit: (b) => (b['id'] = '') }), ['warning:openai-stream-consistency/empty-id']],
    ['extra keys everywhere', chatResponse({ edit: (b) => ((b['time_info'] = { queue: 0.1 }), (b['prompt'] = []), (b['seed'] = 1.5e19)) }), []],
    ['finish_reason absent before the last chunk', chatStream({ edit: (cs) => cs.slice(0, -1).forEach((c) => delete (c['choices'] as Json[])[0]?.['finish_reason']) }), ['warning:openai-finish-reason/absent-before-last']],
    ['n ignored', chatResponse({ request: { model: 'tgi', messages: [{ role: 'user', content: 'hi' }], n: 2 } }), ['warning:openai-choice-index/n-ignored']],
    ['TGI\'s 422 {error, error_type}', errorResponse({ status: 422, info: { shape: 'tgi', message: 'Template error: template not found', type: 'template_error' } }), []],
    ['text/plain 422', errorResponse({ status: 422, info: { shape: 'text', message: 'Failed to deserialize the JSON body into the target type' } }), []],
  ];
  it.each(views)('%s', (_name, view, warnings) => {
    const { findings, shape } = runAll(view);
    expect(shape).toEqual([]);
    expect(summary(findings)).toEqual(warnings);
  });
});

// ── the real recordings ─────────────────────────────────────────────────────────────────────

const FILE = new URL('../../../../shared/fixtures/openai-exchanges.jsonl', import.meta.url);
const present = existsSync(fileURLToPath(FILE));

/** Warnings the real recordings raise, each right to warn and wrong to fail. */
const EXPECTED_WARNINGS = new Set([
  'openai-stream-consistency/empty-id', // TGI's id "" (TGI #1782)
  'openai-stream-consistency/created-changed', // TGI stamps created per chunk
  'openai-usage/unrequested-usage', // Together's usage on the last chunk without include_usage
]);

/** The findings each known deviation must raise (fixtures README). */
function expectedFor(deviation: string, streamed: boolean): string[] {
  if (deviation.includes('TGI 2.0.1')) {
    return streamed
      ? ['violation:openai-object/wrong:chat.completion.chunk', 'violation:openai-finish-reason/outside-enum', 'violation:openai-stream-done/missing-done']
      : ['violation:openai-object/wrong:chat.completion', 'violation:openai-finish-reason/outside-enum'];
  }
  if (deviation.includes('finish_reason eos')) return ['violation:openai-finish-reason/outside-enum'];
  if (deviation.includes('text.completion')) return ['violation:openai-object/wrong:text_completion'];
  throw new Error(`unknown deviation: ${deviation}`);
}

describe.skipIf(!present)('the real recordings (openai-exchanges.jsonl, through a schema-less decoder)', () => {
  const recordings = present ? parseRecordings(readFileSync(FILE, 'utf8')) : [];

  it('reads all 44', () => {
    expect(recordings).toHaveLength(44);
  });

  const clean = recordings.filter((r) => r.knownDeviation === undefined);
  const deviant = recordings.filter((r) => r.knownDeviation !== undefined);

  it.each(clean.map((r) => [r.name, r] as const))('%s: no violation, only known warnings', (_name, r) => {
    const { findings, shape } = runAll(r.view);
    expect(shape).toEqual([]);
    expect(summary(findings.filter((f) => f.severity === 'violation'))).toEqual([]);
    expect(findings.filter((f) => !EXPECTED_WARNINGS.has(`${f.check}/${f.kind}`)).map((f) => `${f.check}/${f.kind}`)).toEqual([]);
  });

  it.each(deviant.map((r) => [r.name, r] as const))('%s: flags its known deviation, and nothing else', (_name, r) => {
    const { findings, shape } = runAll(r.view);
    expect(shape).toEqual([]);
    const violations = summary(findings.filter((f) => f.severity === 'violation'));
    expect(violations).toEqual(expectedFor(r.knownDeviation ?? '', r.view.streamed));
    expect(findings.filter((f) => f.severity === 'warning' && !EXPECTED_WARNINGS.has(`${f.check}/${f.kind}`)).map((f) => `${f.check}/${f.kind}`)).toEqual([]);
  });
});

// ── robustness: any JSON value where the schema leaves one open ─────────────────────────────

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 5 }),
  fc.double(),
  fc.bigInt(),
  fc.constantFrom('', 'stop', 'length', 'eos_token', 'chat.completion.chunk', 'text_completion', 'assistant', '[DONE]'),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', 'prompt_tokens', 'message'), fc.integer(), { maxKeys: 2 }),
);
const usageArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.record({ prompt_tokens: anyJson, completion_tokens: anyJson, total_tokens: anyJson }),
);
const choiceArb = fc.record(
  {
    index: anyJson,
    finish_reason: anyJson,
    delta: fc.oneof(anyJson, fc.record({ role: anyJson, content: anyJson, tool_calls: anyJson }, { requiredKeys: [] })),
    message: fc.record({ role: anyJson, content: anyJson }, { requiredKeys: [] }),
    text: anyJson,
    logprobs: anyJson,
  },
  { requiredKeys: [] },
);
const bodyArb = fc.record(
  {
    id: anyJson,
    object: anyJson,
    created: anyJson,
    model: anyJson,
    choices: fc.oneof(fc.array(fc.oneof(choiceArb, anyJson), { maxLength: 4 }), anyJson),
    usage: usageArb,
    data: fc.oneof(fc.array(fc.oneof(fc.record({ id: anyJson, object: anyJson }, { requiredKeys: [] }), anyJson), { maxLength: 3 }), anyJson),
  },
  { requiredKeys: [] },
);
const requestArb = fc.record(
  {
    messages: fc.constant([{ role: 'user', content: 'hi' }]),
    prompt: fc.oneof(fc.constant('p'), fc.array(fc.string(), { maxLength: 3 }), fc.array(fc.integer(), { maxLength: 3 }), anyJson),
    n: anyJson,
    best_of: anyJson,
    max_tokens: anyJson,
    max_completion_tokens: anyJson,
    stream_options: fc.oneof(anyJson, fc.record({ include_usage: anyJson }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const viewArb: fc.Arbitrary<OpenAIExchangeView> = fc
  .record({
    kind: fc.constantFrom('chat', 'completions', 'models'),
    streamed: fc.boolean(),
    status: fc.constantFrom(200, 201, 302, 400, 401, 422, 424, 429, 500, 503),
    request: fc.option(requestArb, { nil: undefined }),
    body: bodyArb,
    chunks: fc.array(bodyArb, { maxLength: 5 }),
    done: fc.boolean(),
    trailing: fc.array(fc.constantFrom('[DONE]', '{}', 'x', ''), { maxLength: 2 }),
    error: fc.option(fc.record({ status: fc.option(fc.constantFrom(422, 429, 500), { nil: undefined }), message: fc.string() }), { nil: undefined }),
    expectation: fc.option(fc.constantFrom('accept', 'reject', 'either'), { nil: undefined }),
    invalid: fc.boolean(),
    errorInfo: fc.option(fc.record({ shape: fc.constantFrom('openai', 'tgi', 'text', 'bare-string', 'flat', 'other'), message: fc.option(fc.string(), { nil: undefined }) }), { nil: undefined }),
  })
  .map((v) => {
    const options = {
      status: v.status,
      ...(v.request === undefined ? {} : { request: v.request as Json }),
      ...(v.expectation === undefined ? {} : { expectation: { outcome: v.expectation, purpose: 'positive' as const } }),
      ...(v.invalid ? { requestInvalidReasons: [{ check: 'openai-request-rejection', severity: 'violation' as const, kind: 'reject:x', title: 'x', message: 'x' }] } : {}),
    };
    let view: OpenAIExchangeView;
    if (v.streamed) {
      view = streamView(v.kind, v.chunks as Json[], {
        ...options,
        done: v.done,
        trailing: v.trailing,
        ...(v.error === undefined ? {} : { error: { info: { shape: 'openai', message: v.error.message }, ...(v.error.status === undefined ? {} : { status: v.error.status }) } }),
      }, { stream: true });
    } else {
      view = v.kind === 'models' ? modelsResponse(options) : v.kind === 'chat' ? chatResponse(options) : completionResponse(options);
      view.response = v.body as never;
    }
    if (v.errorInfo !== undefined) view.error = v.errorInfo;
    return view;
  });

describe('every structure check', () => {
  it('never throws on any JSON where the schema leaves values open, and returns well-formed findings', () => {
    fc.assert(
      fc.property(viewArb, (view) => {
        for (const check of openaiStructureChecks) {
          const result = outcome(check, view);
          if (result !== 'skip') expect(result.filter((s) => s.startsWith('shape:'))).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

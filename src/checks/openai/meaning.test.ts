import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import {
  chatRequest,
  chatStreamView,
  chatView,
  chunk,
  completionView,
  CONTEXT,
  recordedViews,
  toolCall,
  type Json,
} from './__fixtures__/meaning-views.js';
import { openaiMeaningChecks, openaiScenarioChecks } from './meaning.js';

const FILE = new URL('../../../../shared/fixtures/openai-exchanges.jsonl', import.meta.url);
const present = existsSync(fileURLToPath(FILE));

describe('the meaning checks', () => {
  it('are listed in order, with their kinds declared', () => {
    expect(openaiMeaningChecks.map((c) => c.id)).toEqual(['openai-stop-suffix', 'openai-length', 'openai-logprobs', 'openai-tool-calls', 'openai-response-format']);
    expect(openaiScenarioChecks.map((c) => c.id)).toEqual(['openai-determinism', 'openai-stream-equivalence']);
    for (const check of openaiMeaningChecks) {
      expect(check.kinds, check.id).toBeDefined();
      const severities = Object.values(check.kinds ?? {}).map((k) => k.severity);
      expect(severities, check.id).toContain(check.severity);
      for (const kind of Object.keys(check.kinds ?? {})) expect(kind).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.source).toMatch(/openai-behavior\.md|verdict-policy/);
    }
  });

  describe.runIf(present)('over the real recordings (naive decoding, no schema validation)', () => {
    const recordings = present ? recordedViews(readFileSync(FILE, 'utf8')) : [];

    it('reads all 44', () => {
      expect(recordings).toHaveLength(44);
    });

    it.each(recordings.map((r) => [r.name, r] as const))('%s: no finding', (_name, recording) => {
      const findings: Finding[] = [];
      for (const check of openaiMeaningChecks) {
        const result = check.run(recording.view);
        if (!('skip' in result)) findings.push(...result);
      }
      // The recordings' known deviations (finish_reason, object, [DONE]) belong to other checks.
      expect(findings).toEqual([]);
    });

    it('stream-equivalence and determinism agree on recordings of the same request', () => {
      // TGI 3.x answered the same seeded prompt twice (non-stream), and Together streamed "2".
      const tgi = recordings.filter((r) => r.name.includes('router.huggingface.co') && !r.view.streamed && r.knownDeviation === undefined && r.view.status === 200);
      expect(tgi.length).toBeGreaterThan(1);
      const result = openaiScenarioChecks[0]?.assess({ name: 'chat-seeded', requests: [] }, tgi.map((r) => r.view));
      expect(result).toEqual([]);
    });
  });

  it('never throw on values the schema leaves open', () => {
    const odd: unknown[] = [null, true, 0, -1, 1.5, 'x', '', [], [1], {}, { a: [null] }, 9007199254740993n];
    const views: OpenAIExchangeView[] = [];
    for (const value of odd) {
      const request = chatRequest({ stop: ['.'], max_tokens: 4, logprobs: true, top_logprobs: 1, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'required', response_format: { type: 'json_object' } });
      views.push(
        chatView({ request, choices: [{ content: 'a.', finish: value, index: value, logprobs: value, toolCalls: value }] }),
        chatView({ request, choices: [{ content: 'a.', finish: 'length', toolCalls: [toolCall('f', value)] }], usage: { completion_tokens: value } }),
        chatView({ request, edit: (b) => (b.choices = value) }),
        chatView({ request, edit: (b) => ((b.choices as Json[])[0] = value as Json) }),
        chatStreamView({ request, chunks: [chunk([{ index: value, delta: { content: 'a', tool_calls: [{ index: value, function: { arguments: value } }] }, finish: value, logprobs: value }], { usage: value })] }),
        chatStreamView({ request, chunks: [value as Json, chunk([{ delta: value as Json }])] }),
        completionView({ request: { prompt: value, stop: value, max_tokens: value, logprobs: value, echo: value }, choices: [{ content: 'x', finish: value, logprobs: value, index: value }] }),
      );
    }
    for (const view of views) {
      for (const check of openaiMeaningChecks) expect(() => check.run(view), check.id).not.toThrow();
      for (const check of openaiScenarioChecks) {
        for (const group of check.plan(CONTEXT)) expect(() => check.assess(group, [view, view]), check.id).not.toThrow();
      }
    }
  });
});

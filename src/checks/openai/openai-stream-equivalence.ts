import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckKind, ScenarioCheck } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { show } from './_internals/choices.js';
import {
  asStream,
  chatBody,
  completionBody,
  differentBackends,
  request,
  scenarioOutputOf,
  textDivergence,
  type ScenarioOutput,
} from './_internals/scenario.js';

const ID = 'openai-stream-equivalence';

/*
 * Severities (verdict-policy item 9, "the same holds for stream vs non-stream equality"): a
 * stream that differs from the non-stream answer from its first token does not serve the same
 * request (a violation); a later divergence is what GPU batching does on correct servers (a
 * warning). The same output counted differently in usage is a violation.
 */
const KINDS = {
  differs: {
    severity: 'violation',
    title: 'the stream and the non-stream answer differ from the first token',
  },
  'late-divergence': {
    severity: 'warning',
    title: 'the stream and the non-stream answer diverge after the first token',
  },
  'usage-differs': {
    severity: 'violation',
    title: 'the same output has different token counts in the stream and the non-stream answer',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const GROUPS = {
  'chat-seeded': { route: 'POST /v1/chat/completions', salt: 41, temperature: 0.7 },
  'chat-greedy': { route: 'POST /v1/chat/completions', salt: 43, temperature: 0 },
  'completions-seeded': { route: 'POST /v1/completions', salt: 47, temperature: 0.7 },
} as const;

type GroupName = keyof typeof GROUPS;
const isGroup = (name: string): name is GroupName => Object.hasOwn(GROUPS, name);

function usageFindings(plain: ScenarioOutput, streamed: ScenarioOutput): Finding[] {
  if (plain.usage === undefined || streamed.usage === undefined) return [];
  const differences: string[] = [];
  if (plain.usage.prompt !== streamed.usage.prompt) differences.push(`prompt_tokens ${show(plain.usage.prompt)} vs ${show(streamed.usage.prompt)}`);
  if (plain.usage.completion !== streamed.usage.completion) {
    differences.push(`completion_tokens ${show(plain.usage.completion)} vs ${show(streamed.usage.completion)}`);
  }
  if (differences.length === 0) return [];
  return [
    report('usage-differs', {
      message: `the stream and the non-stream answer have the same content but different usage (non-stream vs stream): ${differences.join(', ')}`,
      pointer: '/usage',
    }),
  ];
}

/**
 * The same seeded request sent without and with streaming (`stream_options.include_usage`)
 * gives the same content for choice 0 (the stream's assembled from its deltas) and, where the
 * contents agree, the same `prompt_tokens` and `completion_tokens` (the stream's usage chunk).
 * Chat seeded and greedy, and completions seeded (openai-behavior.md §1; verdict-policy item 9).
 * Usage is compared only where both answers carry it.
 */
export const openaiStreamEquivalence: ScenarioCheck<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'a stream gives the same output and usage as the non-stream answer',
  rule:
    'The same seeded request sent without and with streaming gives the same content and, where the contents agree, the same prompt and completion token counts; a difference from the first token is a violation, a later divergence (GPU batching) a warning.',
  source: 'openai-behavior.md §1 (stream chunks, stream_options.include_usage); verdict-policy.md item 9',
  plan(context) {
    if (context.api !== 'openai') return [];
    return (Object.keys(GROUPS) as GroupName[]).map((name) => {
      const { route, salt, temperature } = GROUPS[name];
      const body = route === 'POST /v1/completions' ? completionBody(context, salt, temperature) : chatBody(context, salt, temperature);
      return { name, requests: [request(route, body), request(route, asStream(body))] };
    });
  },
  assess(group, views) {
    if (!isGroup(group.name)) return { skip: `not a group of this check: ${group.name}` };
    const outputs: ScenarioOutput[] = [];
    for (const [i, view] of views.entries()) {
      const output = scenarioOutputOf(view);
      if (typeof output === 'string') return { skip: `exchange ${i + 1}: ${output}` };
      outputs.push(output);
    }
    const plain = outputs.find((o) => !o.streamed);
    const streamed = outputs.find((o) => o.streamed);
    if (plain === undefined || streamed === undefined) return { skip: 'needs one non-stream and one stream exchange' };
    const backends = differentBackends(plain, streamed);
    if (backends !== undefined) return { skip: backends };
    const d = textDivergence(plain.content, streamed.content);
    if (d.at === 'first') return [report('differs', { message: `non-stream vs stream: ${d.detail}`, pointer: plain.pointer })];
    if (d.at === 'later') {
      return [
        report('late-divergence', {
          message: `non-stream vs stream diverge after the first token: ${d.detail}; GPU batching does this on correct servers`,
          pointer: plain.pointer,
        }),
      ];
    }
    return usageFindings(plain, streamed);
  },
};

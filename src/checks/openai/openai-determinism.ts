import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckKind, ScenarioCheck } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { chatBody, differentBackends, request, scenarioOutputOf, textDivergence, type ScenarioOutput } from './_internals/scenario.js';

const ID = 'openai-determinism';

/*
 * Severities (verdict-policy item 9): GPU batching makes outputs diverge after some tokens even
 * with the same seed or greedy decoding, so a late divergence is a warning; outputs that differ
 * from the first token mean the seed was ignored (or greedy decoding is not greedy): a violation.
 */
const KINDS = {
  'seed-ignored': {
    severity: 'violation',
    title: 'the same seeded chat request gave different outputs from the first token',
  },
  'greedy-nondeterministic': {
    severity: 'violation',
    title: 'the same greedy chat request (temperature 0) gave different outputs from the first token',
  },
  'late-divergence': {
    severity: 'warning',
    title: 'the same chat request gave outputs that diverge after the first token',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const GROUPS = {
  'chat-seeded': { salt: 31, temperature: 0.7, what: 'the same chat request with the same seed', early: 'seed-ignored' },
  'chat-greedy': { salt: 37, temperature: 0, what: 'the same greedy chat request (temperature 0, same seed)', early: 'greedy-nondeterministic' },
} as const;

type GroupName = keyof typeof GROUPS;
const isGroup = (name: string): name is GroupName => Object.hasOwn(GROUPS, name);

/**
 * The same seeded chat request (temperature 0.7), and the same greedy one (temperature 0), each
 * sent twice without streaming, give the same content for choice 0 (openai-behavior.md §1 `seed`;
 * verdict-policy item 9). Answers from different backends (their `system_fingerprint`s differ)
 * are not compared: OpenAI documents that a changed fingerprint may change the output.
 */
export const openaiDeterminism: ScenarioCheck<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'the same seeded or greedy chat request gives the same output',
  rule:
    'A seeded chat request, and a greedy one, each sent twice, give the same content; outputs that differ from the first token are a violation, a later divergence (GPU batching) a warning.',
  source: 'openai-behavior.md §1 (seed, temperature); verdict-policy.md item 9',
  plan(context) {
    if (context.api !== 'openai') return [];
    return (Object.keys(GROUPS) as GroupName[]).map((name) => {
      const { salt, temperature } = GROUPS[name];
      const planned = request('POST /v1/chat/completions', chatBody(context, salt, temperature));
      return { name, requests: [planned, planned] };
    });
  },
  assess(group, views) {
    if (!isGroup(group.name)) return { skip: `not a group of this check: ${group.name}` };
    if (views.length < 2) return { skip: 'fewer than two exchanges to compare' };
    const outputs: ScenarioOutput[] = [];
    for (const [i, view] of views.entries()) {
      const output = scenarioOutputOf(view);
      if (typeof output === 'string') return { skip: `exchange ${i + 1}: ${output}` };
      outputs.push(output);
    }
    const [first, ...rest] = outputs;
    if (first === undefined) return { skip: 'no exchange to compare' };
    const { what, early } = GROUPS[group.name];
    let worst: { at: 'first' | 'later'; position: number; detail: string; other: number } | undefined;
    for (const [i, other] of rest.entries()) {
      const backends = differentBackends(first, other);
      if (backends !== undefined) return { skip: `exchange 1 vs ${i + 2}: ${backends}` };
      const d = textDivergence(first.content, other.content);
      if (d.at === 'none') continue;
      const rank = (x: { at: string; position: number }): number => (x.at === 'first' ? -1 : x.position);
      if (worst === undefined || rank(d) < rank(worst)) worst = { ...d, other: i + 2 };
    }
    if (worst === undefined) return [] as Finding[];
    if (worst.at === 'first') {
      return [report(early, { message: `${what} gave different outputs from the first token (exchange 1 vs ${worst.other}): ${worst.detail}`, pointer: first.pointer })];
    }
    return [
      report('late-divergence', {
        message: `${what} gave outputs that diverge after the first token (exchange 1 vs ${worst.other}): ${worst.detail}; GPU batching does this on correct servers`,
        pointer: first.pointer,
      }),
    ];
  },
};

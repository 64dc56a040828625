import type { Finding } from '../core/finding.js';
import type { CheckKind, ScenarioCheck } from './check.js';
import { findingReporter } from './_internals/findings.js';
import {
  divergence,
  greedyBody,
  outputOf,
  plannedRequest,
  seededSamplingBody,
  type Divergence,
  type Output,
} from './_internals/scenario-outputs.js';

const ID = 'determinism';

/*
 * Severities (verdict-policy item 9). GPU batching makes outputs diverge after some tokens even
 * with the same seed or greedy decoding (reported for TGI on Neuron: 1-2% of greedy outputs), so
 * a late divergence is a warning. Outputs that differ from the first token mean the seed was
 * ignored, or greedy decoding is not greedy: a violation.
 */
const KINDS = {
  'seed-ignored': {
    severity: 'violation',
    title: 'the same seeded request gave different outputs from the first token',
  },
  'greedy-nondeterministic': {
    severity: 'violation',
    title: 'the same greedy request gave different outputs from the first token',
  },
  'late-divergence': {
    severity: 'warning',
    title: 'the same request gave outputs that diverge after the first token',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const GROUPS = {
  'seeded-sampling': { salt: 11, what: 'the same sampling request with the same seed', early: 'seed-ignored' },
  greedy: { salt: 13, what: 'the same greedy request', early: 'greedy-nondeterministic' },
} as const;

type GroupName = keyof typeof GROUPS;

function isGroup(name: string): name is GroupName {
  return Object.hasOwn(GROUPS, name);
}

function rank(d: Divergence): number {
  return d.at === 'none' ? Infinity : d.at === 'first' ? -1 : d.position;
}

/** The earliest divergence of any output from the first one, and which exchange (1-based) shows it. */
function earliest(first: Output, rest: readonly Output[]): { divergence: Divergence; other: number } | undefined {
  let found: { divergence: Divergence; other: number } = { divergence: { at: 'none' }, other: 1 };
  for (const [i, output] of rest.entries()) {
    const d = divergence(first, output);
    if (d === undefined) return undefined;
    if (rank(d) < rank(found.divergence)) found = { divergence: d, other: i + 2 };
  }
  return found;
}

/**
 * The same request sent twice gives the same output: a sampling request with a seed (the seed
 * fixes the sample), and a greedy one. Compared by details.tokens ids, or by generated_text where
 * the answer has no details (tgi-behavior.md §2b N-10; verdict-policy item 9).
 */
export const determinism: ScenarioCheck = {
  id: ID,
  severity: 'violation',
  title: 'the same seeded or greedy request gives the same output',
  rule:
    'A seeded sampling request, and a greedy request, each sent twice, give the same token ids; outputs that differ from the first token are a violation, a later divergence (GPU batching) a warning.',
  source: 'tgi-behavior.md §2b N-10; verdict-policy item 9',
  plan(context) {
    return (Object.keys(GROUPS) as GroupName[]).map((name) => {
      const body = name === 'greedy' ? greedyBody(context, GROUPS[name].salt) : seededSamplingBody(context, GROUPS[name].salt);
      const request = plannedRequest(context, body, false);
      return { name, requests: [request, request] };
    });
  },
  assess(group, views) {
    if (!isGroup(group.name)) return { skip: `not a group of this check: ${group.name}` };
    if (views.length < 2) return { skip: 'fewer than two exchanges to compare' };
    const outputs: Output[] = [];
    for (const [i, view] of views.entries()) {
      const output = outputOf(view);
      if (typeof output === 'string') return { skip: `exchange ${i + 1}: ${output}` };
      outputs.push(output);
    }
    const [first, ...rest] = outputs;
    const found = first === undefined ? undefined : earliest(first, rest);
    if (found === undefined) return { skip: 'the answers carry neither token ids nor a text to compare' };
    const { divergence: d, other } = found;
    if (d.at === 'none') return [] as Finding[];
    const { what, early } = GROUPS[group.name];
    if (d.at === 'first') {
      return [report(early, { message: `${what} gave different outputs from the first token (exchange 1 vs ${other}): ${d.detail}`, pointer: d.pointer })];
    }
    return [
      report('late-divergence', {
        message: `${what} gave outputs that agree on their first ${d.position} ${d.pointer === '/generated_text' ? 'characters' : 'tokens'} and then diverge (exchange 1 vs ${other}): ${d.detail}; GPU batching does this on correct servers`,
        pointer: d.pointer,
      }),
    ];
  },
};

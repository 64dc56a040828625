import type { Finding } from '../core/finding.js';
import type { CheckKind, ScenarioCheck } from './check.js';
import { findingReporter } from './_internals/findings.js';
import { describeTextDifference } from './_internals/generated-text.js';
import { divergence, outputOf, plannedRequest, seededSamplingBody, type Output } from './_internals/scenario-outputs.js';

const ID = 'stream-equivalence';

/*
 * Severities (verdict-policy item 9, "the same holds for stream vs non-stream equality"): a
 * stream that differs from the non-stream answer from its first token does not serve the same
 * request; a later divergence is what GPU batching does on correct servers, a warning. Equal
 * token ids decoded into different final texts is a violation: both are decoded from the same ids.
 */
const KINDS = {
  'stream-differs': {
    severity: 'violation',
    title: 'the stream and the non-stream answer differ from the first token',
  },
  'generated-text-differs': {
    severity: 'violation',
    title: 'the stream and the non-stream answer have the same tokens but different texts',
  },
  'late-divergence': {
    severity: 'warning',
    title: 'the stream and the non-stream answer diverge after the first token',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const GROUP = 'seeded-sampling';

function pick(outputs: readonly Output[], streamed: boolean): Output | undefined {
  return outputs.find((o) => o.streamed === streamed);
}

/**
 * The same seeded sampling request with details, sent without and with streaming, gives the same
 * tokens: the stream's event token ids equal details.tokens ids, and the final generated_text
 * equals the non-stream generated_text (tgi-behavior.md §2b N-12; verdict-policy item 9).
 */
export const streamEquivalence: ScenarioCheck = {
  id: ID,
  severity: 'violation',
  title: 'a stream gives the same tokens as the non-stream answer',
  rule:
    'The same seeded sampling request sent without and with streaming gives the same token ids and the same final generated_text; a difference from the first token is a violation, a later divergence (GPU batching) a warning.',
  source: 'tgi-behavior.md §2b N-12; verdict-policy item 9',
  plan(context) {
    const body = seededSamplingBody(context, 17);
    return [{ name: GROUP, requests: [plannedRequest(context, body, false), plannedRequest(context, body, true)] }];
  },
  assess(group, views) {
    if (group.name !== GROUP) return { skip: `not a group of this check: ${group.name}` };
    const outputs: Output[] = [];
    for (const [i, view] of views.entries()) {
      const output = outputOf(view);
      if (typeof output === 'string') return { skip: `exchange ${i + 1}: ${output}` };
      outputs.push(output);
    }
    const plain = pick(outputs, false);
    const streamed = pick(outputs, true);
    if (plain === undefined || streamed === undefined) return { skip: 'needs one non-stream and one stream exchange' };
    const d = divergence(plain, streamed);
    if (d === undefined) return { skip: 'the answers carry neither token ids nor a text to compare' };
    if (d.at === 'first') {
      return [report('stream-differs', { message: `non-stream vs stream: ${d.detail}`, pointer: d.pointer })];
    }
    if (d.at === 'later') {
      return [
        report('late-divergence', {
          message: `non-stream vs stream agree on their first ${d.position} ${d.pointer === '/generated_text' ? 'characters' : 'tokens'} and then diverge: ${d.detail}; GPU batching does this on correct servers`,
          pointer: d.pointer,
        }),
      ];
    }
    if (plain.text !== undefined && streamed.text !== undefined && plain.text !== streamed.text) {
      return [
        report('generated-text-differs', {
          message: `the token ids agree, but the final generated_text of the stream differs from the non-stream one: ${describeTextDifference(plain.text, streamed.text)}`,
          pointer: '/generated_text',
        }),
      ];
    }
    return [] as Finding[];
  },
};

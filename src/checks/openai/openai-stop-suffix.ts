import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import type { CheckDefinition, CheckKind } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { quote } from '../_internals/generated-text.js';
import { answerOf, at, isRecord } from './_internals/choices.js';

const ID = 'openai-stop-suffix';

/*
 * A warning (verdict-policy, "The OpenAI-compatible routes", warnings: "The content ends with a
 * requested stop string (OpenAI strips it; TGI keeps it)"): both are real, correct servers.
 */
const KINDS = {
  'stop-text-kept': {
    severity: 'warning',
    title: 'the content ends with a requested stop string (OpenAI strips it)',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/** finish_reason values that mean "a stop string or the end of the sequence" (TGI: `stop_sequence`). */
const STOPPED = new Set<unknown>(['stop', 'stop_sequence']);

/** The request's stop strings (a string or an array), empty ones left out. */
export function stopStrings(stop: unknown): string[] {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as unknown[]) : [];
  return list.filter((s): s is string => typeof s === 'string' && s !== '');
}

/**
 * OpenAI leaves the stop string out of the content; TGI keeps it (openai-behavior.md §3;
 * verdict-policy, OpenAI-compatible routes, warnings). A choice that stopped (`stop`, or TGI's
 * `stop_sequence`) and whose content ends with one of the request's `stop` strings is reported as
 * a warning. Non-stream responses and streams (content assembled per choice), both routes.
 */
export const openaiStopSuffix: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'warning',
  title: 'the content does not end with a requested stop string',
  rule:
    'When a choice stopped (finish_reason "stop", or TGI\'s "stop_sequence"), its content should not end with one of the request\'s stop strings: OpenAI strips the stop string, TGI keeps it (a warning).',
  source: 'openai-behavior.md §1 (stop), §3 (TGI); verdict-policy.md, "The OpenAI-compatible routes", warnings (stop string kept)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (!isRecord(view.request)) return { skip: 'the request is unknown or invalid: its stop strings are unknown' };
    const stops = stopStrings((view.request as { stop?: unknown }).stop);
    if (stops.length === 0) return { skip: 'the request sets no stop strings' };
    const answer = answerOf(view);
    if ('skip' in answer) return answer;
    const findings: Finding[] = [];
    for (const choice of answer.choices) {
      if (!STOPPED.has(choice.finishReason) || choice.content === undefined) continue;
      const kept = stops.find((s) => choice.content?.endsWith(s));
      if (kept === undefined) continue;
      findings.push(
        report('stop-text-kept', {
          message: `${choice.label}: finish_reason ${JSON.stringify(choice.finishReason)} and the content ends with the requested stop string ${quote(kept)} (content ends ${quote(choice.content.slice(-40))}); OpenAI leaves the stop string out, TGI keeps it`,
          ...at(choice.contentPlace),
        }),
      );
    }
    return findings;
  },
};

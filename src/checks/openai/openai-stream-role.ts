import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { pointer } from '../_internals/pointer.js';
import { choiceKey, isRecord, notAStream, show, streamChunks, Tally, type Kinds } from './_internals/structure-helpers.js';

const ID = 'openai-stream-role';

type Kind = 'missing-role' | 'wrong-role' | 'null-role';

const KINDS = {
  'missing-role': { severity: 'violation', title: 'a streamed choice never carries a role' },
  'wrong-role': { severity: 'violation', title: 'a delta carries a role other than "assistant"' },
  'null-role': { severity: 'warning', title: 'role: null in a delta' },
} as const satisfies Kinds<Kind>;

const report = findingReporter(ID, KINDS);

/**
 * Each choice of a chat stream carries `role: "assistant"` in some delta, usually the first
 * (openai-node's `.stream()` throws `missing role for choice N` at the end; llama.cpp's tests
 * check it). Repeating it on every delta is fine (TGI 3.x, Together); `role: null` in other
 * deltas is a warning; a role other than "assistant" is a violation.
 */
export const openaiStreamRole: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'every streamed chat choice carries role "assistant"',
  rule: 'Each choice of a chat stream has role "assistant" in some delta (none is a violation, another role too); role: null in a delta is a warning.',
  source: 'openai-behavior.md §2 (openai-node .stream(): missing role for choice N; minimum to survive both helpers), §5 (llama.cpp: role in the first delta); verdict-policy "The OpenAI-compatible routes" (violation: a choice whose deltas never carry role; warning: role: null in later deltas)',
  appliesTo: 'stream',
  kinds: KINDS,
  run(view) {
    if (view.kind !== 'chat') return { skip: 'not a chat stream: completions chunks carry no delta' };
    const why = notAStream(view);
    if (why !== undefined) return { skip: why };
    const tally = new Tally<Kind>();
    const choices = new Map<string, { hasRole: boolean; event: number; at: number; nulls: { event: number; pointer: string }[] }>();
    for (const { chunk, event } of streamChunks(view) ?? []) {
      const list = chunk['choices'];
      if (!Array.isArray(list)) continue;
      for (let at = 0; at < list.length; at++) {
        const choice: unknown = list[at];
        if (!isRecord(choice)) continue;
        const key = choiceKey(choice['index']);
        let state = choices.get(key);
        if (state === undefined) {
          state = { hasRole: false, event, at, nulls: [] };
          choices.set(key, state);
        }
        const delta = choice['delta'];
        if (!isRecord(delta) || !('role' in delta)) continue;
        const role = delta['role'];
        // The pointer is built only where it is kept (most servers repeat the role on every delta).
        if (role === null) state.nulls.push({ event, pointer: pointer('/choices', at, 'delta', 'role') });
        else if (role === 'assistant') state.hasRole = true;
        else {
          state.hasRole = true;
          tally.add('wrong-role', () => ({ event, pointer: pointer('/choices', at, 'delta', 'role'), message: `expected the delta's role to be "assistant" but saw ${show(role)} at event ${event}` }));
        }
      }
    }
    if (choices.size === 0) return { skip: 'the stream carries no choices' };
    for (const [key, state] of choices) {
      const label = key.startsWith('?') ? `the choice with index ${key.slice(1)}` : `choice ${key}`;
      if (!state.hasRole) {
        tally.add('missing-role', {
          event: state.event,
          pointer: pointer('/choices', state.at, 'delta', 'role'),
          message: `expected some delta of ${label} to carry role "assistant" but none does (first chunk of the choice at event ${state.event}); openai-node's .stream() throws "missing role for choice"`,
        });
        continue;
      }
      for (const n of state.nulls) {
        tally.add('null-role', { ...n, message: `expected role "assistant" or no role key in ${label}'s later deltas but saw null at event ${n.event}` });
      }
    }
    return tally.findings(report);
  },
};

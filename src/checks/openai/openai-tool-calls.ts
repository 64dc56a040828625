import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { parseJson } from '../../core/json.js';
import type { CheckDefinition, CheckKind } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { quote } from '../_internals/generated-text.js';
import { answerOf, at, chatRequestOf, isRecord, show, type ChoiceOutput, type DeltaPart, type JsonRecord } from './_internals/choices.js';
import { schemaTest } from './_internals/json-schema.js';
import { assembleToolCalls, type AssembledCall } from './_internals/tool-calls.js';

const ID = 'openai-tool-calls';

/*
 * Severities (verdict-policy, "The OpenAI-compatible routes"): a delta without an integer index,
 * arguments that are not a string, a call when tool_choice is "none", a function that was not
 * offered, and a message-form call without id / type "function" / function.name are violations
 * (official and strictly typed clients break on them). Arguments are judged only when
 * finish_reason is not "length"; against the tool's `parameters` a departure is a violation only
 * with `strict: true`, otherwise a warning. In a stream, fields that come after a call's first
 * fragment are accumulated by the clients (a warning); never coming at all is a violation
 * (openai-node: `missing choices[i].tool_calls[j].type`).
 */
const KINDS = {
  'delta-without-index': {
    severity: 'violation',
    title: 'a streamed tool-call fragment without an integer index',
  },
  'arguments-not-string': {
    severity: 'violation',
    title: 'tool-call arguments that are not a string',
  },
  'call-when-none': {
    severity: 'violation',
    title: 'a tool call although tool_choice is "none" or no tools were offered',
  },
  'no-call': {
    severity: 'violation',
    title: 'no tool call although tool_choice requires one',
  },
  'wrong-function': {
    severity: 'violation',
    title: 'a call of another function than the one tool_choice names',
  },
  'unknown-function': {
    severity: 'violation',
    title: 'a call of a function that was not offered',
  },
  'incomplete-call': {
    severity: 'violation',
    title: 'a tool call without id, type "function" or function.name',
  },
  'late-call-fields': {
    severity: 'warning',
    title: 'a streamed tool call\'s id, type or name came after its first fragment',
  },
  'arguments-not-json': {
    severity: 'violation',
    title: 'tool-call arguments that do not parse as JSON',
  },
  'arguments-schema': {
    severity: 'violation',
    title: 'tool-call arguments that do not satisfy the strict tool\'s parameters schema',
  },
  'arguments-schema-loose': {
    severity: 'warning',
    title: 'tool-call arguments that do not satisfy the (non-strict) tool\'s parameters schema',
  },
  'finish-without-call': {
    severity: 'violation',
    title: 'finish_reason "tool_calls" without a tool call',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

interface Offered {
  /** Function tools offered, by name. */
  tools: Map<string, JsonRecord>;
  /** The `type`s of the tools offered other than "function" (OpenAI's `custom` tools). */
  otherTypes: Set<string>;
  /** Whether any tool (or legacy function) was offered. */
  any: boolean;
  choice: unknown;
  /** The function tool_choice names, if it names one. */
  named: string | undefined;
}

/**
 * Whether the choice's message, or one of its deltas, has a `tool_calls` array: without one,
 * assembleToolCalls finds no call and no fragment (it reads nothing else).
 */
function carriesToolCalls(choice: ChoiceOutput): boolean {
  if (choice.message !== undefined) return Array.isArray(choice.message.tool_calls);
  for (let i = 0; i < choice.deltas.length; i++) if (Array.isArray((choice.deltas[i] as DeltaPart).delta.tool_calls)) return true;
  return false;
}

/** The tools and types of a request that offers none (most): shared, only ever read. */
const NO_TOOLS = new Map<string, JsonRecord>();
const NO_OTHER_TYPES = new Set<string>();

function offeredOf(request: JsonRecord): Offered {
  if (!Array.isArray(request.tools) && !Array.isArray(request.functions)) {
    const choice = request.tool_choice;
    const named = isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string' ? choice.function.name : undefined;
    return { tools: NO_TOOLS, otherTypes: NO_OTHER_TYPES, any: false, choice, named };
  }
  const tools = new Map<string, JsonRecord>();
  const otherTypes = new Set<string>();
  let any = false;
  if (Array.isArray(request.tools)) {
    for (const tool of request.tools as unknown[]) {
      any = true;
      if (isRecord(tool) && typeof tool.type === 'string' && tool.type !== 'function') otherTypes.add(tool.type);
      if (!isRecord(tool) || !isRecord(tool.function)) continue;
      const name = tool.function.name;
      if (typeof name === 'string') tools.set(name, tool.function);
    }
  }
  // The deprecated `functions` offer functions too; servers may answer them as tool calls.
  if (Array.isArray(request.functions)) {
    for (const fn of request.functions as unknown[]) {
      any = true;
      if (isRecord(fn) && typeof fn.name === 'string' && !tools.has(fn.name)) tools.set(fn.name, fn);
    }
  }
  const choice = request.tool_choice;
  const named = isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string' ? choice.function.name : undefined;
  return { tools, otherTypes, any, choice, named };
}

const callLabel = (label: string, call: AssembledCall): string => `${label}, tool call ${call.ordinal}${typeof call.name === 'string' ? ` (${quote(call.name)})` : ''}`;

function judgeArguments(label: string, call: AssembledCall, offered: Offered | undefined, out: Finding[]): void {
  if (call.arguments === undefined) return;
  const parsed = parseJson(call.arguments);
  if (!parsed.ok) {
    out.push(
      report('arguments-not-json', {
        message: `${callLabel(label, call)}: the arguments ${quote(call.arguments)} do not parse as JSON (${parsed.error})`,
        ...at(call.argumentsPlace),
      }),
    );
    return;
  }
  if (offered === undefined || typeof call.name !== 'string') return;
  const tool = offered.tools.get(call.name);
  const parameters = tool?.parameters;
  if (tool === undefined || parameters === undefined || parameters === null) return;
  const test = schemaTest(parameters);
  if (!(test instanceof Function)) return; // a schema ajv cannot compile: not judged
  const why = test(parsed.value);
  if (why === undefined) return;
  const strict = tool.strict === true;
  out.push(
    report(strict ? 'arguments-schema' : 'arguments-schema-loose', {
      message: `${callLabel(label, call)}: the arguments ${quote(call.arguments)} do not satisfy the tool's parameters schema: ${why}${strict ? ' (the tool sets strict: true)' : ' (the tool does not set strict: true, so servers need not enforce it)'}`,
      ...at(call.argumentsPlace),
    }),
  );
}

function judgeChoice(choice: ChoiceOutput, offered: Offered | undefined): Finding[] {
  const out: Finding[] = [];
  const { label } = choice;
  const assembled = assembleToolCalls(choice);
  // A call of another tool type the request offers (OpenAI's `custom` tools) has its own shape: not judged here.
  const all = assembled.calls;
  const calls = all.filter((c) => !(typeof c.type === 'string' && c.type !== 'function' && offered?.otherTypes.has(c.type) === true));
  const first = assembled.withoutIndex[0];
  if (first !== undefined) {
    out.push(
      report('delta-without-index', {
        message: `${label}: a streamed tool-call fragment has index ${show(first.value)}, not an integer${assembled.withoutIndex.length > 1 ? ` (${assembled.withoutIndex.length} such fragments)` : ''}; openai-python's and openai-node's stream helpers and the Vercel AI SDK need it`,
        ...at(first.place),
      }),
    );
  }
  for (const bad of assembled.notObject) {
    out.push(report('incomplete-call', { message: `${label}: a tool_calls entry is ${show(bad.value)}, not an object`, ...at(bad.place) }));
  }
  const notString = assembled.notString[0];
  if (notString !== undefined) {
    out.push(
      report('arguments-not-string', {
        message: `${label}: function.arguments is ${show(notString.value).slice(0, 80)}, not a string (JSON text)${assembled.notString.length > 1 ? ` (${assembled.notString.length} such)` : ''}; strictly typed clients reject it`,
        ...at(notString.place),
      }),
    );
  }
  for (const call of calls) {
    const missing: string[] = [];
    if (typeof call.id !== 'string') missing.push('id');
    if (call.type !== 'function') missing.push(call.type === undefined || call.type === null ? 'type' : `type "function" (it is ${show(call.type)})`);
    if (typeof call.name !== 'string' || call.name === '') missing.push('function.name');
    if (assembled.form === 'message' && call.argumentsAbsent) {
      out.push(report('arguments-not-string', { message: `${callLabel(label, call)}: function.arguments is absent`, ...at(call.argumentsPlace) }));
    }
    if (missing.length > 0) {
      out.push(
        report('incomplete-call', {
          message: `${callLabel(label, call)}: ${assembled.form === 'stream' ? 'the assembled call (all its fragments) lacks' : 'lacks'} ${missing.join(', ')}; openai-node's stream helper throws "missing choices[i].tool_calls[j].…" and typed clients reject it`,
          ...at(call.place),
        }),
      );
    } else if (call.lateFields.length > 0) {
      out.push(
        report('late-call-fields', {
          message: `${callLabel(label, call)}: ${call.lateFields.join(', ')} came after the call's first fragment (the contract sends them on the first; clients accumulate them)`,
          ...at(call.place),
        }),
      );
    }
  }
  if (offered !== undefined) {
    const firstCall = all[0];
    if (firstCall !== undefined && (offered.choice === 'none' || !offered.any)) {
      out.push(
        report('call-when-none', {
          message: `${label}: ${all.length} tool call(s) although ${offered.any ? 'tool_choice is "none"' : 'the request offers no tools'}`,
          ...at(firstCall.place),
        }),
      );
    }
    for (const call of calls) {
      if (!offered.any || typeof call.name !== 'string' || call.name === '') continue;
      if (!offered.tools.has(call.name)) {
        out.push(
          report('unknown-function', {
            message: `${callLabel(label, call)}: the function ${quote(call.name)} was not offered (offered: ${[...offered.tools.keys()].map(quote).join(', ') || 'none by name'})`,
            ...at(call.place),
          }),
        );
      } else if (offered.named !== undefined && call.name !== offered.named) {
        out.push(
          report('wrong-function', {
            message: `${callLabel(label, call)}: tool_choice names the function ${quote(offered.named)}, but ${quote(call.name)} was called`,
            ...at(call.place),
          }),
        );
      }
    }
  }
  // The rules below need the choice's whole output: a stream choice without finish_reason is unfinished.
  const finish = choice.finishReason;
  if (finish === null || finish === undefined) return out;
  if (finish === 'tool_calls' && all.length === 0) {
    out.push(report('finish-without-call', { message: `${label}: finish_reason "tool_calls" but the choice carries no tool call`, ...at(choice.finishPlace) }));
  }
  if (
    offered !== undefined &&
    all.length === 0 &&
    offered.any &&
    (offered.choice === 'required' || offered.named !== undefined) &&
    finish !== 'length' &&
    finish !== 'content_filter'
  ) {
    out.push(
      report('no-call', {
        message: `${label}: tool_choice is ${show(offered.choice)}, which requires a tool call, but the choice ${choice.content !== undefined && choice.content !== '' ? `answered with content ${quote(choice.content)}` : 'carries none'}`,
        ...at(choice.finishPlace),
      }),
    );
  }
  if (finish !== 'length') for (const call of calls) judgeArguments(label, call, offered, out);
  return out;
}

/**
 * Tool calls are well formed and honour the request. Message form (`message.tool_calls`) and
 * stream form (fragments grouped by integer `index`, arguments concatenated). Violations: a
 * fragment without an integer index, arguments not a string, a call with tool_choice "none" or no
 * tools, no call with "required" or a named function, a call of another or an unoffered function,
 * a call without id / type "function" / function.name, arguments that are not JSON (unless cut
 * by length), arguments outside a strict tool's schema, finish_reason "tool_calls" without a
 * call. Warnings: arguments outside a non-strict tool's schema; a streamed call's id, type or
 * name coming after its first fragment.
 */
export const openaiToolCalls: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'tool calls are well formed and honour tools / tool_choice',
  rule:
    'Tool calls carry id, type "function", function.name and string arguments (streamed: fragments with an integer index); no call with tool_choice "none" or no tools, a call with "required" or a named function, only offered functions; arguments parse as JSON (unless finish_reason is "length") and satisfy the tool\'s parameters (a violation with strict: true, else a warning); finish_reason "tool_calls" needs a call.',
  source:
    'openai-behavior.md §1 (tool-call deltas), §2 (openai-node / openai-python stream helpers), §3 (TGI tool calls), §4.6-4.7; verdict-policy.md, "The OpenAI-compatible routes" (violations: tool calls; scope: arguments not judged on length, schema a violation only with strict: true)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind !== 'chat') return { skip: 'tool calls exist on the chat route only' };
    const answer = answerOf(view);
    if ('skip' in answer) return answer;
    const request = chatRequestOf(view) as JsonRecord | undefined;
    const offered = request === undefined ? undefined : offeredOf(request);
    // A choice with no `tool_calls` array anywhere assembles to nothing: not assembled (twice) to learn it.
    const hasCalls = answer.choices.some((c) => {
      if (!carriesToolCalls(c)) return false;
      const assembled = assembleToolCalls(c);
      return assembled.calls.length > 0 || assembled.withoutIndex.length > 0;
    });
    const toolFinish = answer.choices.some((c) => c.finishReason === 'tool_calls');
    if (!hasCalls && !toolFinish && (offered === undefined || (!offered.any && offered.choice === undefined))) {
      return { skip: 'no tools offered and no tool calls made' };
    }
    return answer.choices.flatMap((c) => judgeChoice(c, offered));
  },
};

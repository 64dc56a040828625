/**
 * A choice's tool calls, assembled: the message form (`message.tool_calls`), or the stream form
 * (delta fragments grouped by their integer `index`; `id`, `type` and `function.name` from the
 * first fragment that carries them, `function.arguments` fragments concatenated), as
 * openai-node's `ChatCompletionStream` accumulates them (openai-behavior.md §1, §2). Fragments
 * of any JSON type are tolerated and reported, never thrown on.
 */
import { pointer } from '../../_internals/pointer.js';
import { isRecord, type ChoiceOutput, type Place } from './choices.js';

export interface AssembledCall {
  /** 0-based position among the choice's calls. */
  ordinal: number;
  id: unknown;
  type: unknown;
  name: unknown;
  /** The arguments, when every part of them was a string (absent parts count as ""); else undefined. */
  arguments: string | undefined;
  /** The message form's `arguments` was absent. */
  argumentsAbsent: boolean;
  /** The call: the message's `tool_calls[j]`, or the stream's first fragment. */
  place: Place;
  argumentsPlace: Place;
  /** Stream form: `id`, `type`, `function.name` that came only after the call's first fragment. */
  lateFields: string[];
}

export interface ToolCallIssue {
  place: Place;
  value: unknown;
}

export interface AssembledCalls {
  form: 'message' | 'stream';
  calls: AssembledCall[];
  /** Stream fragments whose `index` is not an integer. */
  withoutIndex: ToolCallIssue[];
  /** `arguments` (or a fragment of them) that is present, not null, and not a string. */
  notString: ToolCallIssue[];
  /** Message form: entries of `tool_calls` that are not objects. */
  notObject: ToolCallIssue[];
}

const within = (place: Place, ...segments: (string | number)[]): Place =>
  place.event === undefined ? { pointer: pointer(place.pointer, ...segments) } : { pointer: pointer(place.pointer, ...segments), event: place.event };

function fromMessage(message: Record<string, unknown>, messagePlace: Place): AssembledCalls {
  const out: AssembledCalls = { form: 'message', calls: [], withoutIndex: [], notString: [], notObject: [] };
  const list = message.tool_calls;
  if (!Array.isArray(list)) return out;
  list.forEach((raw: unknown, j) => {
    const place = within(messagePlace, 'tool_calls', j);
    if (!isRecord(raw)) {
      out.notObject.push({ place, value: raw });
      return;
    }
    const fn = isRecord(raw.function) ? raw.function : undefined;
    const args = fn?.arguments;
    const argumentsPlace = within(place, 'function', 'arguments');
    if (args !== undefined && typeof args !== 'string') out.notString.push({ place: argumentsPlace, value: args });
    out.calls.push({
      ordinal: out.calls.length,
      id: raw.id,
      type: raw.type,
      name: fn?.name,
      arguments: typeof args === 'string' ? args : undefined,
      argumentsAbsent: args === undefined,
      place,
      argumentsPlace,
      lateFields: [],
    });
  });
  return out;
}

interface Building {
  call: AssembledCall;
  parts: string[];
  broken: boolean;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

function fromDeltas(choice: ChoiceOutput): AssembledCalls {
  const out: AssembledCalls = { form: 'stream', calls: [], withoutIndex: [], notString: [], notObject: [] };
  const byKey = new Map<string, Building>();
  let lastKey: string | undefined;
  let anonymous = 0;
  for (const { delta, place: deltaPlace } of choice.deltas) {
    const list = delta.tool_calls;
    if (!Array.isArray(list)) continue;
    list.forEach((raw: unknown, k) => {
      const place = within(deltaPlace, 'tool_calls', k);
      if (!isRecord(raw)) {
        out.withoutIndex.push({ place, value: raw });
        return;
      }
      const fn = isRecord(raw.function) ? raw.function : undefined;
      let key: string;
      if (typeof raw.index === 'number' && Number.isInteger(raw.index)) {
        key = `i:${raw.index}`;
      } else {
        out.withoutIndex.push({ place: within(place, 'index'), value: raw.index });
        // Without an index, a fragment that names a call starts one; others continue the last.
        key = present(raw.id) || present(fn?.name) || lastKey === undefined ? `x:${anonymous++}` : lastKey;
      }
      lastKey = key;
      let b = byKey.get(key);
      if (b === undefined) {
        b = {
          call: {
            ordinal: byKey.size,
            id: raw.id,
            type: raw.type,
            name: fn?.name,
            arguments: undefined,
            argumentsAbsent: false,
            place,
            argumentsPlace: within(place, 'function', 'arguments'),
            lateFields: [],
          },
          parts: [],
          broken: false,
        };
        byKey.set(key, b);
        out.calls.push(b.call);
      } else {
        const c = b.call;
        if (!present(c.id) && present(raw.id)) {
          c.id = raw.id;
          c.lateFields.push('id');
        }
        if (!present(c.type) && present(raw.type)) {
          c.type = raw.type;
          c.lateFields.push('type');
        }
        if (!present(c.name) && present(fn?.name)) {
          c.name = fn?.name;
          c.lateFields.push('function.name');
        }
      }
      const args = fn?.arguments;
      if (typeof args === 'string') b.parts.push(args);
      else if (present(args)) {
        out.notString.push({ place: within(place, 'function', 'arguments'), value: args });
        b.broken = true;
      }
      b.call.arguments = b.broken ? undefined : b.parts.join('');
    });
  }
  return out;
}

/** The choice's tool calls, from its message or its deltas. */
export function assembleToolCalls(choice: ChoiceOutput): AssembledCalls {
  if (choice.message !== undefined) return fromMessage(choice.message, choice.messagePlace ?? { pointer: '' });
  return fromDeltas(choice);
}

/**
 * What a stream ended with (N-12). A stream that ended with an error event is judged only on the
 * events before it: it has no final event.
 */
import type { StreamDetails, StreamEvent } from '../../core/api.js';
import type { ExchangeView } from '../../core/exchange.js';

export interface FinalEvent {
  /** 0-based position of the event in the stream. */
  position: number;
  event: StreamEvent;
  /** Its `generated_text` when a string. */
  generatedText: string | undefined;
  /** Its `details` when an object. */
  details: StreamDetails | undefined;
}

/** The last event of a stream that did not end with an error; `undefined` otherwise. */
export function finalEvent(view: ExchangeView, events: readonly StreamEvent[]): FinalEvent | undefined {
  if (view.streamError !== undefined) return undefined;
  const position = events.length - 1;
  const event = events[position];
  if (event === undefined) return undefined;
  const details = event.details;
  return {
    position,
    event,
    generatedText: typeof event.generated_text === 'string' ? event.generated_text : undefined,
    details: details !== undefined && details !== null ? details : undefined,
  };
}

/** Why a stream has no final event to judge. */
export function noFinalEventReason(view: ExchangeView): string {
  return view.streamError !== undefined
    ? 'the stream ended with an error event; it is judged only on the events before it'
    : 'the stream has no events';
}

/**
 * The sequences of a non-stream response that carry details: the chosen one (`generated_text` +
 * `details`) and each `best_of_sequences` entry, to which the same rules apply (N-9, S:330-333).
 */
import type { BestOfSequence, GenerateResponse } from '../../core/api.js';
import { pointer } from './pointer.js';

/** The fields a sequence's details share, whether the chosen one or a best_of entry. */
export type SequenceDetails = Omit<BestOfSequence, 'generated_text'>;

export interface Sequence {
  /** For messages: "the response" or "best_of_sequences[1]". */
  label: string;
  generatedText: string;
  details: SequenceDetails;
  /** Pointer to this sequence's `generated_text`. */
  textPointer: string;
  /** Pointer to this sequence's details object (`/details` or `/details/best_of_sequences/i`). */
  detailsPointer: string;
}

const NONE: readonly Sequence[] = Object.freeze([]);

// The last response asked about and its sequences: the checks run one exchange at a time, and
// most of them ask, so a one-entry cache answers nearly every call (cheaper than a WeakMap).
let lastResponse: GenerateResponse | undefined;
let lastSequences: readonly Sequence[] = NONE;

/**
 * Every sequence of the response that has details; empty when the response has none. Shared
 * between the checks of an exchange: read it, never change it.
 */
export function sequencesOf(response: GenerateResponse): readonly Sequence[] {
  const details = response.details;
  if (details === undefined || details === null) return NONE;
  if (response === lastResponse) return lastSequences;
  const sequences = buildSequences(response, details);
  lastResponse = response;
  lastSequences = sequences;
  return sequences;
}

function buildSequences(response: GenerateResponse, details: NonNullable<GenerateResponse['details']>): readonly Sequence[] {
  const sequences: Sequence[] = [
    {
      label: 'the response',
      generatedText: response.generated_text,
      details,
      textPointer: '/generated_text',
      detailsPointer: '/details',
    },
  ];
  const others = Array.isArray(details.best_of_sequences) ? details.best_of_sequences : [];
  others.forEach((sequence, i) => {
    const base = pointer('/details', 'best_of_sequences', i);
    sequences.push({
      label: `best_of_sequences[${i}]`,
      generatedText: sequence.generated_text,
      details: sequence,
      textPointer: pointer(base, 'generated_text'),
      detailsPointer: base,
    });
  });
  return sequences;
}

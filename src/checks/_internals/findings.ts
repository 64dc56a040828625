/** Builds findings from a check's table of kinds, so severity and title are declared once. */
import type { Finding } from '../../core/finding.js';
import type { CheckKind } from '../check.js';

export interface FindingPlace {
  /** What was expected, what was seen, and where. */
  message: string;
  pointer?: string;
  /** 0-based position of the event in the stream, for stream findings. */
  event?: number;
}

export type ReportFinding<K extends string> = (kind: K, place: FindingPlace) => Finding;

export function findingReporter<K extends string>(
  check: string,
  kinds: Readonly<Record<K, CheckKind>>,
): ReportFinding<K> {
  return (kind, place) => {
    const { severity, title } = kinds[kind];
    const finding: Finding = { check, severity, kind, title, message: place.message };
    if (place.pointer !== undefined) finding.pointer = place.pointer;
    if (place.event !== undefined) finding.event = place.event;
    return finding;
  };
}

/**
 * Findings: what every check, validator and decoder returns. Typed data, never thrown strings
 * and never raw ajv errors.
 */

/** `violation`: the contract is broken (fails the run). `warning`: reported, never fails the run. */
export type Severity = 'violation' | 'warning';

/** One departure from the contract, found in one recorded exchange (or one artifact). */
export interface Finding {
  /** The id of the check that found it, as listed by `tgc checks`. */
  check: string;
  severity: Severity;
  /**
   * The kind of departure, stable across seeds and generated values (for example
   * `tokens-length-mismatch`). With the check id and the route it makes the `dedupeKey`.
   */
  kind: string;
  /** One line, for tables. */
  title: string;
  /** What was expected, what was seen, and where. */
  message: string;
  /** JSON pointer into the response body, or into the event's data for streams. */
  pointer?: string;
  /** JSON pointer into the schema, for schema findings. */
  schemaPath?: string;
  /** 0-based position of the SSE event in the stream, for stream findings. */
  event?: number;
}

/** Builds the key that folds repeats of the same finding, across seeds and generated values. */
export function dedupeKey(finding: Pick<Finding, 'check' | 'kind'>, route: string): string {
  return `${finding.check}|${route}|${finding.kind}`;
}

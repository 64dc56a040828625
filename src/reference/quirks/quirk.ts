/**
 * Quirks: how real OpenAI-compatible servers depart from the contract, replayed by the reference
 * server for client authors. A quirk is a Fault (the same hooks, acting on the OpenAI-compatible
 * routes only, composed from the fault files where the departure is the same) plus where it comes
 * from and what tgc and the official clients make of it. Unlike a fault, a quirk need not be a
 * violation: some are warnings, one is correct SSE that tgc must not flag.
 */
import type { Fault } from '../faults/fault.js';

/** What `tgc run --api openai` reports against a server with the quirk (verdict-policy, "The OpenAI-compatible routes"). */
export interface QuirkVerdict {
  severity: 'violation' | 'warning';
  /**
   * The check that reports it: where the quirk shows in several checks, the first (in `tgc
   * checks` order) among those reporting its most severe finding.
   */
  check: string;
}

/** What one official client does against a server with the quirk (filled in by an end-to-end test). */
export interface QuirkClientOutcome {
  outcome: 'works' | 'throws' | 'hangs' | 'misreads';
  /** The error or the misreading, in a few words. */
  detail?: string;
}

export interface Quirk extends Fault {
  /** Which real server shows it, with the version (or the issue that reports it). */
  server: string;
  /** Where it is documented: issue, PR or file, as openai-behavior.md cites it. */
  source: string;
  /** What tgc reports against it; null: no finding at all (correct behaviour a checker must accept). */
  verdict: QuirkVerdict | null;
  /** By client (`openai-node`, `openai-python`, …): what it does against the quirk. Empty until the client test fills it. */
  clients: Record<string, QuirkClientOutcome>;
}

/** A quirk from its hooks (one fault, or several composed) and its provenance. */
export function defineQuirk(
  hooks: Fault,
  meta: Pick<Quirk, 'name' | 'description' | 'server' | 'source' | 'verdict'>,
): Quirk {
  const { detectedBy: _detectedBy, ...rest } = hooks;
  return {
    ...rest,
    ...(meta.verdict?.severity === 'violation' ? { detectedBy: meta.verdict.check } : {}),
    runOptions: { ...hooks.runOptions, api: 'openai' },
    ...meta,
    clients: {},
  };
}

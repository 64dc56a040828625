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

/**
 * The official clients' operations each quirk records an outcome for, as `tgc mock --list-quirks`
 * prints them: the openai npm client's `chat.completions.create` (non-stream), the same with
 * `stream: true` iterated to the end, and its `.stream()` helper's `finalChatCompletion()`;
 * `@huggingface/inference`'s `chatCompletion` and `chatCompletionStream` (iterated to the end).
 */
export const QUIRK_CLIENTS = [
  'openai-node 6.30.1 (create)',
  'openai-node 6.30.1 (stream)',
  'openai-node 6.30.1 (.stream() helper)',
  '@huggingface/inference 4.13.16 (chatCompletion)',
  '@huggingface/inference 4.13.16 (chatCompletionStream)',
] as const;

export type QuirkClient = (typeof QUIRK_CLIENTS)[number];

/**
 * What one official client does against a server with the quirk, as observed by
 * src/reference/quirks/clients.e2e.test.ts (which holds it true), compared with what the same
 * operation gives against the conformant server:
 * - `works`: the same result a user reads from a conformant server (the same content, tool
 *   calls, finish_reason, object, usage); for the error quirks, whose probe is an invalid
 *   request, the same error (class, HTTP status, message);
 * - `misreads`: a result without an error, but one a user reads wrongly (a finish_reason outside
 *   the enum passed through, the stop text in the content, a mislabelled object, usage missing
 *   or repeated, …): `detail` says what;
 * - `throws`: an error where a conformant server gives a result (or a different error):
 *   `detail` is its class and message, shortened;
 * - `hangs`: no settle within the deadline (5 s).
 */
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
  /**
   * By client operation (the keys of {@link QUIRK_CLIENTS}, e.g. `openai-node 6.30.1 (create)`,
   * in that order): what it does against the quirk, as observed. Empty where none was recorded.
   */
  clients: Record<string, QuirkClientOutcome>;
}

/** A quirk from its hooks (one fault, or several composed) and its provenance. */
export function defineQuirk(
  hooks: Fault,
  meta: Pick<Quirk, 'name' | 'description' | 'server' | 'source' | 'verdict'> & { clients?: Record<QuirkClient, QuirkClientOutcome> },
): Quirk {
  const { detectedBy: _detectedBy, ...rest } = hooks;
  const clients = meta.clients;
  return {
    ...rest,
    ...(meta.verdict?.severity === 'violation' ? { detectedBy: meta.verdict.check } : {}),
    runOptions: { ...hooks.runOptions, api: 'openai' },
    ...meta,
    // In QUIRK_CLIENTS order, whatever the order written.
    clients: clients ? Object.fromEntries(QUIRK_CLIENTS.map((c) => [c, clients[c]])) : {},
  };
}

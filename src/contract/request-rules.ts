/**
 * TGI's cross-field request rules (tgi-behavior.md §2c), those a JSON Schema cannot say: each
 * with its id in that table, TGI's exact message (after "Input validation error: ") and whether
 * it depends on a server setting. Rules that only bound one field are in the schema.
 */
import type { GenerateRequest } from '../core/api.js';

export interface ServerLimits {
  /** @defaultValue 2 (TGI launcher) */
  maxBestOf?: number;
  /** @defaultValue 4 */
  maxStopSequences?: number;
  /** @defaultValue 5 (not in /info) */
  maxTopNTokens?: number;
  maxInputTokens?: number;
}

export interface RuleBreach {
  /** The row of tgi-behavior.md §2c: s1, s2, b1, b2, 1, 9, 10, 11, 13. */
  rule: string;
  /** TGI's message, after "Input validation error: ". */
  message: string;
  /** True when the rule depends on a server setting (a limit tgc may not know). */
  dependsOnSettings: boolean;
}

/**
 * The sampling test TGI applies to best_of (V:231): do_sample, or any of temperature, top_k,
 * top_p, typical_p present. Presence is what counts here: `temperature: 1.0` alone passes this
 * test although the server then decodes greedily (tgi-behavior N-10, edge case).
 */
export function samplesForBestOf(request: GenerateRequest): boolean {
  const p = request.parameters;
  if (p === undefined) return true; // absent parameters mean do_sample: true (L:445)
  return p.do_sample === true || p.temperature != null || p.top_k != null || p.top_p != null || p.typical_p != null;
}

/** Every §2c cross-field rule the request breaks, in TGI's order. */
export function crossFieldBreaches(request: GenerateRequest, stream: boolean, limits: ServerLimits = {}): RuleBreach[] {
  const p = request.parameters ?? {};
  const out: RuleBreach[] = [];
  const bestOf = p.best_of ?? null;
  if (stream && bestOf !== null && bestOf !== 1) {
    out.push({ rule: 's1', message: '`best_of` != 1 is not supported when streaming tokens', dependsOnSettings: false });
  }
  if (stream && p.decoder_input_details === true) {
    out.push({
      rule: 's2',
      message: '`decoder_input_details` == true is not supported when streaming tokens',
      dependsOnSettings: false,
    });
  }
  const maxBestOf = limits.maxBestOf;
  if (bestOf !== null && bestOf > 1 && maxBestOf === 1) {
    out.push({ rule: 'b1', message: '`best_of` != 1 is not allowed for this endpoint', dependsOnSettings: true });
  } else if (bestOf !== null && maxBestOf !== undefined && bestOf > maxBestOf) {
    out.push({
      rule: 'b2',
      message: `\`best_of\` must be > 0 and <= ${maxBestOf}. Given: ${bestOf}`,
      dependsOnSettings: true,
    });
  }
  if (bestOf !== null && bestOf > 1 && !samplesForBestOf(request)) {
    out.push({ rule: '1', message: 'you must use sampling when `best_of` is > 1', dependsOnSettings: false });
  }
  const stops = p.stop?.length ?? 0;
  if (limits.maxStopSequences !== undefined && stops > limits.maxStopSequences) {
    out.push({
      rule: '9',
      message: `\`stop\` supports up to ${limits.maxStopSequences} stop sequences. Given: ${stops}`,
      dependsOnSettings: true,
    });
  }
  if (p.seed != null && bestOf !== null && bestOf > 1) {
    out.push({ rule: '10', message: '`seed` must not be set when `best_of` > 1', dependsOnSettings: false });
  }
  const topN = p.top_n_tokens ?? null;
  if (topN !== null && limits.maxTopNTokens !== undefined && topN > limits.maxTopNTokens) {
    out.push({
      rule: '11',
      message: `\`top_n_tokens\` must be >= 0 and <= ${limits.maxTopNTokens}. Given: ${topN}`,
      dependsOnSettings: true,
    });
  }
  const truncate = p.truncate ?? null;
  if (truncate !== null && limits.maxInputTokens !== undefined && truncate > limits.maxInputTokens) {
    out.push({
      rule: '13',
      message: `\`truncate\` must be strictly positive and less than ${limits.maxInputTokens}. Given: ${truncate}`,
      dependsOnSettings: true,
    });
  }
  return out;
}

/**
 * `--check-client`: the server also judges each request it receives, and reports where the
 * client departs from the contract (a response header and a log line), whatever it answers.
 * The judgement is the server's own: the body rejections, the validation rules (which are the
 * contract's `x-tgc-validation-rules`), unknown keys and the serverless headers' values.
 */
import type { Finding } from '../core/finding.js';
import type { BodyResult } from './request-body.js';
import { preValidate, validateRequest, VALIDATION_RULES } from './validation.js';
import type { InferFailure, ValidationContext } from './validation.js';

export const CLIENT_FINDINGS_HEADER = 'x-tgc-client-findings';
const CHECK = 'client-request';

function finding(severity: Finding['severity'], kind: string, title: string, message: string): Finding {
  return { check: CHECK, severity, kind, title, message };
}

export function authFinding(): Finding {
  return finding('violation', 'authorization', 'missing or wrong Authorization', 'the server requires `Authorization: Bearer <key>`');
}

function failureFinding(failure: InferFailure): Finding {
  const name = VALIDATION_RULES.find((r) => r.id === failure.rule)?.name ?? failure.rule;
  return finding('violation', name, `request breaks validation rule ${failure.rule}`, failure.body.error);
}

/** The client's departures visible in one request body. Runs validation without side effects. */
export function bodyFindings(body: BodyResult, ctx: Omit<ValidationContext, 'decide'>): Finding[] {
  if (!body.ok) return [finding('violation', body.kind, `request rejected with ${body.status}`, body.message)];
  const found: Finding[] = [];
  if (body.request.unknownKeys.length > 0) {
    found.push(
      finding('warning', 'unknown-key', 'request has keys the server ignores', `ignored: ${body.request.unknownKeys.join(', ')}`),
    );
  }
  const pre = preValidate(body.request, ctx);
  if (pre) return [...found, failureFinding(pre)];
  const result = validateRequest(body.request, ctx);
  if (!result.ok) found.push(failureFinding(result.failure));
  return found;
}

/** A header the seed document types as boolean, with another value. */
export function booleanHeaderFinding(name: string, value: string | null): Finding[] {
  if (value === null || /^(true|false|1|0)$/i.test(value.trim())) return [];
  return [finding('warning', 'header-value', `${name} is not a boolean`, `${name}: ${JSON.stringify(value)}`)];
}

/** `severity:kind` items joined by `; `, or `none`. */
export function findingsHeaderValue(findings: readonly Finding[]): string {
  return findings.length === 0 ? 'none' : findings.map((f) => `${f.severity}:${f.kind}`).join('; ');
}

/** One log line per finding. */
export function findingLogLine(route: string, f: Finding): string {
  return `[check-client] ${route}: ${f.severity} ${f.kind}: ${f.message}`;
}

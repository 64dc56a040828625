/**
 * `tgc validate request|response|stream|exchanges FILE... [--request REQ.json]`: the contract
 * applied to recorded artifacts.
 */
import type { RecordedExchange } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { isJsonObject, type ExactJson } from '../core/json.js';
import { allChecks } from '../checks/index.js';
import { loadContract } from '../contract/contract.js';
import { crossFieldBreaches } from '../contract/request-rules.js';
import { parseExchangeLine } from '../engine/exchange-lines.js';
import { inspectExchange } from '../engine/inspect-exchange.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { readJson, readText } from './read-input.js';

export const VALIDATE_KINDS = ['request', 'response', 'stream', 'exchanges'] as const;
export type ValidateKind = (typeof VALIDATE_KINDS)[number];

export interface ValidateOptions {
  request?: string;
  format: 'text' | 'json';
}

/** A finding located in the input: the file, and the line for JSON Lines. */
export interface LocatedFinding extends Finding {
  file: string;
  line?: number;
}

export async function validateCommand(
  kind: ValidateKind,
  files: readonly string[],
  options: ValidateOptions,
  io: CliIo,
): Promise<number> {
  if (options.request !== undefined && (kind === 'exchanges' || kind === 'request')) {
    throw new TgcInputError(`--request applies to "validate response" and "validate stream", not "validate ${kind}"`);
  }
  const contract = await loadContract();
  const request = options.request !== undefined ? await readJson(options.request, io.cwd) : undefined;
  const located: LocatedFinding[] = [];
  let artifacts = 0;

  for (const file of files) {
    if (kind === 'request') {
      const body = await readJson(file, io.cwd);
      artifacts++;
      located.push(...validateRequestBody(body, contract).map((f) => ({ ...f, file })));
      continue;
    }
    if (kind === 'exchanges') {
      const text = await readText(file, io.cwd);
      const lines = text.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (line.trim() === '') continue;
        const parsed = parseExchangeLine(line);
        if (!parsed.ok) throw new TgcInputError(`${file}:${i + 1}: ${parsed.error}`);
        artifacts++;
        located.push(...inspect(parsed.exchange, contract).map((f) => ({ ...f, file, line: i + 1 })));
      }
      continue;
    }
    // A request that says `"stream": true` went to the seed-style endpoint (POST /, where
    // return_full_text defaults to true); otherwise a stream is taken as TGI's /generate_stream.
    const streamRoute = isJsonObject(request) && request['stream'] === true ? 'POST /' : 'POST /generate_stream';
    const exchange: RecordedExchange =
      kind === 'stream'
        ? { route: streamRoute, request: request ?? undefined, status: 200, stream: await readText(file, io.cwd) }
        : { route: 'POST /', request: request ?? undefined, status: 200, response: await readJson(file, io.cwd) };
    artifacts++;
    located.push(...inspect(exchange, contract).map((f) => ({ ...f, file })));
  }

  const violations = located.filter((f) => f.severity === 'violation').length;
  const warnings = located.length - violations;
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ kind, files, artifacts, violations, warnings, findings: located }, null, 2)}\n`);
  } else {
    for (const f of located) io.stdout(`${formatLocated(f)}\n`);
    const noun = kind === 'exchanges' ? 'exchanges' : `${kind === 'request' ? 'request' : kind} files`;
    io.stdout(
      `tgc validate ${kind}: ${artifacts} ${noun} in ${files.length} file${files.length === 1 ? '' : 's'}: ` +
        `${violations} violation${violations === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
    );
  }
  return violations > 0 ? EXIT.violations : EXIT.ok;
}

function inspect(exchange: RecordedExchange, contract: Awaited<ReturnType<typeof loadContract>>): Finding[] {
  return inspectExchange(exchange, contract, allChecks).findings;
}

/** A request as a client sends it: the schema (unknown keys are warnings) and the cross-field rules. */
function validateRequestBody(body: ExactJson, contract: Awaited<ReturnType<typeof loadContract>>): Finding[] {
  const r = contract.request(body, 'POST /');
  if (!r.value) return r.findings;
  const stream = r.value.stream === true;
  const breaches = crossFieldBreaches(r.value, stream, {});
  return [
    ...r.findings,
    ...breaches.map(
      (b): Finding => ({
        check: 'request-schema',
        severity: 'violation',
        kind: `rule:${b.rule}`,
        title: 'request breaks a validation rule',
        message: `servers reject this request: "Input validation error: ${b.message}" (tgi-behavior §2c rule ${b.rule})`,
        pointer: '/parameters',
      }),
    ),
  ];
}

export function formatLocated(f: LocatedFinding): string {
  const where = f.line !== undefined ? `${f.file}:${f.line}` : f.file;
  const at = f.event !== undefined ? ` event ${f.event}` : '';
  const pointer = f.pointer !== undefined && f.pointer !== '' ? ` ${f.pointer}` : '';
  return `${where}: ${f.severity} ${f.check}${at}${pointer}: ${f.message}`;
}

/**
 * `tgc validate request|response|stream|exchanges FILE... [--request REQ.json]`: the contract
 * applied to recorded artifacts.
 */
import { API_NAMES, apiByName } from '../apis/index.js';
import { createExchangeJudge } from '../apis/judge.js';
import type { RecordedExchange, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { parseExchangeLine } from '../engine/exchange-lines.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { readJson, readText } from './read-input.js';

import type { ValidateKind } from './validate-kinds.js';

export { VALIDATE_KINDS, type ValidateKind } from './validate-kinds.js';

export interface ValidateOptions {
  request?: string;
  format: 'text' | 'json';
  /** The API of lone request, response and stream files (exchanges say their route). @defaultValue the native API */
  api?: string;
  /** The route of lone files, by the name the API gives it (`chat`, `completions`, `models`). */
  route?: string;
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
  const api = apiByName(options.api ?? 'hf');
  if (!api) throw new TgcInputError(`--api must be one of ${API_NAMES.join(', ')}, got "${options.api}"`);
  if (options.route !== undefined && !api.artifacts.routeNames.includes(options.route)) {
    throw new TgcInputError(
      api.artifacts.routeNames.length === 0
        ? `--route does not apply to ${options.api === undefined ? 'the native API (give --api openai)' : `--api ${api.name}`}`
        : `--route must be one of ${api.artifacts.routeNames.join(', ')} with --api ${api.name}, got "${options.route}"`,
    );
  }
  const request = options.request !== undefined ? await readJson(options.request, io.cwd) : undefined;
  const located: LocatedFinding[] = [];
  let artifacts = 0;
  const judge = createJudge();
  const routeOf = (k: 'request' | 'response' | 'stream'): RouteName => {
    try {
      return api.artifacts.route(k, { ...(options.route !== undefined ? { route: options.route } : {}), ...(request !== undefined ? { request } : {}) });
    } catch (e) {
      throw new TgcInputError(e instanceof Error ? e.message : String(e));
    }
  };

  for (const file of files) {
    if (kind === 'request') {
      const body = await readJson(file, io.cwd);
      artifacts++;
      let findings: Finding[];
      try {
        findings = await api.artifacts.validateRequest(body, routeOf('request'));
      } catch (e) {
        if (e instanceof TgcInputError) throw e;
        throw new TgcInputError(e instanceof Error ? e.message : String(e));
      }
      located.push(...findings.map((f) => ({ ...f, file })));
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
        located.push(...(await judge(parsed.exchange)).map((f) => ({ ...f, file, line: i + 1 })));
      }
      continue;
    }
    const exchange: RecordedExchange =
      kind === 'stream'
        ? { route: routeOf('stream'), request: request ?? undefined, status: 200, stream: await readText(file, io.cwd) }
        : { route: routeOf('response'), request: request ?? undefined, status: 200, response: await readJson(file, io.cwd) };
    // Named explicitly, the API judges as it does in a run (TGI's POST / must be the array).
    if (options.api !== undefined) exchange.api = api.name;
    artifacts++;
    located.push(...(await judge(exchange)).map((f) => ({ ...f, file })));
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

/** Judges each exchange as its API does (the route says which), with its decoder and checks. */
function createJudge(): (exchange: RecordedExchange) => Promise<Finding[]> {
  const judge = createExchangeJudge();
  return async (exchange) => {
    const judged = await judge(exchange);
    if (!judged) throw new TgcInputError(`no API of tgc judges the route ${exchange.route}`);
    return judged.findings;
  };
}

export function formatLocated(f: LocatedFinding): string {
  const where = f.line !== undefined ? `${f.file}:${f.line}` : f.file;
  const at = f.event !== undefined ? ` event ${f.event}` : '';
  const pointer = f.pointer !== undefined && f.pointer !== '' ? ` ${f.pointer}` : '';
  return `${where}: ${f.severity} ${f.check}${at}${pointer}: ${f.message}`;
}

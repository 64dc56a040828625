/**
 * `tgc validate request|response|stream|exchanges FILE... [--request REQ.json]`: the contract
 * applied to recorded artifacts.
 */
import { apiForExchange, type ApiDefinition, type Decoder } from '../apis/index.js';
import type { BaseExchangeView, OpenAIRouteName, RecordedExchange, RouteName } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { isJsonObject, type ExactJson } from '../core/json.js';
import { loadContract } from '../contract/contract.js';
import { loadOpenAIContract } from '../contract/openai/contract.js';
import { crossFieldBreaches } from '../contract/request-rules.js';
import { parseExchangeLine } from '../engine/exchange-lines.js';
import { applyChecks } from '../engine/inspect-exchange.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { readJson, readText } from './read-input.js';

export const VALIDATE_KINDS = ['request', 'response', 'stream', 'exchanges'] as const;
export type ValidateKind = (typeof VALIDATE_KINDS)[number];

export interface ValidateOptions {
  request?: string;
  format: 'text' | 'json';
  /** `openai` for the OpenAI-compatible routes; the native API otherwise. */
  api?: string;
  /** With --api openai: `chat`, `completions` or `models` (else inferred from --request). */
  route?: string;
}

const OPENAI_ROUTE_NAMES: Readonly<Record<string, OpenAIRouteName>> = {
  chat: 'POST /v1/chat/completions',
  completions: 'POST /v1/completions',
  models: 'GET /v1/models',
};

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
  if (options.api !== undefined && options.api !== 'openai' && options.api !== 'tgi' && options.api !== 'hf') {
    throw new TgcInputError(`--api must be tgi, hf or openai, got "${options.api}"`);
  }
  if (options.route !== undefined && options.api !== 'openai') throw new TgcInputError('--route applies with --api openai');
  const request = options.request !== undefined ? await readJson(options.request, io.cwd) : undefined;
  const openaiRoute = options.api === 'openai' ? openaiRouteOf(options.route, request, kind) : undefined;
  const located: LocatedFinding[] = [];
  let artifacts = 0;
  const judge = createJudge();

  for (const file of files) {
    if (kind === 'request') {
      const body = await readJson(file, io.cwd);
      artifacts++;
      const findings = openaiRoute ? await validateOpenAIRequestBody(body, openaiRoute) : validateRequestBody(body, await loadContract());
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
    // A request that says `"stream": true` went to the seed-style endpoint (POST /, where
    // return_full_text defaults to true); otherwise a stream is taken as TGI's /generate_stream.
    const streamRoute: RouteName = openaiRoute ?? (isJsonObject(request) && request['stream'] === true ? 'POST /' : 'POST /generate_stream');
    const exchange: RecordedExchange =
      kind === 'stream'
        ? { route: streamRoute, request: request ?? undefined, status: 200, stream: await readText(file, io.cwd) }
        : { route: openaiRoute ?? 'POST /', request: request ?? undefined, status: 200, response: await readJson(file, io.cwd) };
    if (options.api === 'openai' || options.api === 'tgi' || options.api === 'hf') exchange.api = options.api;
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

/**
 * Judges each exchange as its API does (the route says which: an OpenAI-compatible path, or
 * the native API), with that API's decoder, loaded once, and its checks.
 */
function createJudge(): (exchange: RecordedExchange) => Promise<Finding[]> {
  const decoders = new Map<ApiDefinition<BaseExchangeView>, Promise<Decoder<BaseExchangeView>>>();
  return async (exchange) => {
    const api = apiForExchange(exchange);
    if (!api) throw new TgcInputError(`no API of tgc judges the route ${exchange.route}`);
    let decoder = decoders.get(api);
    if (!decoder) {
      decoder = api.decoder();
      decoders.set(api, decoder);
    }
    const view = (await decoder)(exchange, {});
    return applyChecks(view, api.checks).findings;
  };
}

/** The OpenAI-compatible route of `--route`, else the one the request names by its keys (never the body's `object`). */
function openaiRouteOf(route: string | undefined, request: ExactJson | undefined, kind: ValidateKind): OpenAIRouteName | undefined {
  if (kind === 'exchanges') return undefined;
  if (route !== undefined) {
    const name = OPENAI_ROUTE_NAMES[route];
    if (!name) throw new TgcInputError(`--route must be chat, completions or models, got "${route}"`);
    return name;
  }
  if (isJsonObject(request) && 'messages' in request) return OPENAI_ROUTE_NAMES['chat'];
  if (isJsonObject(request) && 'prompt' in request) return OPENAI_ROUTE_NAMES['completions'];
  throw new TgcInputError('--api openai: say which route with --route chat|completions|models (or give --request, whose messages or prompt tells)');
}

/** A request body on an OpenAI-compatible route: the official schema and the rules every server applies. */
async function validateOpenAIRequestBody(body: ExactJson, route: OpenAIRouteName): Promise<Finding[]> {
  if (route === 'GET /v1/models') throw new TgcInputError('GET /v1/models has no request body');
  const kind = route === 'POST /v1/chat/completions' ? 'chat' : 'completions';
  const contract = await loadOpenAIContract();
  return [...contract.request(body, kind).findings, ...contract.requestRejectReasons(body, kind)];
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

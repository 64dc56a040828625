/**
 * What a recorded line says about where it came from: the target (the `provider` field), the
 * model (response `model`, else request `model`), the server versions (`system_fingerprint`,
 * `server` and `x-…-version` headers), and the secrets it carries (header values that must never
 * be written). Pure functions of the parsed line.
 */
import type { MatrixGrouping } from './model.js';

/** Header names whose values are secrets: never written, and scrubbed wherever they reappear. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'cookie', 'set-cookie']);

export interface ServerVersion {
  value: string;
  /** `system_fingerprint` or the header's name. */
  from: string;
}

export interface LineFacts {
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  versions: ServerVersion[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The facts of one line of the exchange format, parsed as plain JSON. */
export function lineFacts(line: JsonObject, responseHeaders: Record<string, string> | undefined): LineFacts {
  const facts: LineFacts = { versions: [] };
  const provider = nonEmpty(line['provider']);
  if (provider !== undefined) facts.provider = provider;
  const request = line['request'];
  if (isObject(request)) {
    const m = nonEmpty(request['model']);
    if (m !== undefined) facts.requestModel = m;
  }
  let fingerprint: string | undefined;
  const response = Array.isArray(line['response']) ? line['response'][0] : line['response'];
  if (isObject(response)) {
    facts.responseModel = nonEmpty(response['model']);
    fingerprint = nonEmpty(response['system_fingerprint']);
  }
  if (typeof line['stream'] === 'string') {
    const meta = streamMeta(line['stream']);
    facts.responseModel ??= meta.model;
    fingerprint ??= meta.fingerprint;
  }
  if (facts.responseModel === undefined) delete facts.responseModel;
  if (fingerprint !== undefined) facts.versions.push({ value: fingerprint, from: 'system_fingerprint' });
  facts.versions.push(...headerVersions(responseHeaders));
  return facts;
}

/** The first `model` and `system_fingerprint` the stream's JSON data events carry. */
export function streamMeta(stream: string): { model?: string; fingerprint?: string } {
  const out: { model?: string; fingerprint?: string } = {};
  for (const raw of stream.split(/\r\n|\r|\n/)) {
    if (!raw.startsWith('data:')) continue;
    const data = raw.slice(5).trim();
    if (!data.startsWith('{')) continue;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      continue;
    }
    if (!isObject(chunk)) continue;
    out.model ??= nonEmpty(chunk['model']);
    out.fingerprint ??= nonEmpty(chunk['system_fingerprint']);
    if (out.model !== undefined && out.fingerprint !== undefined) break;
  }
  if (out.model === undefined) delete out.model;
  if (out.fingerprint === undefined) delete out.fingerprint;
  return out;
}

/** `server` and `x-…-version` response headers (names lower-case). */
export function headerVersions(headers: Record<string, string> | undefined): ServerVersion[] {
  if (!headers) return [];
  const out: ServerVersion[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = name.toLowerCase();
    if (SECRET_HEADERS.has(n)) continue;
    if (n !== 'server' && !/^x-(?:[a-z0-9-]+-)?version$/.test(n)) continue;
    const v = nonEmpty(value);
    if (v !== undefined) out.push({ value: v, from: n });
  }
  return out;
}

/** The model a row of `--by model` is keyed by: the one that answered, else the one asked for. */
export function modelOf(facts: Pick<LineFacts, 'requestModel' | 'responseModel'>): string | undefined {
  return facts.responseModel ?? facts.requestModel;
}

/** Where a recorded line belongs: its provider, else the file's label. */
export function recordingRow(by: MatrixGrouping, facts: LineFacts, fileLabel: string): { target: string; model?: string } {
  const target = facts.provider ?? fileLabel;
  if (by !== 'model') return { target };
  const model = modelOf(facts);
  return model === undefined ? { target } : { target, model };
}

/** Where a report belongs: its target URL (`--by provider`: the URL's host). */
export function reportRow(by: MatrixGrouping, url: string): { target: string } {
  if (by !== 'provider') return { target: url };
  try {
    const host = new URL(url).host;
    return { target: host === '' ? url : host };
  } catch {
    return { target: url };
  }
}

/**
 * The label of each file: its base name, or the path as given where two different paths share a
 * base name.
 */
export function fileLabels(files: readonly string[]): Map<string, string> {
  const base = (f: string): string => f.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || f;
  const byBase = new Map<string, Set<string>>();
  for (const f of files) {
    const set = byBase.get(base(f)) ?? new Set<string>();
    set.add(f);
    byBase.set(base(f), set);
  }
  return new Map(files.map((f) => [f, (byBase.get(base(f))?.size ?? 1) > 1 ? f : base(f)]));
}

/** Every secret value a line carries in a header of the given names (and the token inside `Bearer …`). */
export function secretsOf(line: JsonObject): string[] {
  const out: string[] = [];
  const context = isObject(line['tgc']) ? line['tgc'] : {};
  for (const holder of [line['headers'], line['requestHeaders'], line['request_headers'], context['requestHeaders'], context['headers']]) {
    out.push(...secretHeaderValues(holder));
  }
  return out;
}

/** Values of secret headers in a headers object, and their parts (`Bearer T` gives T; cookies give each value). */
export function secretHeaderValues(headers: unknown): string[] {
  if (!isObject(headers)) return [];
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
    const v = typeof value === 'string' ? value : Array.isArray(value) ? value.join('; ') : String(value);
    out.push(v);
    const scheme = /^\s*(?:bearer|basic|token|apikey)\s+(.+)$/i.exec(v);
    if (scheme?.[1]) out.push(scheme[1].trim());
    if (name.toLowerCase().endsWith('cookie')) {
      for (const part of v.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) out.push(part.slice(eq + 1).trim());
      }
    }
  }
  return out.filter((s) => s !== '$HF_TOKEN' && s !== 'Bearer $HF_TOKEN');
}

/**
 * Options of the reference server and of `tgc mock`, their defaults, and their validation.
 */
import type { Fault } from './faults/fault.js';
import { findFault, faults } from './faults/index.js';
import { U64_MAX } from './model/index.js';

export type ReferenceProfile = 'tgi' | 'hf' | 'openai';

/** Options of {@link createHandlers} and {@link startReferenceServer}. */
export interface ReferenceServerOptions {
  /**
   * `tgi`: TGI's routes (`/generate`, `/generate_stream`, `/`, `/info`, `/health`) and, beside
   * them as in TGI, the OpenAI-compatible `/v1/chat/completions`, `/v1/completions`,
   * `/v1/models` with TGI's error bodies. `openai`: the same routes, with OpenAI's error object
   * `{error: {message, type, param, code}}` and status 400 for validation errors and bodies that
   * do not parse on the OpenAI-compatible routes. `hf`: the seed document's single endpoint
   * `POST /models/{id}` with the serverless headers.
   * @defaultValue 'tgi'
   */
  profile?: ReferenceProfile;
  /** Origin the handlers answer on, for in-process use with msw. @defaultValue REFERENCE_BASE_URL */
  baseUrl?: string;
  /** Like TGI's `--api-key`: requests need `Authorization: Bearer <key>`. @defaultValue none */
  apiKey?: string;
  /** @defaultValue 128 (TGI's launcher default) */
  maxConcurrentRequests?: number;
  /** @defaultValue 2 */
  maxBestOf?: number;
  /** @defaultValue 4 */
  maxStopSequences?: number;
  /** Not shown in /info, as in TGI. @defaultValue 5 */
  maxTopNTokens?: number;
  /** @defaultValue 1024 */
  maxInputTokens?: number;
  /** @defaultValue 2048 */
  maxTotalTokens?: number;
  /** Shown in /info only. @defaultValue 4 */
  maxClientBatchSize?: number;
  /** Bytes; larger bodies get 413. @defaultValue 2_000_000 */
  payloadLimit?: number;
  /** false: answer as TGI started with `--disable-grammar-support`. @defaultValue true */
  grammar?: boolean;
  /** false: `prefill: []` even with decoder_input_details, as flash models by default. @defaultValue true */
  prefillLogprobs?: boolean;
  /** `return_full_text` default on `/` (true for a `text-generation` pipeline tag). @defaultValue true */
  defaultReturnFullText?: boolean;
  /** Delay before each generated token, in ms. @defaultValue 0 */
  latencyMs?: number;
  /** A `:` comment frame after this long without a stream event (axum's KeepAlive). @defaultValue 15000 */
  keepAliveMs?: number;
  /** hf profile: answer 503 `{error, estimated_time}` for this long after start. @defaultValue 0 */
  loadingMs?: number;
  /** @defaultValue 'tgc/reference-model' */
  modelId?: string;
  /** `x-compute-type`. @defaultValue 'gpu+optimized' */
  computeType?: string;
  /** Validate each request against the contract and report the client's departures. @defaultValue false */
  checkClient?: boolean;
  /** Where log lines go (check-client findings). @defaultValue a no-op */
  log?: (line: string) => void;
  /** A deliberate contract violation, applied on top of the faithful behaviour. */
  fault?: Fault;
  /** The source of random u64 seeds (sampling without a seed, best_of). @defaultValue crypto */
  randomSeed?: () => bigint;
  /**
   * A u64 from which a sampling request without a seed draws its seed, with its prompt and the
   * sequence's place (best_of, the choice), instead of at random: the same request gets the same
   * answer, in any order. @defaultValue undefined (random, as TGI)
   */
  samplingSeed?: bigint;
}

export interface ResolvedReferenceOptions
  extends Required<Omit<ReferenceServerOptions, 'apiKey' | 'fault' | 'samplingSeed'>> {
  apiKey: string | undefined;
  fault: Fault | undefined;
  samplingSeed: bigint | undefined;
}

/** The origin in-process handlers answer on unless `baseUrl` says otherwise. */
export const REFERENCE_BASE_URL = 'http://reference.tgc.test';

function cryptoSeed(): bigint {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (BigInt(words[0] ?? 0) << 32n) | BigInt(words[1] ?? 0);
}

export const REFERENCE_DEFAULTS: Readonly<Omit<ResolvedReferenceOptions, 'log' | 'randomSeed'>> = {
  profile: 'tgi',
  baseUrl: REFERENCE_BASE_URL,
  apiKey: undefined,
  maxConcurrentRequests: 128,
  maxBestOf: 2,
  maxStopSequences: 4,
  maxTopNTokens: 5,
  maxInputTokens: 1024,
  maxTotalTokens: 2048,
  maxClientBatchSize: 4,
  payloadLimit: 2_000_000,
  grammar: true,
  prefillLogprobs: true,
  defaultReturnFullText: true,
  latencyMs: 0,
  keepAliveMs: 15_000,
  loadingMs: 0,
  modelId: 'tgc/reference-model',
  computeType: 'gpu+optimized',
  checkClient: false,
  fault: undefined,
  samplingSeed: undefined,
};

export type ReferenceServerErrorCode = 'INVALID_OPTIONS' | 'EADDRINUSE' | 'EACCES' | 'LISTEN_FAILED';

/** Misuse of the reference server or a port it cannot take; `code` tells which. */
export class ReferenceServerError extends Error {
  override name = 'ReferenceServerError';
  readonly code: ReferenceServerErrorCode;

  constructor(code: ReferenceServerErrorCode, message: string) {
    super(`[tgc reference] ${message}`);
    this.code = code;
  }
}

function invalid(message: string): ReferenceServerError {
  return new ReferenceServerError('INVALID_OPTIONS', message);
}

function integerOption(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw invalid(`${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

/** Fills in defaults and checks every value; throws ReferenceServerError('INVALID_OPTIONS'). */
export function resolveReferenceOptions(options: ReferenceServerOptions = {}): ResolvedReferenceOptions {
  const o = { ...REFERENCE_DEFAULTS, log: () => undefined, randomSeed: cryptoSeed, ...dropUndefined(options) };
  if (o.profile !== 'tgi' && o.profile !== 'hf' && o.profile !== 'openai') {
    throw invalid(`profile must be "tgi", "hf" or "openai", got ${JSON.stringify(o.profile)}`);
  }
  integerOption('maxConcurrentRequests', o.maxConcurrentRequests, 1);
  integerOption('maxBestOf', o.maxBestOf, 1);
  integerOption('maxStopSequences', o.maxStopSequences, 0);
  integerOption('maxTopNTokens', o.maxTopNTokens, 0);
  integerOption('maxInputTokens', o.maxInputTokens, 1);
  integerOption('maxTotalTokens', o.maxTotalTokens, 2);
  integerOption('maxClientBatchSize', o.maxClientBatchSize, 1);
  integerOption('payloadLimit', o.payloadLimit, 1);
  integerOption('latencyMs', o.latencyMs, 0);
  integerOption('keepAliveMs', o.keepAliveMs, 1);
  integerOption('loadingMs', o.loadingMs, 0);
  // TGI's launcher refuses max_input_tokens >= max_total_tokens.
  if (o.maxInputTokens >= o.maxTotalTokens) {
    throw invalid(`maxInputTokens (${o.maxInputTokens}) must be less than maxTotalTokens (${o.maxTotalTokens})`);
  }
  if (o.apiKey !== undefined && o.apiKey === '') throw invalid('apiKey must not be empty');
  if (!/^https?:\/\/[^/]+$/.test(o.baseUrl)) throw invalid(`baseUrl must be an origin such as http://host:port, got ${JSON.stringify(o.baseUrl)}`);
  if (o.modelId === '') throw invalid('modelId must not be empty');
  if (o.samplingSeed !== undefined && (o.samplingSeed < 0n || o.samplingSeed > U64_MAX)) {
    throw invalid(`samplingSeed must be a u64 (0 to ${U64_MAX}), got ${o.samplingSeed}`);
  }
  return o;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------
// tgc mock

/** What `tgc mock` needs: the server's options plus where to listen. */
export interface MockOptions extends ReferenceServerOptions {
  /** @defaultValue 8080 */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host: string;
}

/** One command-line option of `tgc mock`, for the CLI to register as is. */
export interface MockOptionSpec {
  /** Commander syntax, e.g. `--latency-ms <ms>`. */
  flags: string;
  description: string;
  /** Shown as the default; parseMockOptions applies defaults itself. */
  defaultValue?: string;
}

export const MOCK_OPTION_SPECS: readonly MockOptionSpec[] = [
  { flags: '--port <n>', description: 'port to listen on (0 = any free port)', defaultValue: '8080' },
  { flags: '--host <host>', description: 'interface to listen on', defaultValue: '127.0.0.1' },
  { flags: '--profile <profile>', description: 'tgi: TGI routes (with /v1/chat/completions, /v1/completions, /v1/models); openai: the same, OpenAI\'s error bodies (400) on the /v1 routes; hf: the seed document\'s POST /models/{id}', defaultValue: 'tgi' },
  { flags: '--api-key <key>', description: 'require Authorization: Bearer <key> (401 otherwise)' },
  { flags: '--fault <name>', description: 'serve a deliberately broken variant (see --list-faults)' },
  { flags: '--latency-ms <ms>', description: 'delay before each generated token', defaultValue: '0' },
  { flags: '--loading-ms <ms>', description: 'hf profile: answer 503 (model loading) for this long after start', defaultValue: '0' },
  { flags: '--max-concurrent-requests <n>', description: 'more requests in flight get 429', defaultValue: '128' },
  { flags: '--max-best-of <n>', description: 'largest best_of', defaultValue: '2' },
  { flags: '--max-stop-sequences <n>', description: 'most stop sequences', defaultValue: '4' },
  { flags: '--max-top-n-tokens <n>', description: 'largest top_n_tokens', defaultValue: '5' },
  { flags: '--max-input-tokens <n>', description: 'longest prompt, in tokens', defaultValue: '1024' },
  { flags: '--max-total-tokens <n>', description: 'prompt + new tokens limit', defaultValue: '2048' },
  { flags: '--payload-limit <bytes>', description: 'largest request body (413 beyond)', defaultValue: '2000000' },
  { flags: '--model-id <id>', description: 'model id in /info and the hf loading message', defaultValue: 'tgc/reference-model' },
  { flags: '--no-grammar', description: 'answer as a server started without grammar support' },
  { flags: '--no-prefill-logprobs', description: 'prefill: [] even with decoder_input_details (flash models\' default)' },
  { flags: '--sampling-seed <u64>', description: 'a sampling request without a seed draws it from this number and its prompt, not at random: the same request, the same answer, in any order (runs split over shards see what one run sees)' },
  { flags: '--check-client', description: 'validate each request and report the client\'s departures (header x-tgc-client-findings and a log line)' },
];

/** Raw values as a command-line parser hands them over (strings, booleans, or numbers). */
export type RawMockOptions = Record<string, string | number | boolean | undefined>;

function rawInteger(raw: RawMockOptions, key: string, flag: string): number | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(`${flag} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function rawU64(raw: RawMockOptions, key: string, flag: string): bigint | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const text = String(v).trim();
  const n = /^\d{1,20}$/.test(text) ? BigInt(text) : -1n;
  if (n < 0n || n > U64_MAX) throw invalid(`${flag} must be an integer from 0 to ${U64_MAX}, got ${JSON.stringify(v)}`);
  return n;
}

function rawString(raw: RawMockOptions, key: string, flag: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw invalid(`${flag} needs a value`);
  return v;
}

/**
 * Turns `tgc mock`'s parsed command line (camelCase keys as commander gives them) into
 * validated {@link MockOptions}; throws ReferenceServerError('INVALID_OPTIONS') naming the bad
 * value, for the CLI to print and exit 2. `log` is left for the caller to inject.
 */
export function parseMockOptions(raw: RawMockOptions): MockOptions {
  const port = rawInteger(raw, 'port', '--port') ?? 8080;
  if (port > 65535) throw invalid(`--port must be at most 65535, got ${port}`);
  const profile = rawString(raw, 'profile', '--profile') ?? 'tgi';
  if (profile !== 'tgi' && profile !== 'hf' && profile !== 'openai') throw invalid(`--profile must be tgi, hf or openai, got ${JSON.stringify(profile)}`);
  const faultName = rawString(raw, 'fault', '--fault');
  let fault: Fault | undefined;
  if (faultName !== undefined) {
    fault = findFault(faultName);
    if (!fault) throw invalid(`unknown fault ${JSON.stringify(faultName)}; known: ${faults.map((f) => f.name).join(', ')}`);
  }
  const options: MockOptions = {
    port,
    host: rawString(raw, 'host', '--host') ?? '127.0.0.1',
    profile,
    apiKey: rawString(raw, 'apiKey', '--api-key'),
    fault,
    latencyMs: rawInteger(raw, 'latencyMs', '--latency-ms'),
    loadingMs: rawInteger(raw, 'loadingMs', '--loading-ms'),
    maxConcurrentRequests: rawInteger(raw, 'maxConcurrentRequests', '--max-concurrent-requests'),
    maxBestOf: rawInteger(raw, 'maxBestOf', '--max-best-of'),
    maxStopSequences: rawInteger(raw, 'maxStopSequences', '--max-stop-sequences'),
    maxTopNTokens: rawInteger(raw, 'maxTopNTokens', '--max-top-n-tokens'),
    maxInputTokens: rawInteger(raw, 'maxInputTokens', '--max-input-tokens'),
    maxTotalTokens: rawInteger(raw, 'maxTotalTokens', '--max-total-tokens'),
    payloadLimit: rawInteger(raw, 'payloadLimit', '--payload-limit'),
    modelId: rawString(raw, 'modelId', '--model-id'),
    grammar: raw.grammar === false ? false : undefined,
    prefillLogprobs: raw.prefillLogprobs === false ? false : undefined,
    checkClient: raw.checkClient === true ? true : undefined,
    samplingSeed: rawU64(raw, 'samplingSeed', '--sampling-seed'),
  };
  resolveReferenceOptions(options); // every remaining check, with the same messages
  return options;
}

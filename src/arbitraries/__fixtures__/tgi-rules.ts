/**
 * TGI's request validation, written out independently of the arbitraries (from the table of
 * tgi-behavior.md §2a and the rules of §2c, not from the spec or the generators), for the tests
 * of the arbitraries: what would a TGI server, with a worst-case tokenizer, reject in a body?
 *
 * The worst-case tokenizer turns each UTF-8 byte into a token and adds 4 (BOS, EOS, prefix).
 */

export interface TgiSetup {
  route: '/' | '/generate' | '/generate_stream';
  maxBestOf: number;
  maxStopSequences: number;
  maxTopNTokens: number;
  maxInputTokens: number;
  maxTotalTokens: number;
  grammarSupported: boolean;
}

export const WORST_CASE_ADDED_TOKENS = 4;
/** What an unset max_new_tokens costs at most (TGI before v2 defaulted to 100). */
export const UNSET_MAX_NEW_TOKENS = 100;

/** §2a: the Rust type of each parameter (L). */
export const RUST_TYPES = {
  best_of: 'Option<usize>',
  decoder_input_details: 'bool',
  details: 'bool',
  do_sample: 'bool',
  frequency_penalty: 'Option<f32>',
  grammar: 'Option<GrammarType>',
  max_new_tokens: 'Option<u32>',
  repetition_penalty: 'Option<f32>',
  return_full_text: 'Option<bool>',
  seed: 'Option<u64>',
  stop: 'Vec<String>',
  temperature: 'Option<f32>',
  top_k: 'Option<i32>',
  top_n_tokens: 'Option<u32>',
  top_p: 'Option<f32>',
  truncate: 'Option<usize>',
  typical_p: 'Option<f32>',
  watermark: 'bool',
  adapter_id: 'Option<String>',
} as const;

export const F32_PARAMETERS = ['frequency_penalty', 'repetition_penalty', 'temperature', 'top_p', 'typical_p'] as const;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  usize: [0n, 2n ** 64n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
};

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** serde's view: null is a value only for Option fields, integers must fit, etc. */
function deserializeErrors(name: string, v: unknown): string[] {
  const rust: string | undefined = (RUST_TYPES as Record<string, string>)[name];
  if (rust === undefined) return []; // unknown keys are ignored
  const option = rust.startsWith('Option<');
  const inner = option ? rust.slice(7, -1) : rust;
  if (v === null) return option ? [] : [`deserialize:${name}:null`];
  const bad = [`deserialize:${name}`];
  switch (inner) {
    case 'bool':
      return typeof v === 'boolean' ? [] : bad;
    case 'f32':
      return typeof v === 'number' && Number.isFinite(v) ? [] : bad;
    case 'String':
      return typeof v === 'string' ? [] : bad;
    case 'Vec<String>':
      return Array.isArray(v) && v.every((s) => typeof s === 'string') ? [] : bad;
    case 'GrammarType':
      return grammarShapeOk(v) ? [] : bad;
    default: {
      const range = INT_RANGES[inner];
      if (range === undefined) return bad;
      if (typeof v === 'bigint') return v >= range[0] && v <= range[1] ? [] : bad;
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad;
      return BigInt(v) >= range[0] && BigInt(v) <= range[1] ? [] : bad;
    }
  }
}

function grammarShapeOk(g: unknown): boolean {
  if (!isObj(g) || !('value' in g)) return false;
  switch (g['type']) {
    case 'json':
    case 'json_object':
      return true; // a serde_json::Value
    case 'regex':
      return typeof g['value'] === 'string';
    case 'json_schema': {
      const v = g['value'];
      return isObj(v) && 'schema' in v && (v['name'] === undefined || v['name'] === null || typeof v['name'] === 'string');
    }
    default:
      return false;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** Rules 17 and 18 for a json / json_schema grammar: an object schema with `properties`. */
function grammarErrors(g: Record<string, unknown>): string[] {
  if (g['type'] === 'regex') {
    const value = String(g['value']);
    // Outlines compiles no anchors, lookaround or backreferences.
    if (/\^|\$|\(\?|\\[1-9bB]/.test(value)) return ['19:regex-feature'];
    try {
      new RegExp(value);
    } catch {
      return ['19:regex'];
    }
    return [];
  }
  let schema: unknown = g['type'] === 'json_schema' && isObj(g['value']) ? g['value']['schema'] : g['value'];
  if (typeof schema === 'string') {
    try {
      schema = JSON.parse(schema);
    } catch {
      return ['18:unparsable'];
    }
  } else if (!isObj(schema)) {
    return ['17:json-value'];
  }
  return isObj(schema) && isObj(schema['properties']) ? [] : ['18:properties'];
}

/**
 * The ids of the §2c rules (and `deserialize:*` for serde's text/plain 422) that reject this
 * body. `f32` rounds the float parameters as TGI does; pass `false` to judge them as doubles,
 * as a JSON Schema validator does.
 */
export function tgiRejections(body: unknown, setup: TgiSetup, f32 = true): string[] {
  if (!isObj(body)) return ['deserialize:body'];
  const out: string[] = [];
  if (typeof body['inputs'] !== 'string') out.push('deserialize:inputs');
  const p = body['parameters'];
  if (p !== undefined && !isObj(p)) out.push('deserialize:parameters');
  if (setup.route === '/' && body['stream'] !== undefined && typeof body['stream'] !== 'boolean') {
    out.push('deserialize:stream');
  }
  const params: Record<string, unknown> = isObj(p) ? p : {};
  for (const [k, v] of Object.entries(params)) out.push(...deserializeErrors(k, v));
  if (out.length > 0) return out;

  const round = (x: unknown): number | undefined => {
    const n = num(x);
    return n === undefined ? undefined : f32 ? Math.fround(n) : n;
  };
  const stream = setup.route === '/generate_stream' || (setup.route === '/' && body['stream'] === true);
  const bestOf = num(params['best_of']);
  const doSample = p === undefined ? true : params['do_sample'] === true;
  const sampling =
    doSample || ['temperature', 'top_k', 'top_p', 'typical_p'].some((k) => params[k] !== undefined && params[k] !== null);
  if (stream && bestOf !== undefined && bestOf !== 1) out.push('s1');
  if (stream && params['decoder_input_details'] === true) out.push('s2');
  if (!stream && bestOf !== undefined && bestOf > 1 && setup.maxBestOf === 1) out.push('b1');
  if (!stream && bestOf !== undefined && bestOf > setup.maxBestOf) out.push('b2');
  if (bestOf !== undefined && bestOf > 1 && !sampling) out.push('1');
  const t = round(params['temperature']);
  if (t !== undefined && t <= 0) out.push('2');
  const rp = round(params['repetition_penalty']);
  if (rp !== undefined && rp <= 0) out.push('3');
  const fp = round(params['frequency_penalty']);
  if (fp !== undefined && (fp < -2 || fp > 2)) out.push('4');
  const topP = round(params['top_p']);
  if (topP !== undefined && (topP <= 0 || topP >= 1)) out.push('5');
  const typ = round(params['typical_p']);
  if (typ !== undefined && (typ <= 0 || typ >= 1)) out.push('6');
  const topK = num(params['top_k']);
  if (topK !== undefined && topK <= 0) out.push('7');
  const mnt = num(params['max_new_tokens']);
  if (mnt === 0) out.push('8');
  const stop = params['stop'];
  if (Array.isArray(stop) && stop.length > setup.maxStopSequences) out.push('9');
  if (params['seed'] !== undefined && params['seed'] !== null && bestOf !== undefined && bestOf > 1) out.push('10');
  const topN = num(params['top_n_tokens']);
  if (topN !== undefined && topN > setup.maxTopNTokens) out.push('11');
  const inputs = String(body['inputs']);
  if (inputs === '') out.push('12');
  const truncate = num(params['truncate']);
  if (truncate !== undefined && (truncate === 0 || truncate > setup.maxInputTokens)) out.push('13');
  // Worst case: truncate may not shorten anything the tokenizer produced below the limit.
  const tokens = utf8Bytes(inputs) + WORST_CASE_ADDED_TOKENS;
  if (tokens + (mnt ?? UNSET_MAX_NEW_TOKENS) > setup.maxTotalTokens) out.push('15');
  if (tokens > setup.maxInputTokens) out.push('16');
  const g = params['grammar'];
  if (g !== undefined && g !== null) {
    if (!setup.grammarSupported) out.push('17');
    else if (isObj(g)) out.push(...grammarErrors(g));
  }
  return out;
}

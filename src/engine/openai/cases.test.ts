import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_FEATURE_NAMES, type OpenAIFeatures } from '../../arbitraries/openai/features.js';
import { OPENAI_ROUTES } from '../../core/exchange.js';
import { parseJson, stringifyJson, type ExactJson } from '../../core/json.js';
import { loadOpenAIContract, type OpenAIContract } from '../../contract/openai/contract.js';
import type { Case } from '../cases.js';
import { TGI_DEFAULT_LIMITS } from '../options.js';
import { planOpenAICases, type OpenAIPlanOptions } from './cases.js';

type Obj = { [key: string]: ExactJson };
const isObj = (v: ExactJson | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const base: OpenAIPlanOptions = { seed: 7, maxExamples: 5, model: 'tgi', authRequired: false, hasToken: false };
const ALL_OFF = Object.fromEntries(OPENAI_FEATURE_NAMES.map((n) => [n, false])) as unknown as OpenAIFeatures;

let contract: OpenAIContract;
beforeAll(async () => {
  contract = await loadOpenAIContract();
});

const kindOf = (c: Case): 'chat' | 'completions' => (c.route === 'POST /v1/chat/completions' ? 'chat' : 'completions');
const fingerprint = (cases: Case[]) => cases.map((c) => `${c.route} ${c.expectation.label ?? ''} ${stringifyJson(c.body ?? c.rawBody ?? null)}`);
const isRandom = (c: Case) => c.expectation.label?.startsWith('random valid request') === true;
/** Cases whose request is valid: random, feature, boundary and auth cases. */
const isValidRequest = (c: Case) => c.expectation.purpose === 'positive' || c.expectation.purpose === 'boundary' || c.expectation.purpose === 'auth';

function messagesOf(body: Obj): Obj[] {
  const m = body['messages'];
  return Array.isArray(m) ? m.filter(isObj) : [];
}

const USES: Record<keyof OpenAIFeatures, (body: Obj) => boolean> = {
  n: (b) => typeof b['n'] === 'number' && b['n'] > 1,
  tools: (b) => 'tools' in b || 'tool_choice' in b || messagesOf(b).some((m) => m['role'] === 'tool' || 'tool_calls' in m),
  responseFormat: (b) => 'response_format' in b,
  logprobs: (b) => 'logprobs' in b || 'top_logprobs' in b,
  images: (b) => messagesOf(b).some((m) => Array.isArray(m['content']) && m['content'].some((p) => isObj(p) && p['type'] === 'image_url')),
  streamOptions: (b) => 'stream_options' in b,
  maxCompletionTokens: (b) => 'max_completion_tokens' in b,
  promptArrays: (b) => Array.isArray(b['prompt']),
  stopString: (b) => typeof b['stop'] === 'string',
};

const ajv = new Ajv2020({ strict: true });

describe('planOpenAICases', () => {
  it('is a pure function of its options (same seed, same plan; another seed, other random requests)', () => {
    const a = planOpenAICases(base);
    expect(fingerprint(planOpenAICases(base))).toEqual(fingerprint(a));
    const b = planOpenAICases({ ...base, seed: 8 });
    expect(fingerprint(b.filter(isRandom))).not.toEqual(fingerprint(a.filter(isRandom)));
    // Only the random requests depend on the seed.
    expect(fingerprint(b.filter((c) => !isRandom(c)))).toEqual(fingerprint(a.filter((c) => !isRandom(c))));
    expect(a.map((c) => c.id)).toEqual(a.map((_, i) => i));
  });

  it('draws maxExamples random requests per group: chat and completions, stream and not', () => {
    const random = planOpenAICases(base).filter(isRandom);
    expect(random).toHaveLength(4 * 5);
    for (const route of ['POST /v1/chat/completions', 'POST /v1/completions'] as const) {
      const on = random.filter((c) => c.route === route);
      expect(on.filter((c) => isObj(c.body) && c.body['stream'] === true)).toHaveLength(5);
      expect(on.filter((c) => !(isObj(c.body) && c.body['stream'] === true))).toHaveLength(5);
    }
    for (const c of random) expect(c.redraw).toBeTypeOf('function');
  });

  it('names an OpenAI route on every case, with the body that route takes, and the model everywhere but "no model"', () => {
    for (const c of planOpenAICases({ ...base, authRequired: true })) {
      expect(OPENAI_ROUTES).toContain(c.route);
      if (c.route === 'GET /v1/models') {
        expect(c.body).toBeUndefined();
        continue;
      }
      if (!isObj(c.body)) continue; // not an object on purpose, or a raw body
      if (c.expectation.label?.includes('no model') === true) {
        expect('model' in c.body).toBe(false);
        continue;
      }
      expect(c.body['model'], c.expectation.label).toBe('tgi');
      if (isValidRequest(c)) expect(kindOf(c) === 'chat' ? 'messages' in c.body : 'prompt' in c.body).toBe(true);
    }
  });

  it('sends no model at all when none is given', () => {
    const cases = planOpenAICases({ ...base, model: undefined });
    for (const c of cases) if (isObj(c.body)) expect('model' in c.body).toBe(false);
  });

  it('plans only requests valid under the contract as positive and boundary cases, over many seeds', () => {
    for (let seed = 1; seed <= 25; seed++) {
      for (const c of planOpenAICases({ ...base, seed, maxExamples: 4, features: { images: true } }).filter(isValidRequest)) {
        if (c.route === 'GET /v1/models') continue;
        const body = c.body ?? null;
        expect(contract.request(body, kindOf(c)).findings, `${c.expectation.label}: ${stringifyJson(body)}`).toEqual([]);
        expect(contract.requestRejectReasons(body, kindOf(c)), c.expectation.label).toEqual([]);
      }
    }
  });

  it('gives every rejected request at least one reason whose kind is its rule', () => {
    const negatives = planOpenAICases(base).filter((c) => c.expectation.outcome === 'reject' && c.expectation.purpose === 'negative');
    const rules = new Set<string>();
    for (const c of negatives) {
      expect(c.expectation.rule).toBeDefined();
      rules.add(c.expectation.rule ?? '');
      if (c.expectation.rule === 'pre-handler') {
        expect(c.body).toBeUndefined();
        expect(parseJson(c.rawBody ?? '').ok).toBe(false);
        continue;
      }
      const kinds = contract.requestRejectReasons(c.body ?? null, kindOf(c)).map((f) => f.kind);
      expect(kinds, c.expectation.label).toContain(`reject:${c.expectation.rule ?? ''}`);
    }
    expect([...rules].sort()).toEqual([
      'below-minimum:/max_completion_tokens',
      'below-minimum:/max_tokens',
      'below-minimum:/n',
      'message-not-object',
      'messages-empty',
      'messages-missing',
      'not-an-object',
      'pre-handler',
      'prompt-empty',
      'prompt-missing',
      'role-missing',
      'unknown-role',
      'wrong-type:/max_tokens',
      'wrong-type:/messages',
      'wrong-type:/prompt',
      'wrong-type:/seed',
      'wrong-type:/stop',
      'wrong-type:/stream',
      'wrong-type:/temperature',
      'wrong-type:/tools',
    ]);
  });

  it('expects "either" where only some servers reject, and those have no reason every server applies', () => {
    const differ = planOpenAICases(base).filter((c) => c.expectation.rule === 'servers-differ');
    expect(differ.map((c) => c.expectation.label)).toEqual(
      expect.arrayContaining([
        'servers differ: no model (TGI serves its own)',
        'servers differ: temperature 3 (above the official 2)',
        'servers differ: stop as a string (TGI rejects it)',
      ]),
    );
    for (const c of differ) {
      expect(c.expectation.outcome).toBe('either');
      expect(contract.requestRejectReasons(c.body ?? null, kindOf(c)), c.expectation.label).toEqual([]);
    }
    // A server known to take a bare-string stop must serve it.
    const stopString = planOpenAICases({ ...base, features: { stopString: true } }).filter((c) => c.expectation.label?.includes('stop as a string'));
    for (const c of stopString) expect(c.expectation.outcome).toBe('accept');
    const textPlain = planOpenAICases(base).find((c) => c.expectation.label === 'content-type text/plain');
    expect(textPlain?.contentType).toBe('text/plain');
    expect(parseJson(textPlain?.rawBody ?? '').ok).toBe(true);
  });

  it('covers each feature, whatever the seed', () => {
    const labels = planOpenAICases({ ...base, features: { images: true } }).map((c) => c.expectation.label);
    for (const f of [
      'n 2', 'stop as an array', 'logprobs with top_logprobs 2', 'a seed beyond 2^53', 'a stream with include_usage',
      'a stream without include_usage', 'response_format json_object', 'response_format json_schema strict',
      'tool_choice auto', 'tool_choice none', 'tool_choice required', 'tool_choice named (get_weather)',
      'a tool round-trip conversation', 'a multi-part user content', 'a system and a developer message', 'an image part',
      'completions with an array prompt', 'completions logprobs 2', 'the model list',
    ]) {
      expect(labels, f).toContain(`feature: ${f}`);
    }
    for (const b of ['max_tokens = 1', 'temperature = 0', 'temperature = 2', 'top_p = 1', 'frequency_penalty = -2', 'frequency_penalty = 2', 'presence_penalty = -2', 'presence_penalty = 2', 'top_logprobs = 0', 'top_logprobs = 20']) {
      expect(labels.some((l) => l?.startsWith(`${b}:`)), b).toBe(true);
    }
    const either = planOpenAICases(base).filter((c) => c.expectation.purpose === 'boundary' && c.expectation.outcome === 'either').map((c) => c.expectation.label?.split(':')[0]);
    expect(either.sort()).toEqual(['presence_penalty = -2', 'seed = 18446744073709551615', 'top_logprobs = 20', 'top_p = 1']);
  });

  // Rejected requests may keep a form (`prompt: []`): a server without the feature rejects them too.
  // A bare-string stop is what the `either` case "stop as a string" probes while the feature is off.
  const exempt = (c: Case, name: keyof OpenAIFeatures) =>
    c.expectation.outcome === 'reject' || (name === 'stopString' && c.expectation.outcome === 'either');
  it('never uses a feature that is switched off, in any case a server must or may serve', () => {
    const cases = planOpenAICases({ ...base, features: ALL_OFF, maxExamples: 20 });
    for (const c of cases) {
      if (!isObj(c.body)) continue;
      for (const name of OPENAI_FEATURE_NAMES) if (!exempt(c, name)) expect(USES[name](c.body), `${name} in ${c.expectation.label}`).toBe(false);
    }
    for (const name of OPENAI_FEATURE_NAMES) {
      for (const c of planOpenAICases({ ...base, features: { [name]: false }, maxExamples: 10 })) {
        if (isObj(c.body) && !exempt(c, name)) expect(USES[name](c.body), `${name} in ${c.expectation.label}`).toBe(false);
      }
    }
  });

  it('switches tools and response_format off where TGI says grammars are off, and bounds stops and top_logprobs by the limits', () => {
    const cases = planOpenAICases({ ...base, maxExamples: 20, limits: { ...TGI_DEFAULT_LIMITS, grammarSupported: false, maxStopSequences: 1, maxTopNTokens: 1 } });
    for (const c of cases) {
      if (!isObj(c.body) || !isValidRequest(c)) continue;
      expect(USES.tools(c.body) || USES.responseFormat(c.body), c.expectation.label).toBe(false);
      const stop = c.body['stop'];
      if (Array.isArray(stop)) expect(stop.length, c.expectation.label).toBeLessThanOrEqual(1);
      const top = c.body['top_logprobs'];
      if (typeof top === 'number' && c.expectation.outcome === 'accept') expect(top, c.expectation.label).toBeLessThanOrEqual(1);
    }
  });

  it('redraws without the features learned refused, deterministically', () => {
    const random = planOpenAICases({ ...base, maxExamples: 30 }).filter(isRandom);
    expect(random.some((c) => isObj(c.body) && (USES.tools(c.body) || USES.responseFormat(c.body)))).toBe(true);
    const limits = { ...TGI_DEFAULT_LIMITS, openaiFeatures: { tools: false, n: false } };
    const again = random.map((c) => c.redraw?.(limits) ?? null);
    expect(again.map((b) => stringifyJson(b))).toEqual(random.map((c) => stringifyJson(c.redraw?.(limits) ?? null)));
    for (const b of again) {
      expect(isObj(b)).toBe(true);
      if (isObj(b)) expect(USES.tools(b) || USES.n(b)).toBe(false);
    }
    expect(again.some((b) => isObj(b) && USES.responseFormat(b))).toBe(true);
    const noGrammar = random.map((c) => c.redraw?.({ ...TGI_DEFAULT_LIMITS, grammarSupported: false }) ?? null);
    for (const b of noGrammar) if (isObj(b)) expect(USES.tools(b) || USES.responseFormat(b)).toBe(false);
    for (const [i, b] of again.entries()) {
      const c = random[i];
      if (c !== undefined) expect(contract.requestRejectReasons(b, kindOf(c))).toEqual([]);
    }
  });

  it('names only offered tools, and every JSON Schema it sends compiles under ajv', () => {
    let named = 0;
    let schemas = 0;
    for (let seed = 1; seed <= 10; seed++) {
      for (const c of planOpenAICases({ ...base, seed, maxExamples: 10 })) {
        if (!isObj(c.body) || !isValidRequest(c)) continue;
        const tools = Array.isArray(c.body['tools']) ? c.body['tools'].filter(isObj) : [];
        const names = tools.map((t) => (isObj(t['function']) ? t['function']['name'] : undefined));
        const choice = c.body['tool_choice'];
        if (isObj(choice)) {
          named++;
          expect(names, c.expectation.label).toContain(isObj(choice['function']) ? choice['function']['name'] : undefined);
        }
        for (const m of messagesOf(c.body)) {
          for (const call of Array.isArray(m['tool_calls']) ? m['tool_calls'].filter(isObj) : []) {
            expect(names).toContain(isObj(call['function']) ? call['function']['name'] : undefined);
          }
        }
        const found = tools.flatMap((t) => (isObj(t['function']) && isObj(t['function']['parameters']) ? [t['function']['parameters']] : []));
        const rf = c.body['response_format'];
        if (isObj(rf) && isObj(rf['json_schema']) && isObj(rf['json_schema']['schema'])) found.push(rf['json_schema']['schema']);
        for (const s of found) {
          schemas++;
          expect(() => ajv.compile(s), c.expectation.label).not.toThrow();
        }
      }
    }
    expect(named).toBeGreaterThan(0);
    expect(schemas).toBeGreaterThan(10);
  });

  it('plans auth cases only when a token is required', () => {
    expect(planOpenAICases(base).some((c) => c.expectation.purpose === 'auth')).toBe(false);
    const auth = planOpenAICases({ ...base, authRequired: true }).filter((c) => c.expectation.purpose === 'auth');
    expect(auth.map((c) => [c.auth, c.expectation.outcome])).toEqual([
      ['missing', 'reject'],
      ['wrong', 'reject'],
      ['default', 'accept'],
    ]);
  });

  it('rejects bad options eagerly', () => {
    expect(() => planOpenAICases({ ...base, maxExamples: -1 })).toThrow(/maxExamples/);
    expect(() => planOpenAICases({ ...base, features: { warp: true } as Partial<OpenAIFeatures> })).toThrow(/unknown feature/);
  });
});

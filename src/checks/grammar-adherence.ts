import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { GrammarType } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import { parseJson, toApproximate } from '../core/json.js';
import type { CheckDefinition, CheckKind } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { createSchemaCache, type Compiled } from './_internals/schema-cache.js';
import { isSimple, satisfies } from './_internals/simple-schema.js';
import { findingReporter } from './_internals/findings.js';
import { quote } from './_internals/generated-text.js';
import { onExchange, withDetails, type CheckResult } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { finalEvent, noFinalEventReason } from './_internals/stream-outcome.js';

const ID = 'grammar-adherence';

const KINDS = {
  'regex-not-matched': {
    severity: 'violation',
    title: 'the output does not match the regex grammar',
  },
  'json-not-parsed': {
    severity: 'violation',
    title: 'the output of a JSON grammar is not JSON',
  },
  'json-schema-not-satisfied': {
    severity: 'violation',
    title: 'the output does not satisfy the JSON Schema grammar',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/**
 * A grammar turned into a test of the whole generated text; a skip reason when it cannot be. A
 * JSON grammar keeps its schema (without `$schema`) and its JSON text, the key of its compiled
 * validator; `simple` when `satisfies` can judge it (see there).
 */
type Matcher =
  | { kind: 'regex'; test: (text: string) => boolean; source: string }
  | { kind: 'json'; schema: Record<string, unknown>; key: string; simple: boolean };

/**
 * The regex as JavaScript can run it, anchored: a full match, as outlines' FSM requires. Python's
 * named groups `(?P<name>` become `(?<name>`; the `u` flag first (so that `.` is one code point,
 * as in Python), without it where the pattern uses escapes `u` refuses (`\-`).
 */
function regexMatcher(source: string): Matcher | string {
  const js = source.replace(/\(\?P</g, '(?<');
  for (const flags of ['u', '']) {
    try {
      const re = new RegExp(`^(?:${js})$`, flags);
      return { kind: 'regex', test: (text) => re.test(text), source };
    } catch {
      // try the next flags
    }
  }
  return `the regex ${quote(source)} does not compile as a JavaScript RegExp (Python-only syntax): it cannot be judged here`;
}

/**
 * Compiled schemas by their JSON text: a run sends the same few schemas many times. The key keeps
 * the schema's key order (not a canonical text): ajv's first error, which the finding quotes,
 * follows that order.
 */
const schemaCache = createSchemaCache();

/** ajv's validator of a schema (draft 2020-12, as TGI validates it), or why it does not compile. */
function compiledValidator(schema: Record<string, unknown>, key: string): ValidateFunction | string {
  return wordCompiled(schemaCache.compile(key, schema));
}

function wordCompiled(validate: Compiled): ValidateFunction | string {
  return typeof validate === 'function' ? validate : `the grammar's JSON Schema does not compile (${validate.error}): it cannot be judged here`;
}

/*
 * Most grammars are small schemas of a few keywords, each sent once (the arbitraries draw them at
 * random), and compiling one with ajv costs about a millisecond, more than judging the rest of
 * the exchange: such a schema is interpreted instead (./_internals/simple-schema.ts), and compiled
 * only if an output fails the interpreter.
 */

function schemaMatcher(schemaValue: unknown): Matcher | string {
  let schema: unknown = schemaValue;
  if (typeof schema === 'string') {
    const parsed = parseJson(schema);
    if (!parsed.ok) return 'the grammar\'s schema string is not JSON: the server rejects such a request';
    schema = parsed.value;
  }
  schema = toApproximate(schema);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'the grammar\'s schema is not an object';
  // The meta-schema reference may name another draft; TGI validates against 2020-12 (V:360-375).
  const { $schema: _draft, ...rest } = schema as Record<string, unknown>;
  const key = JSON.stringify(rest);
  const seen = schemaCache.peek(key);
  const known = seen === undefined ? undefined : wordCompiled(seen);
  if (typeof known === 'string') return known;
  // A simple schema compiles: it is compiled only if an output fails it.
  const simple = known === undefined && isSimple(rest);
  if (!simple) {
    const validate = compiledValidator(rest, key);
    if (typeof validate === 'string') return validate;
  }
  return { kind: 'json', schema: rest, key, simple };
}
function matcherOf(grammar: GrammarType): Matcher | string {
  switch (grammar.type) {
    case 'regex':
      return typeof grammar.value === 'string' ? regexMatcher(grammar.value) : 'the regex grammar has no string value';
    case 'json':
    case 'json_object':
      return schemaMatcher(grammar.value);
    case 'json_schema':
      return schemaMatcher(grammar.value?.schema);
    default:
      return 'an unknown grammar type';
  }
}

/** Why a text fails the grammar, or undefined when it passes. */
function failure(matcher: Matcher, text: string): { kind: keyof typeof KINDS; why: string } | undefined {
  if (matcher.kind === 'regex') {
    return matcher.test(text) ? undefined : { kind: 'regex-not-matched', why: `does not fully match the regex ${quote(matcher.source)}` };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: 'json-not-parsed', why: `is not JSON (${parsed.error})` };
  const instance = toApproximate(parsed.value);
  // The interpreter's yes is ajv's yes; anything else is decided (and worded) by ajv itself.
  if (matcher.simple && satisfies(matcher.schema, instance)) return undefined;
  const validate = compiledValidator(matcher.schema, matcher.key);
  if (typeof validate === 'string') return undefined; // unreachable: compiling was checked up front
  if (validate(instance)) return undefined;
  const first = validate.errors?.[0];
  const where = first === undefined ? '' : ` (${first.instancePath || '/'} ${first.message ?? 'is not valid'})`;
  return { kind: 'json-schema-not-satisfied', why: `does not satisfy the schema${where}` };
}

/**
 * The generated parts a text may be: without the prompt where return_full_text prefixes it, or
 * either way where the default is unknown (`POST /` unset).
 */
function candidates(text: string, view: Parameters<typeof effectiveParameters>[0]): string[] {
  const params = effectiveParameters(view);
  if (params === undefined) return [text];
  const prefixed = text.startsWith(params.inputs);
  if (params.returnFullText === true) return [prefixed ? text.slice(params.inputs.length) : text];
  if (params.returnFullText === 'either' && prefixed) return [text.slice(params.inputs.length), text];
  return [text];
}

interface Output {
  label: string;
  text: string;
  finishReason: string;
  pointer: string;
  event?: number;
}

function judge(matcher: Matcher, output: Output, view: Parameters<typeof effectiveParameters>[0]): Finding[] | string {
  if (output.finishReason !== 'eos_token') return output.finishReason;
  const parts = candidates(output.text, view);
  let seen: { kind: keyof typeof KINDS; why: string } | undefined;
  for (const part of parts) {
    const f = failure(matcher, part);
    if (f === undefined) return [];
    seen ??= f;
  }
  if (seen === undefined) return [];
  return [
    report(seen.kind, {
      message: `${output.label}: the request has a ${matcher.kind === 'regex' ? 'regex' : 'JSON'} grammar and the generation ended with the end-of-sequence token, so the grammar was completed, but the generated text ${quote(parts[0] ?? output.text)} ${seen.why}`,
      pointer: output.pointer,
      ...(output.event !== undefined ? { event: output.event } : {}),
    }),
  ];
}

/** Collects the findings of several outputs, or the skip reason when none of them was judged. */
function combine(results: (Finding[] | string)[]): CheckResult {
  const judged = results.filter((r): r is Finding[] => Array.isArray(r));
  if (judged.length > 0) return judged.flat();
  const reasons = [...new Set(results.filter((r): r is string => typeof r === 'string'))];
  return {
    skip: `the generation did not complete the grammar (finish_reason ${reasons.join(', ') || 'unknown'}): a stop string or max_new_tokens cut it`,
  };
}

/**
 * A generation that followed a grammar to its end gives text the grammar accepts: with a regex
 * grammar, generated_text (minus the prompt where return_full_text prefixes it) fully matches the
 * regex; with a JSON grammar (`json`, `json_object`, `json_schema`), it parses as JSON and
 * satisfies the schema (draft 2020-12, as TGI validates it). Judged only where the output ended
 * with the end-of-sequence token (finish_reason `eos_token`, which details carry): a generation
 * cut by max_new_tokens (`length`) or by a stop string (`stop_sequence`, which stops at any token
 * end, mid-grammar) is an unfinished match. Regexes with Python-only syntax, and schemas that do
 * not compile here, are skipped with the reason. Non-stream responses (each best_of sequence too)
 * and a stream's final generated_text.
 *
 * @see ../../shared/reference/tgi-behavior.md §2a (grammar), §2c rules 17-19
 */
export const grammarAdherence: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'grammar-constrained output matches its grammar',
  rule:
    'With a grammar, an output that ended with the end-of-sequence token (finish_reason eos_token) fully matches the regex, or parses as JSON that satisfies the JSON Schema (draft 2020-12); outputs cut by length or a stop string are not judged.',
  source: 'tgi-behavior.md §2a (grammar: json, json_object, regex, json_schema) and §2c rules 17-19; tgi-behavior.md §2b N-2 (a generation cut by max_new_tokens is unfinished); TGI router/src/validation.rs:351-399',
  appliesTo: 'both',
  kinds: KINDS,
  run(view): CheckResult {
    const grammar = view.request?.parameters?.grammar;
    if (grammar === undefined || grammar === null) return { skip: 'the request has no grammar' };
    const matcher = matcherOf(grammar);
    if (typeof matcher === 'string') return { skip: matcher };
    return onExchange(view, {
      response: (response) =>
        withDetails(response, () =>
          combine(
            sequencesOf(response).map((s) =>
              judge(matcher, { label: s.label, text: s.generatedText, finishReason: s.details.finish_reason, pointer: s.textPointer }, view),
            ),
          ),
        ),
      stream: (events) => {
        const final = finalEvent(view, events);
        if (final === undefined) return { skip: noFinalEventReason(view) };
        if (final.details === undefined) return { skip: 'the final event has no details (not requested): its finish_reason is unknown' };
        if (final.generatedText === undefined) return { skip: 'the final event has no generated_text' };
        return combine([
          judge(
            matcher,
            { label: 'the final event', text: final.generatedText, finishReason: final.details.finish_reason, pointer: '/generated_text', event: final.position },
            view,
          ),
        ]);
      },
    });
  },
};

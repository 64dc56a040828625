import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';
import { parseJson } from '../../core/json.js';
import type { CheckDefinition, CheckKind } from '../check.js';
import { findingReporter } from '../_internals/findings.js';
import { quote } from '../_internals/generated-text.js';
import { answerOf, at, chatRequestOf, isRecord, show } from './_internals/choices.js';
import { schemaTest, type SchemaTest } from './_internals/json-schema.js';

const ID = 'openai-response-format';

/*
 * Severities (verdict-policy, "The OpenAI-compatible routes"): JSON content is judged only when
 * finish_reason is not "length"; a JSON mode that is served but gives no JSON is served wrong (a
 * violation); a departure from `json_schema.schema` is a violation only with `strict: true`,
 * otherwise a warning.
 */
const KINDS = {
  'not-json': {
    severity: 'violation',
    title: 'response_format asks for JSON but the content does not parse as JSON',
  },
  schema: {
    severity: 'violation',
    title: 'the content does not satisfy the strict response_format JSON Schema',
  },
  'schema-loose': {
    severity: 'warning',
    title: 'the content does not satisfy the (non-strict) response_format JSON Schema',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

/** finish_reason values that cut the content short: it is not judged then. */
const CUT = new Set<unknown>(['length', 'content_filter']);

/**
 * With `response_format` `json_object` or `json_schema`, a choice's content (a stream's assembled
 * content) parses as JSON, and for `json_schema` satisfies `json_schema.schema` (a violation with
 * `strict: true`, a warning otherwise). Not judged where the generation was cut (finish_reason
 * "length" or "content_filter"), where a stream's choice never finished, or where the choice has
 * no string content (a refusal, tool calls). Chat only: /v1/completions has no response_format.
 */
export const openaiResponseFormat: CheckDefinition<OpenAIExchangeView> = {
  id: ID,
  severity: 'violation',
  title: 'content follows response_format (JSON, JSON Schema)',
  rule:
    'With response_format json_object or json_schema, the content parses as JSON; with json_schema it satisfies the schema (a violation with strict: true, else a warning). Not judged when finish_reason is "length".',
  source:
    'openai-behavior.md §1 (response_format); verdict-policy.md, "The OpenAI-compatible routes" (JSON content judged only when finish_reason is not length; a JSON Schema is a violation only with strict: true; served but wrong is a violation)',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    if (view.kind !== 'chat') return { skip: 'response_format exists on the chat route only' };
    const request = chatRequestOf(view);
    if (request === undefined) return { skip: 'the request is unknown or invalid: its response_format is unknown' };
    const format: unknown = request.response_format;
    if (!isRecord(format) || (format.type !== 'json_object' && format.type !== 'json_schema')) {
      return { skip: 'the request asks for no JSON response_format' };
    }
    let test: SchemaTest | undefined;
    let strict = false;
    if (format.type === 'json_schema' && isRecord(format.json_schema)) {
      strict = format.json_schema.strict === true;
      const schema = format.json_schema.schema;
      if (schema !== undefined && schema !== null) {
        const t = schemaTest(schema);
        // A schema ajv cannot compile leaves only the JSON rule to judge.
        if (t instanceof Function) test = t;
      }
    }
    const answer = answerOf(view);
    if ('skip' in answer) return answer;
    const findings: Finding[] = [];
    let judged = 0;
    for (const choice of answer.choices) {
      const finish = choice.finishReason;
      if (finish === null || finish === undefined || CUT.has(finish) || choice.content === undefined) continue;
      judged++;
      const parsed = parseJson(choice.content);
      if (!parsed.ok) {
        findings.push(
          report('not-json', {
            message: `${choice.label}: response_format ${show(format.type)} asks for JSON, but the content ${quote(choice.content)} does not parse (${parsed.error}); finish_reason ${show(finish)}`,
            ...at(choice.contentPlace),
          }),
        );
        continue;
      }
      const why = test?.(parsed.value);
      if (why === undefined) continue;
      findings.push(
        report(strict ? 'schema' : 'schema-loose', {
          message: `${choice.label}: the content ${quote(choice.content)} does not satisfy response_format.json_schema.schema: ${why}${strict ? ' (json_schema.strict is true)' : ' (json_schema.strict is not true, so servers need not enforce it)'}`,
          ...at(choice.contentPlace),
        }),
      );
    }
    if (judged === 0) return { skip: 'no choice finished with content to judge (cut by length, unfinished, or no content)' };
    return findings;
  },
};

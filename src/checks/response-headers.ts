import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition, CheckKind } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { headerValue, nonNegativeInteger, nonNegativeNumber } from './_internals/header-values.js';
import { finalEvent } from './_internals/stream-outcome.js';

const ID = 'response-headers';

/*
 * Severities. Gateways strip x-* headers, so only headers that are present are judged
 * (verdict-policy item 16). A count that disagrees with the body or the request, or a value that
 * is not a number, misinforms whoever reads it: a violation. `X-Accel-Buffering: no` and
 * `cache-control: no-cache` on streams are TGI's (and axum's) habits, which keep proxies from
 * buffering or caching a stream; another value is a warning.
 */
const KINDS = {
  'compute-characters-mismatch': {
    severity: 'violation',
    title: 'x-compute-characters is not the number of code points of inputs',
  },
  'generated-tokens-mismatch': {
    severity: 'violation',
    title: 'x-generated-tokens is not details.generated_tokens',
  },
  'prompt-tokens-exceed-truncate': {
    severity: 'violation',
    title: 'x-prompt-tokens exceeds truncate',
  },
  'invalid-count': {
    severity: 'violation',
    title: 'a count header is not a non-negative integer',
  },
  'invalid-time': {
    severity: 'violation',
    title: 'a time header is not a non-negative number',
  },
  'accel-buffering-not-no': {
    severity: 'warning',
    title: 'x-accel-buffering on a stream is not "no"',
  },
  'stream-cacheable': {
    severity: 'warning',
    title: 'cache-control on a stream does not forbid caching',
  },
} as const satisfies Record<string, CheckKind>;

const report = findingReporter(ID, KINDS);

const COUNT_HEADERS = ['x-compute-characters', 'x-prompt-tokens', 'x-generated-tokens'] as const;

// x-compute-time is decimal seconds (`as_secs_f64()`), the others integer milliseconds
// (S:379-412); any non-negative number is accepted everywhere rather than flagging a format.
const TIME_HEADERS = ['x-compute-time', 'x-total-time', 'x-validation-time', 'x-queue-time', 'x-inference-time', 'x-time-per-token'] as const;

type Counts = Partial<Record<(typeof COUNT_HEADERS)[number], number>>;

function formats(headers: Readonly<Record<string, string>>, counts: Counts): Finding[] {
  const out: Finding[] = [];
  for (const name of COUNT_HEADERS) {
    const text = headerValue(headers, name);
    if (text === undefined) continue;
    const value = nonNegativeInteger(text);
    if (value === undefined) out.push(report('invalid-count', { message: `${name}: ${JSON.stringify(text)} is not a non-negative integer` }));
    else counts[name] = value;
  }
  for (const name of TIME_HEADERS) {
    const text = headerValue(headers, name);
    if (text !== undefined && nonNegativeNumber(text) === undefined) {
      out.push(report('invalid-time', { message: `${name}: ${JSON.stringify(text)} is not a non-negative number` }));
    }
  }
  return out;
}

/** details.generated_tokens of the response or of the stream's final event, when present. */
function generatedTokens(view: ExchangeView): number | undefined {
  if (!view.streamed) return view.response?.details?.generated_tokens;
  return view.events === undefined ? undefined : finalEvent(view, view.events)?.details?.generated_tokens;
}

function counts(view: ExchangeView, seen: Counts): Finding[] {
  const out: Finding[] = [];
  const inputs = view.request?.inputs;
  const characters = seen['x-compute-characters'];
  if (characters !== undefined && typeof inputs === 'string') {
    // Rust `chars().count()`: Unicode scalar values, not UTF-16 units ("😀" is 1, not 2).
    const want = [...inputs].length;
    if (characters !== want) {
      out.push(
        report('compute-characters-mismatch', {
          message: `x-compute-characters is ${characters}, but inputs has ${want} code points (${inputs.length} UTF-16 units)`,
        }),
      );
    }
  }
  const generated = seen['x-generated-tokens'];
  const details = generatedTokens(view);
  if (generated !== undefined && details !== undefined && generated !== details) {
    out.push(report('generated-tokens-mismatch', { message: `x-generated-tokens is ${generated}, but details.generated_tokens is ${details}` }));
  }
  const prompt = seen['x-prompt-tokens'];
  const truncate = effectiveParameters(view)?.truncate;
  if (prompt !== undefined && truncate !== undefined && prompt > truncate) {
    out.push(
      report('prompt-tokens-exceed-truncate', {
        message: `x-prompt-tokens is ${prompt}, more than truncate ${truncate}; it counts the input tokens after truncation`,
      }),
    );
  }
  return out;
}

function streamHabits(headers: Readonly<Record<string, string>>): Finding[] {
  const out: Finding[] = [];
  const buffering = headerValue(headers, 'x-accel-buffering');
  if (buffering !== undefined && buffering.toLowerCase() !== 'no') {
    out.push(report('accel-buffering-not-no', { message: `x-accel-buffering is ${JSON.stringify(buffering)}; TGI sends "no" so that proxies pass events on at once` }));
  }
  const cache = headers['cache-control'];
  if (cache !== undefined && !/\bno-cache\b|\bno-store\b|\bmax-age\s*=\s*0\b/i.test(cache)) {
    out.push(report('stream-cacheable', { message: `cache-control is ${JSON.stringify(cache)} on a stream; axum sends "no-cache"` }));
  }
  return out;
}

/**
 * N-13: where present, x-compute-characters is the number of Unicode code points of `inputs`,
 * x-generated-tokens equals details.generated_tokens, x-prompt-tokens is the input length after
 * truncation (so at most `truncate`), and the time headers are non-negative numbers
 * (tgi-behavior.md §2b N-13; verdict-policy item 16; TGI router/src/server.rs:379-412, 525-530).
 * The content type of a stream is response-kind's rule.
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/server.rs#L379
 */
export const responseHeaders: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'x-* headers agree with the request and the body',
  rule:
    'Where present: x-compute-characters = code points of inputs; x-generated-tokens = details.generated_tokens; x-prompt-tokens a non-negative integer ≤ truncate; time headers non-negative numbers. On streams, x-accel-buffering other than "no" or a cacheable cache-control is a warning.',
  source: 'tgi-behavior.md §2b N-13; verdict-policy item 16; TGI router/src/server.rs:379-412, 525-530',
  appliesTo: 'both',
  kinds: KINDS,
  run(view) {
    const headers = view.headers;
    if (headers === undefined) return { skip: 'no response headers recorded' };
    if (view.status < 200 || view.status >= 300) return { skip: 'not a 2xx: TGI sends these headers with answers only' };
    const seen: Counts = {};
    const findings = formats(headers, seen);
    findings.push(...counts(view, seen));
    if (view.streamed) findings.push(...streamHabits(headers));
    return findings;
  },
};

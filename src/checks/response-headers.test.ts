import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { caseOutcome, rejectedWith } from './__fixtures__/case-builders.js';
import { PROMPT, details, eos, nonStream, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { responseHeaders } from './response-headers.js';

const out = [tok(' Deep'), tok(' learning'), eos()];
const EMOJI = 'Hi 😀👍🏽 café'; // 11 code points, 14 UTF-16 units, 21 UTF-8 bytes

/** TGI's non-stream headers for `out` on PROMPT (S:379-412). */
const TGI = {
  'content-type': 'application/json',
  'x-compute-type': '1-nvidia-a10g',
  'x-compute-time': '0.018473512',
  'x-compute-characters': String(PROMPT.length),
  'x-total-time': '18',
  'x-validation-time': '1',
  'x-queue-time': '0',
  'x-inference-time': '17',
  'x-time-per-token': '5',
  'x-prompt-tokens': '6',
  'x-generated-tokens': '3',
};

/** TGI's stream headers (S:525-530) and axum's. */
const TGI_STREAM = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-compute-type': '1-nvidia-a10g',
  'x-compute-characters': String(PROMPT.length),
  'x-accel-buffering': 'no',
};

const withHeaders = (view: ExchangeView, headers: Record<string, string>): ExchangeView => ({ ...view, headers });
const plain = (headers: Record<string, string>, o: Parameters<typeof nonStream>[0] = {}): ExchangeView =>
  withHeaders(nonStream({ details: details(out), ...o }), headers);
const streamed = (headers: Record<string, string>): ExchangeView =>
  withHeaders(stream({ tokens: out, details: streamDetails(3) }), headers);

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on TGI\'s headers', { given: plain(TGI), want: [] }],
  ['silent on TGI\'s stream headers', { given: streamed(TGI_STREAM), want: [] }],
  ['silent when a gateway stripped every x-* header', { given: plain({ 'content-type': 'application/json' }), want: [] }],
  ['silent on a stream without cache-control or x-accel-buffering', { given: streamed({ 'content-type': 'text/event-stream' }), want: [] }],
  [
    'silent on x-compute-characters counting code points of an emoji input (not UTF-16 units)',
    { given: plain({ ...TGI, 'x-compute-characters': '11' }, { inputs: EMOJI }), want: [] },
  ],
  [
    'fires on x-compute-characters counting UTF-16 units',
    { given: plain({ ...TGI, 'x-compute-characters': '14' }, { inputs: EMOJI }), want: ['violation:compute-characters-mismatch'] },
  ],
  ['fires on x-compute-characters counting UTF-8 bytes', { given: plain({ ...TGI, 'x-compute-characters': '21' }, { inputs: EMOJI }), want: ['violation:compute-characters-mismatch'] }],
  ['fires on x-generated-tokens one more than details (the reference fault)', { given: plain({ ...TGI, 'x-generated-tokens': '4' }), want: ['violation:generated-tokens-mismatch'] }],
  [
    'fires on x-generated-tokens against a stream\'s final details',
    { given: streamed({ ...TGI_STREAM, 'x-generated-tokens': '2' }), want: ['violation:generated-tokens-mismatch'] },
  ],
  ['silent on x-generated-tokens without details to compare', { given: withHeaders(nonStream({ parameters: {} }), { ...TGI, 'x-generated-tokens': '9' }), want: [] }],
  ['silent on x-prompt-tokens equal to truncate', { given: plain({ ...TGI, 'x-prompt-tokens': '5' }, { parameters: { details: true, truncate: 5 } }), want: [] }],
  ['fires on x-prompt-tokens above truncate', { given: plain({ ...TGI, 'x-prompt-tokens': '6' }, { parameters: { details: true, truncate: 5 } }), want: ['violation:prompt-tokens-exceed-truncate'] }],
  ['fires on a negative x-prompt-tokens', { given: plain({ ...TGI, 'x-prompt-tokens': '-1' }), want: ['violation:invalid-count'] }],
  ['fires on a fractional x-generated-tokens', { given: plain({ ...TGI, 'x-generated-tokens': '2.5' }), want: ['violation:invalid-count'] }],
  ['silent on an integer-valued decimal count', { given: plain({ ...TGI, 'x-generated-tokens': '3.0' }), want: [] }],
  ['silent on a header repeated with the same value', { given: plain({ ...TGI, 'x-generated-tokens': '3, 3' }), want: [] }],
  // x-compute-time is decimal seconds (as_secs_f64), the others integer ms: decimals accepted anywhere
  ['silent on decimal milliseconds', { given: plain({ ...TGI, 'x-total-time': '18.4', 'x-queue-time': '0.0' }), want: [] }],
  ['silent on an x-compute-time with an exponent', { given: plain({ ...TGI, 'x-compute-time': '1e-7' }), want: [] }],
  ['fires on a time that is not a number', { given: plain({ ...TGI, 'x-inference-time': '17ms' }), want: ['violation:invalid-time'] }],
  ['fires on a negative time', { given: plain({ ...TGI, 'x-compute-time': '-0.5' }), want: ['violation:invalid-time'] }],
  ['warns on x-accel-buffering yes on a stream', { given: streamed({ ...TGI_STREAM, 'x-accel-buffering': 'yes' }), want: ['warning:accel-buffering-not-no'] }],
  ['warns on a cacheable stream', { given: streamed({ ...TGI_STREAM, 'cache-control': 'public, max-age=60' }), want: ['warning:stream-cacheable'] }],
  ['silent on no-store on a stream', { given: streamed({ ...TGI_STREAM, 'cache-control': 'no-store' }), want: [] }],
  ['skips an exchange without recorded headers', { given: nonStream({ details: details(out) }), want: 'skip' }],
  ['skips an error answer', { given: withHeaders(rejectedWith({ status: 422, error: null }), { 'x-compute-characters': '0' }), want: 'skip' }],
];

describe('response-headers', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(responseHeaders, given)).toEqual(want);
  });

  it('names both counts in its message', () => {
    const result = responseHeaders.run(plain({ ...TGI, 'x-compute-characters': '14' }, { inputs: EMOJI }));
    expect(result).toMatchObject([{ message: expect.stringContaining('11 code points (14 UTF-16 units)') }]);
  });
});

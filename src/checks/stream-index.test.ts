import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import { eos, nonStream, outcome, stream, streamDetails, tok, type Want } from './__fixtures__/builders.js';
import { streamIndex } from './stream-index.js';

const words = [tok(' a'), tok(' b'), tok(' c'), eos()];
const reindex = (indexes: (number | undefined)[]) => (events: { index?: number }[]) =>
  events.forEach((e, i) => {
    const index = indexes[i];
    if (index === undefined) delete e.index;
    else e.index = index;
  });

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on 1..N', { given: stream({ tokens: words }), want: [] }],
  ['silent on 1..N matching details.generated_tokens', { given: stream({ tokens: words, details: streamDetails(4) }), want: [] }],
  ['silent on 1..N before an error event', { given: stream({ tokens: words.slice(0, 2), streamError: { error: 'x', error_type: 'generation' } }), want: [] }],
  ['warns once when no event has an index (older server)', { given: stream({ tokens: words, noIndex: true }), want: ['warning:index-absent'] }],
  [
    'warns on no index and counts events against generated_tokens',
    { given: stream({ tokens: words, noIndex: true, details: streamDetails(5) }), want: ['warning:index-absent', 'violation:token-event-count-mismatch'] },
  ],
  ['fires when some events lack the index', { given: stream({ tokens: words, edit: reindex([1, 2, undefined, 4]) }), want: ['violation:index-partially-absent'] }],
  ['fires on a gap', { given: stream({ tokens: words, edit: reindex([1, 2, 4, 5]) }), want: ['violation:index-not-contiguous'] }],
  ['fires on 0-based indexes', { given: stream({ tokens: words, edit: reindex([0, 1, 2, 3]) }), want: ['violation:index-not-contiguous'] }],
  ['fires on a repeated index', { given: stream({ tokens: words, edit: reindex([1, 2, 2, 3]) }), want: ['violation:index-not-contiguous'] }],
  ['fires when the final index differs from generated_tokens', { given: stream({ tokens: words, details: streamDetails(5) }), want: ['violation:final-index-mismatch'] }],
  ['skips an empty stream', { given: stream({ tokens: [] }), want: 'skip' }],
  ['skips a non-stream exchange', { given: nonStream(), want: 'skip' }],
];

describe('stream-index', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(outcome(streamIndex, given)).toEqual(want);
  });

  it('names the first wrong event', () => {
    const result = streamIndex.run(stream({ tokens: words, edit: reindex([1, 2, 4, 5]) }));
    expect(result).toMatchObject([{ pointer: '/index', event: 2, message: expect.stringContaining('expected index 3') }]);
  });
});

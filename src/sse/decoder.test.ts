import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { createSseDecoder, decodeSse, streamFramingKinds } from './index.js';
import type { SseDecoderLimits, SseDecoderStats, StreamFramingKind } from './index.js';

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);
const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

interface Decoded {
  events: SseEvent[];
  indexes: number[];
  findings: Finding[];
  stopped: boolean;
  stats: SseDecoderStats;
}

function decodeChunks(chunks: readonly (string | Uint8Array)[], limits: SseDecoderLimits = {}): Decoded {
  const events: SseEvent[] = [];
  const indexes: number[] = [];
  const findings: Finding[] = [];
  const decoder = createSseDecoder({
    ...limits,
    onEvent: (event, index) => {
      events.push(event);
      indexes.push(index);
    },
    onFinding: (finding) => {
      findings.push(finding);
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return { events, indexes, findings, stopped: decoder.stopped, stats: decoder.stats };
}

/** Cuts `bytes` before each of the given positions (taken modulo its length). */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

const oneByteAtATime = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));

describe('SSE framing accepted without findings (verdict-policy item 18)', () => {
  const cases: [string, { given: string | Uint8Array; want: SseEvent[] }][] = [
    ['data: without a space', { given: 'data:{"a":1}\n\n', want: [{ data: '{"a":1}' }] }],
    ['data: with one space', { given: 'data: {"a":1}\n\n', want: [{ data: '{"a":1}' }] }],
    ['only one space is stripped', { given: 'data:  x\n\n', want: [{ data: ' x' }] }],
    ['LF', { given: 'data:a\n\ndata:b\n\n', want: [{ data: 'a' }, { data: 'b' }] }],
    ['CRLF', { given: 'data:a\r\n\r\ndata:b\r\n\r\n', want: [{ data: 'a' }, { data: 'b' }] }],
    ['CR', { given: 'data:a\r\rdata:b\r\r', want: [{ data: 'a' }, { data: 'b' }] }],
    [
      'mixed line ends',
      { given: 'data:a\r\n\ndata:b\n\r\ndata:c\r\r\n', want: [{ data: 'a' }, { data: 'b' }, { data: 'c' }] },
    ],
    ['a comment', { given: ': hello\n\ndata:a\n\n', want: [{ data: 'a' }] }],
    ['keep-alives', { given: ':\n\ndata:a\n\n:\n\n', want: [{ data: 'a' }] }],
    ['a comment inside an event', { given: 'data:a\n: note\ndata:b\n\n', want: [{ data: 'a\nb' }] }],
    [
      'event:, id: and retry: lines',
      { given: 'event: token\nid: 1\nretry: 3000\ndata:a\n\n', want: [{ event: 'token', id: '1', data: 'a' }] },
    ],
    ['id: and retry: alone', { given: 'id: 5\n\nretry: 10\n\ndata:a\n\n', want: [{ data: 'a' }] }],
    ['a BOM at the start (text)', { given: '\uFEFFdata:a\n\n', want: [{ data: 'a' }] }],
    ['a BOM at the start (bytes)', { given: bytesOf([0xef, 0xbb, 0xbf], 'data:a\n\n'), want: [{ data: 'a' }] }],
    ['multi-line data, empty line included', { given: 'data:a\ndata:\ndata: b\n\n', want: [{ data: 'a\n\nb' }] }],
    ['a data field without colon', { given: 'data\ndata:x\n\n', want: [{ data: '\nx' }] }],
    ['a final data: [DONE]', { given: 'data:a\n\ndata: [DONE]\n\n', want: [{ data: 'a' }, { data: '[DONE]' }] }],
    ['blank lines between events', { given: '\n\ndata:a\n\n\n\n\ndata:b\n\n\r\n', want: [{ data: 'a' }, { data: 'b' }] }],
    ['an empty stream', { given: '', want: [] }],
    ['non-ASCII data', { given: 'data:{"text":"é😀中文"}\n\n', want: [{ data: '{"text":"é😀中文"}' }] }],
    ['"ï»¿" as text is not a BOM', { given: 'data:ï»¿\n\n', want: [{ data: 'ï»¿' }] }],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    // Arrange
    const bytes = typeof given === 'string' ? utf8(given) : given;
    // Act
    const whole = decodeSse(given);
    const split = decodeChunks(oneByteAtATime(bytes));
    // Assert
    expect(whole).toEqual({ events: want, findings: [] });
    expect(split.events).toEqual(want);
    expect(split.findings).toEqual([]);
    expect(split.indexes).toEqual(want.map((_, i) => i));
  });

  it('flags data: [DONE] in stats, and delivers it as an event', () => {
    const result = decodeChunks(['data:a\n\ndata: [DONE]\n\n']);
    expect(result.stats.done).toBe(true);
    expect(result.events.at(-1)).toEqual({ data: '[DONE]' });
  });

  it('counts the event size in UTF-8 bytes, exactly at the limit', () => {
    // 'data:' 5 + 12 × 'é' 24 + '\n' 1 = 30 bytes, 18 UTF-16 units.
    const given = `data:${'é'.repeat(12)}\n\n`;
    expect(decodeSse(given, { maxEventBytes: 30 }).findings).toEqual([]);
    expect(decodeSse(given, { maxEventBytes: 29 }).findings.map((f) => f.kind)).toEqual(['event-too-large']);
    expect(decodeSse(utf8(given), { maxEventBytes: 29 }).findings.map((f) => f.kind)).toEqual(['event-too-large']);
  });
});

describe('SSE framing faults', () => {
  interface FaultCase {
    given: string | Uint8Array;
    limits?: SseDecoderLimits;
    kind: StreamFramingKind;
    /** The data events delivered before or despite the fault. */
    events: string[];
    event?: number;
    mentions: string;
    stops?: boolean;
  }
  const cases: [string, FaultCase][] = [
    [
      'an event larger than maxEventBytes',
      {
        given: `data:a\n\ndata:${'x'.repeat(50)}\n\ndata:b\n\n`,
        limits: { maxEventBytes: 32 },
        kind: 'event-too-large',
        events: ['a'],
        mentions: 'byte 8',
        stops: true,
      },
    ],
    [
      'an event larger than maxEventBytes in UTF-8 bytes only',
      {
        given: `data:${'é'.repeat(20)}\n\n`,
        limits: { maxEventBytes: 30 },
        kind: 'event-too-large',
        events: [],
        mentions: 'byte 0',
        stops: true,
      },
    ],
    [
      'more than maxEvents',
      {
        given: 'data:a\n\n:\n\ndata:b\n\ndata:c\n\ndata:d\n\n',
        limits: { maxEvents: 2 },
        kind: 'too-many-events',
        events: ['a', 'b'],
        event: 2,
        mentions: 'byte 19',
        stops: true,
      },
    ],
    [
      'an invalid UTF-8 byte',
      {
        given: bytesOf('data:a\n\ndata:b', [0xff], '\n\n'),
        kind: 'invalid-utf8',
        events: ['a'],
        mentions: 'byte 14',
        stops: true,
      },
    ],
    [
      'an encoded surrogate',
      {
        given: bytesOf('data:', [0xed, 0xa0, 0x80], '\n\n'),
        kind: 'invalid-utf8',
        events: [],
        mentions: 'byte 5',
        stops: true,
      },
    ],
    [
      'a stream ending inside a character',
      {
        given: bytesOf('data:a\n\ndata:', [0xe2, 0x82]),
        kind: 'invalid-utf8',
        events: ['a'],
        mentions: 'byte 13',
        stops: true,
      },
    ],
    [
      'a stream ending inside an event',
      {
        given: 'data:a\n\ndata:{"index":2,"tok',
        kind: 'unterminated-event',
        events: ['a'],
        event: 1,
        mentions: 'byte 8',
      },
    ],
    [
      'a stream ending after one newline',
      { given: 'data:a\n', kind: 'unterminated-event', events: [], event: 0, mentions: 'byte 0' },
    ],
    [
      'a stream ending after a comment without a blank line',
      { given: 'data:a\n\n: ping\n', kind: 'unterminated-trailer', events: ['a'], mentions: 'byte 8' },
    ],
    [
      'a named event without data',
      { given: 'data:a\n\nevent: error\n\n', kind: 'event-without-data', events: ['a'], mentions: '"error"' },
    ],
    [
      'data after [DONE]',
      {
        given: 'data: [DONE]\n\ndata:a\n\n',
        kind: 'data-after-done',
        events: ['[DONE]', 'a'],
        event: 1,
        mentions: 'byte 14',
      },
    ],
    ['empty data', { given: 'data:a\n\ndata:\n\n', kind: 'empty-data', events: ['a', ''], event: 1, mentions: 'byte 8' }],
    [
      'a raw JSON line without data:',
      {
        given: '{"error":"boom","error_type":"generation"}\n\n',
        kind: 'unknown-field',
        events: [],
        mentions: '{\\"error\\":\\"boom\\"',
      },
    ],
    ['Data: (field names are case-sensitive)', { given: 'Data: x\n\n', kind: 'unknown-field', events: [], mentions: 'Data: x' }],
    ['a raw token JSON line', { given: '{"token":{}}\n\n', kind: 'unknown-field', events: [], mentions: 'token' }],
    ['an extension field clients ignore', { given: 'heartbeat: 1\ndata:a\n\n', kind: 'ignored-field', events: ['a'], mentions: 'heartbeat' }],
    [
      'a BOM after the start',
      { given: 'data:a\n\n\uFEFFdata:b\n\n', kind: 'unknown-field', events: ['a'], mentions: 'byte 8' },
    ],
    [
      'a retry that is not a number',
      { given: 'retry: soon\n\ndata:a\n\n', kind: 'invalid-retry', events: ['a'], mentions: '"soon"' },
    ],
  ];

  it.each(cases)('%s', (_name, c) => {
    // Arrange
    const bytes = typeof c.given === 'string' ? utf8(c.given) : c.given;
    // Act
    const results = [decodeChunks([c.given], c.limits), decodeChunks(oneByteAtATime(bytes), c.limits)];
    // Assert
    for (const result of results) {
      expect(result.events.map((e) => e.data)).toEqual(c.events);
      expect(result.findings).toHaveLength(1);
      const [finding] = result.findings;
      expect(finding).toMatchObject({
        check: 'stream-framing',
        kind: c.kind,
        severity: streamFramingKinds[c.kind].severity,
        title: streamFramingKinds[c.kind].title,
      });
      expect(finding?.event).toBe(c.event);
      expect(finding?.message).toContain(c.mentions);
      expect(result.stopped).toBe(c.stops ?? false);
    }
  });

  it('covers every finding kind but parser-error (eventsource-parser 3.1.1 has no other error)', () => {
    const covered = new Set(cases.map(([, c]) => c.kind));
    const kinds = Object.keys(streamFramingKinds).filter((k) => k !== 'parser-error');
    expect([...covered].sort()).toEqual(kinds.sort());
  });

  it('reports each kind once per stream and counts the rest', () => {
    const result = decodeChunks(['data:\n\ndata:\n\ndata:\n\n']);
    expect(result.findings.map((f) => f.kind)).toEqual(['empty-data']);
    expect(result.stats.suppressedFindings).toBe(2);
    expect(result.events).toHaveLength(3);
  });

  it('reports text fed after bytes that stopped inside a character', () => {
    const result = decodeChunks([bytesOf('data:', [0xe2]), 'x\n\n']);
    expect(result.findings.map((f) => f.kind)).toEqual(['invalid-utf8']);
    expect(result.findings[0]?.message).toContain('byte 5');
  });
});

// A model of valid transcripts: events, comments and keep-alives written with any line ends.
const textUnit = fc.oneof(
  fc.constantFrom('a', 'Z', ' ', '{', '"', ':', '\t', 'é', 'ü', '😀', '中', '文', '\u00a0', '\uFEFF'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\r' && c !== '\n'),
);
const lineText = fc.string({ unit: textUnit, maxLength: 12 });
const eol = fc.constantFrom('\n', '\r\n', '\r');
const field = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<{ line: string; value: string }> =>
  fc.tuple(fc.boolean(), value).map(([space, v]) => ({
    line: `${name}:${space ? ' ' : ''}${v}`,
    // SSE strips one space after the colon, whether the writer put one there or not.
    value: !space && v.startsWith(' ') ? v.slice(1) : v,
  }));

interface ModelBlock {
  lines: string[];
  event?: SseEvent;
}

const dataBlock: fc.Arbitrary<ModelBlock> = fc
  .record({
    data: fc.array(field('data', lineText), { minLength: 1, maxLength: 3 }),
    event: fc.option(field('event', lineText), { nil: undefined }),
    // An id holding U+0000 is ignored (WHATWG), so none is written.
    id: fc.option(field('id', fc.string({ unit: textUnit, maxLength: 6 }).filter((v) => !v.includes('\0'))), {
      nil: undefined,
    }),
    comment: fc.option(lineText.map((t) => `:${t}`), { nil: undefined }),
  })
  .map(({ data, event, id, comment }) => {
    const lines = [...(event ? [event.line] : []), ...(id ? [id.line] : []), ...(comment ? [comment] : [])];
    lines.push(...data.map((d) => d.line));
    const sse: SseEvent = { data: data.map((d) => d.value).join('\n') };
    if (event?.value) sse.event = event.value;
    if (id) sse.id = id.value;
    return { lines, event: sse };
  })
  .filter((b) => b.event?.data !== '' && b.event?.data !== '[DONE]');
const otherBlock: fc.Arbitrary<ModelBlock> = fc.oneof(
  fc.constant<ModelBlock>({ lines: [':'] }),
  lineText.map((t) => ({ lines: [`:${t}`] })),
  fc.nat({ max: 99999 }).map((n) => ({ lines: [`retry: ${n}`] })),
);
const transcript = fc
  .record({
    bom: fc.boolean(),
    blocks: fc.array(fc.oneof({ weight: 3, arbitrary: dataBlock }, { weight: 1, arbitrary: otherBlock }), {
      maxLength: 8,
    }),
    done: fc.boolean(),
    eols: fc.array(eol, { minLength: 64, maxLength: 64 }),
  })
  .map(({ bom, blocks, done, eols }) => {
    const all = done ? [...blocks, { lines: ['data: [DONE]'], event: { data: '[DONE]' } }] : blocks;
    let text = bom ? '\uFEFF' : '';
    let k = 0;
    let previous = '';
    const end = (blank: boolean): string => {
      let e = eols[k++ % eols.length] ?? '\n';
      // A bare CR followed by a blank line written as LF would read as one CRLF.
      if (blank && previous === '\r' && e === '\n') e = '\r\n';
      previous = e;
      return e;
    };
    for (const block of all) {
      for (const line of block.lines) text += line + end(false);
      text += end(true);
    }
    return { text, events: all.flatMap((b) => (b.event ? [b.event] : [])) };
  });

describe('splitting does not change the events', () => {
  test.prop([transcript, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 300 })(
    'a valid transcript split at any bytes decodes to the events it was written from',
    ({ text, events }, cuts) => {
      const bytes = utf8(text);
      const whole = decodeSse(bytes);
      expect(whole).toEqual({ events, findings: [] });
      expect(decodeSse(text)).toEqual(whole);
      const split = decodeChunks(splitAt(bytes, cuts));
      expect(split.events).toEqual(events);
      expect(split.findings).toEqual([]);
      expect(split.stats.bytes).toBe(bytes.length);
    },
  );

  test.prop([transcript, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 100 })(
    'the same transcript as text split at any UTF-16 unit decodes the same',
    ({ text, events }, cuts) => {
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length));
      const split = decodeChunks(chunks);
      expect(split.events).toEqual(events);
      expect(split.findings).toEqual([]);
    },
  );

  it('splits inside é, 😀 and CJK characters and between CR and LF', () => {
    const text = 'data:{"text":"é😀中文"}\r\n\r\ndata:ü\r\rdata:😀😀\n\n';
    const bytes = utf8(text);
    const want = decodeSse(text);
    expect(want.findings).toEqual([]);
    expect(want.events).toHaveLength(3);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toMatchObject(want);
    }
    expect(decodeChunks(oneByteAtATime(bytes))).toMatchObject(want);
  });

  // Any mix of SSE fragments and bad bytes, with small limits: findings too must not depend on
  // where the stream was split (they quote byte offsets, which must be exact).
  const fragment = fc.oneof(
    fc
      .constantFrom(
        'data:',
        'data: ',
        'event: x',
        'id: 1',
        'retry: 1',
        'retry: x',
        ':',
        'Data:',
        'junk',
        '\n',
        '\r',
        '\r\n',
        '\n\n',
        'é',
        '😀',
        '中',
        '[DONE]',
        'abc',
        '\uFEFF',
      )
      .map(utf8),
    fc.constantFrom([0xff], [0xe2], [0x82], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f]).map((b) => Uint8Array.from(b)),
  );
  const stream = fc
    .array(fragment, { maxLength: 40 })
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  test.prop(
    [
      stream,
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.record({ maxEventBytes: fc.integer({ min: 1, max: 48 }), maxEvents: fc.integer({ min: 1, max: 6 }) }),
    ],
    { numRuns: 500 },
  )('any stream split anywhere yields the same events and findings, within the limits', (bytes, cuts, limits) => {
    const whole = decodeChunks([bytes], limits);
    const split = decodeChunks(splitAt(bytes, cuts), limits);
    expect(split.events).toEqual(whole.events);
    expect(split.findings).toEqual(whole.findings);
    expect(split.stopped).toBe(whole.stopped);
    for (const result of [whole, split]) {
      expect(result.events.length).toBeLessThanOrEqual(limits.maxEvents);
      expect(result.stats.peakBufferedBytes).toBeLessThanOrEqual(limits.maxEventBytes);
      for (const f of result.findings) {
        expect(f.severity).toBe(streamFramingKinds[f.kind as StreamFramingKind].severity);
      }
    }
  });
});

// Resolved from the repository root: the fixtures live beside it, in ../shared.
const repoRoot = new URL('../../', import.meta.url);
const fixture = fileURLToPath(new URL('../shared/fixtures/hf-api-exchanges.jsonl', repoRoot));
const fixtureMissing = !existsSync(fixture);

describe.skipIf(fixtureMissing)(
  `the recorded HF API stream${fixtureMissing ? ' (skipped: ../shared/fixtures not found)' : ''}`,
  () => {
    const recorded = (): string => {
      const lines = readFileSync(fixture, 'utf8').split('\n').filter(Boolean);
      const streams = lines.map((l) => JSON.parse(l) as { stream?: unknown }).filter((x) => typeof x.stream === 'string');
      expect(streams).toHaveLength(1);
      return streams[0]?.stream as string;
    };

    it('decodes into 52 data events with no findings', () => {
      const { events, findings } = decodeSse(recorded());
      expect(findings).toEqual([]);
      expect(events).toHaveLength(52);
      const indexes = events.map((e) => (JSON.parse(e.data) as { index: number }).index);
      expect(indexes).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    });

    it('decodes the same from bytes cut into 1-, 7- and 4096-byte chunks', () => {
      const text = recorded();
      const bytes = utf8(text);
      const want = decodeSse(text);
      for (const size of [1, 7, 4096]) {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        const got = decodeChunks(chunks);
        expect(got.events).toEqual(want.events);
        expect(got.findings).toEqual([]);
        expect(got.indexes).toEqual(want.events.map((_, i) => i));
      }
    });
  },
);

describe('bounds', () => {
  it('stops a 10 MB line without newline at maxEventBytes, holding at most that much', () => {
    // Arrange
    const chunk = utf8('x'.repeat(64 * 1024));
    const findings: Finding[] = [];
    const decoder = createSseDecoder({ onEvent: () => undefined, onFinding: (f) => findings.push(f) });
    // Act
    decoder.feed('data:');
    for (let i = 0; i < 160; i++) decoder.feed(chunk);
    decoder.end();
    // Assert
    expect(decoder.stopped).toBe(true);
    expect(findings.map((f) => f.kind)).toEqual(['event-too-large']);
    expect(decoder.stats.peakBufferedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(decoder.stats.bufferedBytes).toBe(0);
    // Decoding stopped within one chunk of the limit; the rest was ignored.
    expect(decoder.stats.bytes).toBeLessThan(1024 * 1024 + 2 * chunk.length);
  });

  it('stops a 10 MB line fed at once without buffering it', () => {
    const result = decodeChunks([`data:${'x'.repeat(10 * 1024 * 1024)}`]);
    expect(result.findings.map((f) => f.kind)).toEqual(['event-too-large']);
    expect(result.stats.peakBufferedBytes).toBe(0);
  });

  it('holds no events: buffered bytes stay at the unfinished event', () => {
    const decoder = createSseDecoder({ onEvent: () => undefined, onFinding: () => undefined });
    const chunk = utf8('data:{"index":1}\n\n'.repeat(1000));
    for (let i = 0; i < 100; i++) decoder.feed(chunk);
    decoder.feed('data:{"ind');
    expect(decoder.stats).toMatchObject({ events: 100_000, bufferedBytes: 10 });
    expect(decoder.stats.peakBufferedBytes).toBe(10);
  });

  it('stops after the default 100,000 events', () => {
    const result = decodeChunks(['data:x\n\n'.repeat(100_001)]);
    expect(result.events).toHaveLength(100_000);
    expect(result.findings.map((f) => [f.kind, f.event])).toEqual([['too-many-events', 100_000]]);
  });
});

describe('createSseDecoder', () => {
  it('passes each data event its 0-based index among data events', () => {
    const result = decodeChunks([':\n\ndata:a\n\nevent: x\nid: 1\n\ndata:b\n\n']);
    expect(result.indexes).toEqual([0, 1]);
    expect(result.stats).toMatchObject({ events: 2, blocks: 4, comments: 1 });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxEventBytes %s', (value) => {
    expect(() => createSseDecoder({ maxEventBytes: value, onEvent: () => undefined, onFinding: () => undefined })).toThrow(
      /^\[tgc\] createSseDecoder: maxEventBytes must be a positive integer/,
    );
  });

  it('rejects maxEvents 0', () => {
    expect(() => createSseDecoder({ maxEvents: 0, onEvent: () => undefined, onFinding: () => undefined })).toThrow(
      /maxEvents/,
    );
  });

  it('throws when fed after end(), and end() is idempotent', () => {
    const decoder = createSseDecoder({ onEvent: () => undefined, onFinding: () => undefined });
    decoder.end();
    decoder.end();
    expect(() => decoder.feed('data:a\n\n')).toThrow(/^\[tgc\] SseDecoder.feed\(\) called after end\(\)/);
  });

  it('ignores input once stopped', () => {
    const result = decodeChunks(['data:a\n\n', bytesOf([0xff]), 'data:b\n\n'], {});
    expect(result.events).toEqual([{ data: 'a' }]);
    expect(result.stopped).toBe(true);
  });
});

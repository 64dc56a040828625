/**
 * Incremental, bounded `text/event-stream` decoding (check `stream-framing`).
 *
 * Line parsing is eventsource-parser's. This file adds what a conformance checker needs around
 * it: incremental fatal UTF-8 decoding, bounds on event size and count that hold before any byte
 * is buffered, and findings for framing faults.
 *
 * How it works: the decoder finds the blank lines that end events itself (an `indexOf` scan over
 * each chunk), holds the bytes of the unfinished event, and feeds eventsource-parser one whole
 * event at a time. So the parser's own buffer never grows past one event, an event too large
 * is caught while it arrives (a 10 MB line with no newline stops at `maxEventBytes`), and each
 * parser report belongs to a known event and byte offset. The commonest event, one `data:` line
 * ended by LF LF, is delivered without the parser, as the parser would deliver it.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, EventSourceParser, ParseError } from 'eventsource-parser';
import type { SseEvent } from '../core/exchange.js';
import type { Finding, Severity } from '../core/finding.js';
import { createUtf8Decoder, decodeUtf8, firstInvalidUtf8, utf8Length } from './utf8.js';

/** Limits of one decoded stream. */
export interface SseDecoderLimits {
  /**
   * Maximum bytes of one event: its field lines with their line ends, up to the blank line that
   * ends it. Comment-only events (keep-alives) count too. Exceeding it stops decoding.
   * @defaultValue 1 MiB (1_048_576)
   */
  maxEventBytes?: number;
  /**
   * Maximum number of data events. The next one stops decoding, undelivered.
   * @defaultValue 100_000
   */
  maxEvents?: number;
}

/** Options of {@link createSseDecoder}. */
export interface SseDecoderOptions extends SseDecoderLimits {
  /**
   * Receives each data event, in order. `index` is its 0-based position among data events
   * (events without a `data` field, such as keep-alives, get none). A final `data: [DONE]`
   * is delivered as an ordinary event with data `"[DONE]"`: callers decide what it means.
   */
  onEvent: (event: SseEvent, index: number) => void;
  /** Receives each finding of check `stream-framing`, as soon as it is found. */
  onFinding: (finding: Finding) => void;
}

/** Counters of a decoder, as read from {@link SseDecoder.stats} (a snapshot). */
export interface SseDecoderStats {
  /** UTF-8 bytes decoded so far (for string input: the UTF-8 length of the strings). */
  bytes: number;
  /** Data events delivered to `onEvent`. */
  events: number;
  /** Events ended by a blank line, including those without data (comments, keep-alives). */
  blocks: number;
  /** Comment lines (`:` …), keep-alives included. */
  comments: number;
  /** Bytes of the unfinished event the decoder holds now. */
  bufferedBytes: number;
  /** The largest `bufferedBytes` so far: never above `maxEventBytes`. */
  peakBufferedBytes: number;
  /** True once a `data: [DONE]` event was delivered. */
  done: boolean;
  /** Findings not reported because one of the same kind was reported earlier in the stream. */
  suppressedFindings: number;
}

/** An incremental decoder made by {@link createSseDecoder}. */
export interface SseDecoder {
  /**
   * Decodes the next chunk: bytes (split anywhere, even inside a character or a CRLF) or text.
   * Ignored once `stopped`. Throws if called after `end()`.
   */
  feed(chunk: Uint8Array | string): void;
  /** Marks the end of the stream: reports an unfinished event or character. Idempotent. */
  end(): void;
  /** True once a finding stopped decoding (too large, too many, invalid UTF-8). */
  readonly stopped: boolean;
  readonly stats: SseDecoderStats;
}

/** What {@link decodeSse} returns. */
export interface DecodedSse {
  events: SseEvent[];
  findings: Finding[];
}

/**
 * Every finding kind of check `stream-framing`, with its severity. Each kind is reported at most
 * once per stream (its first occurrence); later ones are counted in `stats.suppressedFindings`.
 */
export const streamFramingKinds = {
  /** An event is larger than `maxEventBytes`. Stops decoding. */
  'event-too-large': { severity: 'violation', title: 'SSE event larger than the limit' },
  /** More than `maxEvents` data events. Stops decoding. */
  'too-many-events': { severity: 'violation', title: 'More SSE events than the limit' },
  /** The bytes are not UTF-8 (the only encoding SSE allows). Stops decoding. */
  'invalid-utf8': { severity: 'violation', title: 'SSE stream is not valid UTF-8' },
  /**
   * The stream ended after data lines but before the blank line that ends the event: a
   * spec-compliant client discards the event, so its data is lost.
   */
  'unterminated-event': { severity: 'violation', title: 'SSE stream ended inside an event' },
  /** A data event after `data: [DONE]`: clients stop reading at `[DONE]`, so it is lost. */
  'data-after-done': { severity: 'violation', title: 'SSE data event after [DONE]' },
  /**
   * A line that is no SSE field (`data`, `event`, `id`, `retry`) nor a comment. Clients ignore
   * it, so what it carried never reaches them: typically a raw JSON body sent without `data:`,
   * or `Data:` (field names are case-sensitive). TGI (axum) writes only `data:` lines and `:`
   * keep-alives.
   */
  'unknown-field': { severity: 'violation', title: 'SSE line is not a field' },
  /**
   * A line `name: value` with a field name SSE does not define (`heartbeat: 1`). The SSE spec
   * tells clients to ignore such fields, and nothing that looks like the payload is lost: a
   * warning. A `Data:`-like name or a line of JSON stays `unknown-field`, a violation.
   */
  'ignored-field': { severity: 'warning', title: 'SSE line has a field name clients ignore' },
  /** Any other eventsource-parser error (none known in 3.1.1 besides the ones above). */
  'parser-error': { severity: 'violation', title: 'SSE parse error' },
  /**
   * The stream ended after lines that carry no data (a comment, `id:`, `event:`) without the
   * blank line: nothing of the API's payload is lost, hence a warning.
   */
  'unterminated-trailer': {
    severity: 'warning',
    title: 'SSE stream ended without a blank line after its last lines',
  },
  /**
   * An event with an `event:` name but no `data` field. Well-formed SSE, which a conforming
   * client drops without dispatching (WHATWG "dispatch the event": empty data buffer ⇒ return),
   * so it is not a violation; but this API defines no named events, so a server that sends one
   * most likely meant to tell the client something the client will never see: a warning.
   */
  'event-without-data': { severity: 'warning', title: 'Named SSE event without data' },
  /**
   * An event whose data is the empty string. Allowed by SSE, but clients skip it
   * (@huggingface/inference) or fail to parse it as JSON: a warning at most.
   */
  'empty-data': { severity: 'warning', title: 'SSE event with empty data' },
  /** `retry:` with a value that is not all ASCII digits: clients ignore the field. */
  'invalid-retry': { severity: 'warning', title: 'Invalid SSE retry value' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

/** The `kind` of a `stream-framing` finding. */
export type StreamFramingKind = keyof typeof streamFramingKinds;

const CHECK_ID = 'stream-framing';
const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
const DEFAULT_MAX_EVENTS = 100_000;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BOM = 0xfeff;
// Only run on events that dispatched nothing, to tell a named event without data from a keep-alive.
const EVENT_FIELD = /(?:^|[\r\n])event: ?([^\r\n]*)/;

/**
 * Creates an incremental decoder for one `text/event-stream` body. Memory stays bounded by
 * `maxEventBytes` (the unfinished event), plus the chunk that event started in, plus a few bytes
 * of an unfinished UTF-8 character: events are handed to `onEvent` and not kept.
 *
 * Byte counts (limits, offsets in messages, `stats`) are exact, without re-encoding text:
 * - bytes input: a chunk's decoded text has `fed − held back` bytes, where the UTF-8 decoder
 *   holds back at most one unfinished character (read off the chunk's last 3 bytes). The chunk is
 *   ASCII exactly when that equals its UTF-16 length.
 * - string input: counted (a char-code loop) only when needed: when the next chunk comes, an
 *   offset is quoted or the stats are read, or an event's size is not decided by the bound
 *   below (taken as for non-ASCII text); a stream decoded from one string is never counted.
 * - An event inside a non-ASCII chunk is checked against `maxEventBytes` through the bound
 *   UTF-16 length ≤ UTF-8 bytes ≤ 3 × UTF-16 length, and counted exactly only when the bound
 *   cannot decide; the unfinished event at a chunk's end is counted exactly (it is short, or it is
 *   the whole chunk, whose count is known). The byte offsets quoted in findings are computed only
 *   when a finding is made.
 * So a finding does not depend on where the stream was split.
 *
 * @example
 * ```ts
 * const decoder = createSseDecoder({
 *   onEvent: (event, index) => events.push(JSON.parse(event.data)),
 *   onFinding: (finding) => findings.push(finding),
 * });
 * for await (const chunk of response.body) decoder.feed(chunk);
 * decoder.end();
 * ```
 */
export function createSseDecoder(options: SseDecoderOptions): SseDecoder {
  const maxEventBytes = limit('maxEventBytes', options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES);
  const maxEvents = limit('maxEvents', options.maxEvents, DEFAULT_MAX_EVENTS);
  const { onEvent, onFinding } = options;
  if (typeof onEvent !== 'function' || typeof onFinding !== 'function') {
    throw new TypeError('[tgc] createSseDecoder: options.onEvent and options.onFinding must be functions');
  }

  // Made on first use: a stream given as one string (most of them) needs no byte decoder.
  let utf8Decoder: ReturnType<typeof createUtf8Decoder> | undefined;
  let stopped = false;
  let ended = false;
  let started = false; // some text was seen: a U+FEFF is a BOM only before that
  let carry: Uint8Array | undefined; // the bytes the UTF-8 decoder holds back (≤ 3)

  // Scanner state, carried across chunks.
  let offset = 0; // bytes of text decoded so far, including the current chunk (see `uncounted`)
  // A string chunk whose UTF-8 length is not in `offset` yet: counted only when an offset or the
  // stats are read, or the next chunk comes (most streams are decoded from one string).
  let uncounted: string | undefined;
  let atLineStart = true;
  // The last chunk ended with a CR: 1 = it ended a field line, 2 = it was the blank line ending an
  // event. Either way an LF opening the next chunk belongs to that CR.
  let pendingCr: 0 | 1 | 2 = 0;
  let pieces: string[] = []; // the unfinished event
  let pendingBytes = 0;
  let pendingOffset = 0;

  // The chunk being scanned, to compute byte offsets only when a finding needs one.
  let curText = '';
  let curBase = 0;
  let curAscii = true; // false also when not known (a string chunk not counted)
  // Where the event being parsed starts in `curText`; -1: at `pendingOffset`.
  let blockAt = -1;
  let blockHadData = false;
  let flushing = false;
  // The chunk being scanned has no CR (blank lines are LF LF): see endBlock's fast path.
  let lfOnly = false;

  let events = 0;
  let blocks = 0;
  let comments = 0;
  let peak = 0;
  let done = false;
  let suppressed = 0;
  const reported = new Set<StreamFramingKind>();

  // eventsource-parser is made on first use: the common event (one `data:` line) never reaches it.
  let parserInstance: EventSourceParser | undefined;
  function parser(): EventSourceParser {
    if (parserInstance === undefined) {
      parserInstance = createParser({
        onEvent: (message: EventSourceMessage) => handleEvent(message.data, message.event, message.id),
        onComment: () => {
          comments++;
        },
        onError: handleParseError,
      });
      // eventsource-parser strips a BOM by comparing the first three UTF-16 units with the bytes
      // EF BB BF, i.e. it strips "ï»¿" from text. Spend its first-chunk check on nothing; the
      // scanner strips a real U+FEFF instead.
      parserInstance.feed('');
    }
    return parserInstance;
  }

  function settle(): void {
    if (uncounted === undefined) return;
    offset += utf8Length(uncounted, 0, uncounted.length);
    uncounted = undefined;
  }

  function offsetAt(pos: number): number {
    return curBase + (curAscii ? pos : utf8Length(curText, 0, pos));
  }

  function blockStart(): number {
    return blockAt < 0 ? pendingOffset : offsetAt(blockAt);
  }

  function report(kind: StreamFramingKind, message: string, event?: number): void {
    if (reported.has(kind)) {
      suppressed++;
      return;
    }
    reported.add(kind);
    const { severity, title } = streamFramingKinds[kind];
    const finding: Finding = { check: CHECK_ID, severity, kind, title, message };
    if (event !== undefined) finding.event = event;
    onFinding(finding);
  }

  function stop(): void {
    stopped = true;
    pieces = [];
    pendingBytes = 0;
    carry = undefined;
  }

  function handleEvent(data: string, eventName: string | undefined, id: string | undefined): void {
    blockHadData = true;
    if (stopped) return;
    const index = events;
    if (flushing) {
      report(
        'unterminated-event',
        `The stream ended inside data event ${index} (starting at byte ${blockStart()}) before the blank line that ends it; clients discard it and its data (${data.length} characters)`,
        index,
      );
      return;
    }
    if (index >= maxEvents) {
      report(
        'too-many-events',
        `More than maxEvents (${maxEvents}) data events: event ${index} starts at byte ${blockStart()}; decoding stopped`,
        index,
      );
      stop();
      return;
    }
    if (done) {
      report(
        'data-after-done',
        `Data event ${index} (byte ${blockStart()}) comes after data: [DONE]; clients stop reading at [DONE]`,
        index,
      );
    }
    if (data === '') {
      report('empty-data', `Data event ${index} (byte ${blockStart()}) has empty data; clients skip it`, index);
    } else if (data === '[DONE]') done = true;
    const event: SseEvent = { data };
    if (eventName !== undefined) event.event = eventName;
    if (id !== undefined) event.id = id;
    events = index + 1;
    onEvent(event, index);
  }

  function handleParseError(error: ParseError): void {
    if (stopped) return;
    const where = `in the event starting at byte ${blockStart()}`;
    if (error.type === 'unknown-field' && looksLikeIgnorableField(error.line ?? '')) {
      report(
        'ignored-field',
        `Line ${excerpt(error.line ?? '')} ${where} has a field name SSE does not define; clients ignore it`,
      );
    } else if (error.type === 'unknown-field') {
      report(
        'unknown-field',
        `Line ${excerpt(error.line ?? '')} ${where} is not an SSE field (data, event, id, retry) nor a comment; clients ignore it`,
      );
    } else if (error.type === 'invalid-retry') {
      report('invalid-retry', `retry value ${excerpt(error.value ?? '')} ${where} is not a number of milliseconds`);
    } else {
      report('parser-error', `eventsource-parser: ${error.message} (${where})`);
    }
  }

  function tooLarge(start: number): void {
    report(
      'event-too-large',
      `The event starting at byte ${start} is larger than maxEventBytes (${maxEventBytes} bytes) before its blank line; decoding stopped`,
    );
    stop();
  }

  /**
   * An event ends in `text`: it runs from `start` (after `pieces`, if any) to `bodyEnd`, where
   * its blank line begins; the blank line ends at `end`. `loneCr`: that blank line is a bare CR,
   * which the parser would hold back as a possible CRLF, so it gets the LF it implies.
   */
  function endBlock(text: string, start: number, bodyEnd: number, end: number, loneCr: boolean, oneLine?: boolean): void {
    const hasPieces = pieces.length > 0;
    const units = bodyEnd - start;
    let size = pendingBytes + units;
    if (!curAscii && size <= maxEventBytes && pendingBytes + 3 * units > maxEventBytes) {
      size = pendingBytes + utf8Length(text, start, bodyEnd);
    }
    if (size > maxEventBytes) {
      tooLarge(hasPieces ? pendingOffset : offsetAt(start));
      return;
    }
    if (!hasPieces && units === 0) return; // an extra blank line: nothing to parse
    if (!hasPieces && lfOnly && (oneLine === undefined ? isSingleDataLine(text, start, bodyEnd) : oneLine && isDataLine(text, start))) {
      // The common event, one `data:` line and an LF blank line, with the parser's own result:
      // the parser is between events (each block ends with its blank line), so it would
      // dispatch exactly this message (its fast path for the same case).
      blockAt = start;
      blockHadData = false;
      const valueStart = text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
      handleEvent(text.slice(valueStart, bodyEnd - 1), undefined, undefined);
      blocks++;
      return;
    }
    let block = text.slice(start, end);
    if (hasPieces) {
      pieces.push(block);
      block = pieces.join('');
      pieces = [];
      pendingBytes = 0;
      blockAt = -1;
    } else blockAt = start;
    if (loneCr) block += '\n';
    blockHadData = false;
    parser().feed(block);
    blocks++;
    if (!blockHadData && !stopped) {
      const name = EVENT_FIELD.exec(block)?.[1];
      if (name) {
        report(
          'event-without-data',
          `The event starting at byte ${blockStart()} is named ${excerpt(name)} but has no data field; clients drop it`,
        );
      }
    }
  }

  /** Scans decoded text; `knownBytes`: its UTF-8 length, when the caller knows it. */
  function scanText(input: string, knownBytes?: number): void {
    let text = input;
    let bytes = knownBytes;
    settle();
    if (!started) {
      if (text.length === 0) return;
      started = true;
      if (text.charCodeAt(0) === BOM) {
        offset += 3;
        text = text.slice(1);
        if (bytes !== undefined) bytes -= 3;
      }
    }
    const len = text.length;
    if (len === 0) return;
    curText = text;
    curBase = offset;
    if (bytes === undefined) {
      // Counted when needed: where the bound UTF-16 ≤ UTF-8 ≤ 3 × UTF-16 cannot decide, and at
      // an unfinished event at the end.
      curAscii = false;
      uncounted = text;
    } else {
      curAscii = bytes === len;
      offset += bytes;
    }
    let start = 0; // where the current event begins in `text` (after `pieces`)

    if (pendingCr === 0 && text.indexOf('\r') === -1) {
      // Hot path, LF only: a blank line is an LF at the start of a line.
      lfOnly = true;
      let blank = atLineStart && text.charCodeAt(0) === LF ? 0 : nextBlankLf(text, 0);
      let oneLine: boolean | undefined; // the event is one line (known after the first)
      while (blank !== -1) {
        endBlock(text, start, blank, blank + 1, false, oneLine);
        if (stopped) return;
        start = blank + 1;
        // The next LF LF from `blank` (as nextBlankLf(text, blank)), found from the event's first
        // LF, which also tells whether the event is a single line.
        const lf = text.indexOf('\n', start);
        oneLine = false;
        if (lf === -1) blank = -1;
        else if (lf === start) blank = start;
        else if (text.charCodeAt(lf + 1) === LF) {
          blank = lf + 1;
          oneLine = true;
        } else blank = nextBlankLf(text, lf + 1);
      }
      lfOnly = false;
      atLineStart = text.charCodeAt(len - 1) === LF;
    } else {
      lfOnly = false;
      let pos = 0;
      if (pendingCr !== 0 && text.charCodeAt(0) === LF) {
        pos = 1;
        // The LF of a CRLF blank line whose CR ended the last chunk: that event is done.
        if (pendingCr === 2) start = 1;
      }
      pendingCr = 0;
      let lineStart = atLineStart ? pos : -1;
      let nextCr = text.indexOf('\r', pos);
      let nextLf = text.indexOf('\n', pos);
      while (nextCr !== -1 || nextLf !== -1) {
        let term: number;
        let termEnd: number;
        if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
          term = nextCr;
          termEnd = nextLf === term + 1 ? term + 2 : term + 1;
          nextCr = text.indexOf('\r', term + 1);
          if (termEnd === term + 2) nextLf = text.indexOf('\n', termEnd);
        } else {
          term = nextLf;
          termEnd = term + 1;
          nextLf = text.indexOf('\n', termEnd);
        }
        const loneCr = termEnd === term + 1 && text.charCodeAt(term) === CR;
        if (term === lineStart) {
          endBlock(text, start, term, termEnd, loneCr);
          if (stopped) return;
          start = termEnd;
          if (loneCr && termEnd === len) pendingCr = 2;
        } else if (loneCr && termEnd === len) pendingCr = 1;
        lineStart = termEnd;
      }
      atLineStart = lineStart === len;
    }

    if (start < len) {
      if (bytes === undefined) {
        bytes = utf8Length(text, 0, len);
        curAscii = bytes === len;
        if (uncounted !== undefined) {
          offset += bytes;
          uncounted = undefined;
        }
      }
      const tailBytes = start === 0 ? bytes : curAscii ? len - start : utf8Length(text, start, len);
      if (pieces.length === 0) pendingOffset = curBase + bytes - tailBytes;
      if (pendingBytes + tailBytes > maxEventBytes) {
        tooLarge(pendingOffset);
        return;
      }
      pieces.push(start === 0 ? text : text.slice(start));
      pendingBytes += tailBytes;
      if (pendingBytes > peak) peak = pendingBytes;
    }
  }

  function invalidUtf8(chunk: Uint8Array): void {
    const bytes = carry === undefined ? chunk : concat(carry, chunk);
    carry = undefined;
    const at = firstInvalidUtf8(bytes);
    // Deliver what precedes the bad byte, as a client reading the stream would have.
    if (at > 0) scanText(decodeUtf8(bytes.subarray(0, at)), at);
    if (stopped) return;
    settle();
    report(
      'invalid-utf8',
      `Invalid UTF-8 at byte ${at >= 0 ? offset : `${offset}–${offset + bytes.length}`}; decoding stopped`,
    );
    stop();
  }

  function feedBytes(chunk: Uint8Array): void {
    const held = heldBack(carry, chunk);
    let text: string;
    try {
      text = (utf8Decoder ??= createUtf8Decoder()).decode(chunk, { stream: true });
    } catch {
      invalidUtf8(chunk);
      return;
    }
    const bytes = (carry?.length ?? 0) + chunk.length - held;
    if (held > 0) {
      // Kept only to point at the exact byte if the next chunk proves the character invalid.
      const joined = carry === undefined ? chunk : concat(carry, chunk);
      carry = joined.slice(joined.length - held);
    } else carry = undefined;
    scanText(text, bytes);
  }

  function flushUtf8(): boolean {
    if (carry === undefined) return true;
    settle();
    report(
      'invalid-utf8',
      `The stream ends inside a multi-byte UTF-8 character at byte ${offset}; decoding stopped`,
    );
    stop();
    return false;
  }

  return {
    feed(chunk: Uint8Array | string): void {
      if (ended) throw new Error('[tgc] SseDecoder.feed() called after end()');
      if (stopped) return;
      if (typeof chunk === 'string') {
        // Text after bytes that stopped inside a character: that character is cut off.
        if (flushUtf8()) scanText(chunk);
      } else if (chunk.length > 0) feedBytes(chunk);
    },
    end(): void {
      if (ended) return;
      ended = true;
      if (stopped || !flushUtf8()) return;
      if (pieces.length === 0) return;
      const tail = pieces.join('');
      pieces = [];
      pendingBytes = 0;
      blockAt = -1;
      blockHadData = false;
      flushing = true;
      // End the partial line and the event, so the parser tells whether it held data.
      parser().feed(`${tail}\n\n`);
      flushing = false;
      if (!blockHadData) {
        report(
          'unterminated-trailer',
          `The stream ends with ${utf8Length(tail, 0, tail.length)} bytes after its last blank line (from byte ${pendingOffset}), without data`,
        );
      }
    },
    get stopped(): boolean {
      return stopped;
    },
    get stats(): SseDecoderStats {
      settle();
      return {
        bytes: offset,
        events,
        blocks,
        comments,
        bufferedBytes: pendingBytes,
        peakBufferedBytes: peak,
        done,
        suppressedFindings: suppressed,
      };
    },
  };
}

/**
 * Decodes a whole `text/event-stream` transcript: a convenience over {@link createSseDecoder}
 * that keeps every event (so memory grows with the stream, within `maxEvents`).
 *
 * @example
 * ```ts
 * const { events, findings } = decodeSse('data:{"index":1}\n\n');
 * // events: [{ data: '{"index":1}' }], findings: []
 * ```
 */
export function decodeSse(text: string | Uint8Array, options: SseDecoderLimits = {}): DecodedSse {
  const events: SseEvent[] = [];
  const findings: Finding[] = [];
  const decoder = createSseDecoder({
    maxEventBytes: options.maxEventBytes,
    maxEvents: options.maxEvents,
    onEvent: (event) => {
      events.push(event);
    },
    onFinding: (finding) => {
      findings.push(finding);
    },
  });
  decoder.feed(text);
  decoder.end();
  return { events, findings };
}

/**
 * True when `text[start, bodyEnd)` (an event of LF-only text, its blank line at `bodyEnd`) is one
 * line that starts `data:`: its only LF is the one at `bodyEnd - 1`.
 */
function isSingleDataLine(text: string, start: number, bodyEnd: number): boolean {
  return isDataLine(text, start) && text.indexOf('\n', start + 5) === bodyEnd - 1;
}

/** True when the line at `start` begins `data:`. */
function isDataLine(text: string, start: number): boolean {
  return (
    text.charCodeAt(start) === 0x64 /* d */ &&
    text.charCodeAt(start + 1) === 0x61 /* a */ &&
    text.charCodeAt(start + 2) === 0x74 /* t */ &&
    text.charCodeAt(start + 3) === 0x61 /* a */ &&
    text.charCodeAt(start + 4) === 0x3a /* : */
  );
}

function nextBlankLf(text: string, from: number): number {
  const at = text.indexOf('\n\n', from);
  return at === -1 ? -1 : at + 1;
}

/** How many trailing bytes of `carry + chunk` are an unfinished character (valid UTF-8 assumed). */
function heldBack(carry: Uint8Array | undefined, chunk: Uint8Array): number {
  const n = chunk.length;
  const c = carry?.length ?? 0;
  for (let k = 1; k <= 3 && k <= n + c; k++) {
    const b = (k <= n ? chunk[n - k] : carry?.[c - (k - n)]) ?? 0;
    if (b < 0x80) return 0;
    if (b >= 0xc0) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k ? k : 0;
  }
  return 0;
}

function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`[tgc] createSseDecoder: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function excerpt(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/**
 * `name: value` where the name is a plain identifier other than a case variant of data, event,
 * id or retry: an extension field that clients skip without losing the payload.
 */
function looksLikeIgnorableField(line: string): boolean {
  const m = /^([A-Za-z][\w-]*):/.exec(line);
  if (!m?.[1]) return false;
  return !['data', 'event', 'id', 'retry'].includes(m[1].toLowerCase());
}

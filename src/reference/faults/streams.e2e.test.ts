/**
 * Wire tests of the stream faults (framing, schema, events, media type, delivery, streams that do
 * not complete): the same deterministic stream request goes to a faithful and a faulty server on
 * real ports, and the test asserts the exact departure in the raw text/event-stream body, its
 * headers, or when its bytes arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../server.js';
import { post, serve, withServer, type WireReply } from './__fixtures__/wire.js';
import { HELD_BACK_TOKEN_MS } from './stream-held-back.js';
import { STALL_AFTER_EVENTS } from './stream-stalls.js';
import { RESET_AFTER_EVENTS } from './stream-connection-reset.js';

/** Greedy: the same 10 tokens every time, none of them special, the last one final. */
const PROMPT = 'Once upon a time, in a small village,';
const request = (parameters: Record<string, unknown> = {}) => ({ inputs: PROMPT, parameters: { details: true, max_new_tokens: 10, ...parameters } });

let faithful: ReferenceServer;
let want: WireReply;
beforeAll(async () => {
  faithful = await serve(null);
  want = await post(faithful, '/generate_stream', request());
  expect(want.events).toHaveLength(10);
  expect(want.events.at(-1).details.finish_reason).toBe('length');
});
afterAll(() => faithful.close());

const frames = (text: string): string[] => text.split(/(?<=\n\n)/);

async function faulty(fault: string, parameters: Record<string, unknown> = {}, idleMs?: number): Promise<WireReply> {
  return withServer(serve(fault), (server) => post(server, '/generate_stream', request(parameters), idleMs === undefined ? {} : { idleMs }));
}

/** Faults whose raw stream is the faithful one with one textual edit. */
const edits: [fault: string, edit: (faithfulText: string) => string][] = [
  ['stream-missing-blank-line', (t) => t.slice(0, -1)],
  ['stream-data-field-misnamed', (t) => t.replace(/^data:/gm, 'Data:')],
  ['stream-invalid-json', (t) => t.replace(/}\n\n/g, ',}\n\n')],
  ['stream-token-missing-special', (t) => t.replace(/,"special":(true|false)/g, '')],
];

describe('stream faults, on the wire', () => {
  it.each(edits)('%s', async (fault, edit) => {
    const got = await faulty(fault);
    expect(edit(want.text)).not.toBe(want.text);
    expect(got.text).toBe(edit(want.text));
  });

  it('stream-index-from-zero: indexes 0..N-1', async () => {
    expect((await faulty('stream-index-from-zero')).events.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('stream-index-gap: 1, 2, 4, 5, …', async () => {
    const got = await faulty('stream-index-gap');
    expect(got.events.map((e) => e.index)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(got.events.at(-1).details.generated_tokens).toBe(10);
  });

  it('stream-event-after-final: an end-of-sequence event after the final one', async () => {
    const got = await faulty('stream-event-after-final');
    expect(frames(got.text).slice(0, 10).join('')).toBe(want.text);
    expect(frames(got.text)[10]).toBe('data:{"index":11,"token":{"id":2,"text":"</s>","logprob":-0.5,"special":true},"generated_text":null,"details":null}\n\n');
  });

  it('stream-final-event-missing: the last event has no generated_text, no details', async () => {
    const got = await faulty('stream-final-event-missing');
    expect(got.events.slice(0, 9)).toEqual(want.events.slice(0, 9));
    expect(got.events[9]).toEqual({ ...want.events[9], generated_text: null, details: null });
  });

  it('stream-details-too-early: every event has details', async () => {
    const got = await faulty('stream-details-too-early');
    expect(got.events.map((e) => e.details?.generated_tokens)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got.events[9]).toEqual(want.events[9]);
    // without details asked for, the stream is the faithful one
    const plain = await withServer(serve('stream-details-too-early'), (s) => post(s, '/generate_stream', request({ details: false })));
    expect(plain.text).toBe((await post(faithful, '/generate_stream', request({ details: false }))).text);
  });

  it('stream-final-text-duplicates-last-token', async () => {
    const got = await faulty('stream-final-text-duplicates-last-token');
    const last = want.events[9];
    expect(got.events[9]).toEqual({ ...last, generated_text: `${last.generated_text}${last.token.text}` });
  });

  it('stream-json-content-type: the SSE body labelled application/json', async () => {
    const got = await faulty('stream-json-content-type');
    expect(want.headers.get('content-type')).toBe('text/event-stream');
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.text).toBe(want.text);
  });

  it('stream-held-back: headers at once, then every event in one burst after the last token', async () => {
    const tokens = 16;
    const fast = await post(faithful, '/generate_stream', request({ max_new_tokens: tokens }));
    expect(fast.chunks[0]?.at ?? Infinity).toBeLessThan(fast.headersMs + 150);
    const got = await faulty('stream-held-back', { max_new_tokens: tokens });
    expect(got.events).toHaveLength(tokens);
    const first = got.chunks[0]?.at ?? 0;
    const last = got.chunks.at(-1)?.at ?? 0;
    expect(first - got.headersMs).toBeGreaterThanOrEqual(tokens * HELD_BACK_TOKEN_MS - 20);
    expect(last - first).toBeLessThan(50);
    expect(got.text).toBe(fast.text);
  });

  it('stream-stalls: three events, then silence; short streams complete', async () => {
    const got = await faulty('stream-stalls', { max_new_tokens: 16 }, 600);
    expect(got.stalled).toBe(true);
    expect(got.text).toBe(frames((await post(faithful, '/generate_stream', request({ max_new_tokens: 16 }))).text).slice(0, STALL_AFTER_EVENTS).join(''));
    const short = await faulty('stream-stalls', { max_new_tokens: 4 });
    expect(short.stalled).toBeUndefined();
    expect(short.events).toHaveLength(4);
  });

  it('stream-connection-reset: two events, then the connection is cut', async () => {
    const got = await faulty('stream-connection-reset');
    expect(got.status).toBe(200);
    expect(got.error).toMatch(/terminated|other side closed|socket/i);
    expect(got.text).toBe(frames(want.text).slice(0, RESET_AFTER_EVENTS).join(''));
  });
});

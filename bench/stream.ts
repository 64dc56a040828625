/**
 * stream.ratio: events per second of tgc's incremental stream validation over those of
 * eventsource-parser + JSON.parse on the same chunks; stream.heapGrowthMB.
 *
 * The stream: 1,000,000 token events shaped like TGI's (`data:{"index":i,"token":{"id",
 * "text","logprob","special"},"generated_text":null,"details":null}` and a blank line; 5% of the
 * token texts non-ASCII), then the final event with the whole `generated_text` and
 * `details {finish_reason, generated_tokens, seed}`. It is cut into chunks of random sizes, 1 byte
 * to 64 KiB, log-uniform (so that small chunks, which split lines and UTF-8 characters, are
 * frequent), as Uint8Array views of one Buffer, the same chunks for both sides.
 *
 * tgc: `createSseDecoder` (limits raised: maxEvents above the event count, maxEventBytes above
 * the final event) + `parseJson` (exact) + `contract.streamEvent` (the event schema) per event,
 * nothing kept. The stream invariants (stream-index, stream-final-event, stream-text) are not
 * timed: tgc applies them to the whole list of events of an exchange (ExchangeView.events), not
 * incrementally. Baseline: TextDecoder (stream mode) + eventsource-parser `createParser` +
 * JSON.parse per event.
 *
 * Each round feeds every chunk to both pipelines, which take turns 512 chunks at a time (the side
 * that goes first alternating), so that the machine's load weighs on both alike; a side's time is
 * the sum of its turns; the ratio is of the medians over rounds.
 *
 * Heap: forced GC, heapUsed, one tgc pass alone, forced GC, heapUsed; the peak is sampled every
 * 256 chunks during that pass.
 */
import { createParser } from 'eventsource-parser';
import { createSseDecoder, loadContract, parseJson, type Contract } from './tgc.js';
import { envInt, forceGc, hasGc, log, median, MiB, round, seededRandom, measure, type Metric, type Sample } from './lib.js';

export const STREAM_RATIO_TARGET = 0.5;
export const STREAM_HEAP_TARGET_MB = 16;

const WORDS = [' the', ' capital', ' of', ' France', ' is', ' Paris', ',', ' a', ' city', ' known', ' for', ' its', ' art',
  ' and', ' history', '.', '\n', ' It', ' has', ' many', ' museums', ' such', ' as', ' the', ' Louvre', ' 1', '2', '3'];
const NON_ASCII = [' café', ' é', ' 東京', ' naïve', ' Zürich', ' —', ' 🙂'];

/** The synthetic stream as one Buffer, and its event count. */
export function syntheticStream(events: number, seed = 7): { bytes: Buffer; events: number } {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let text = '';
  let batch = '';
  for (let i = 1; i <= events; i++) {
    const word = random() < 0.05 ? NON_ASCII[Math.floor(random() * NON_ASCII.length)] : WORDS[Math.floor(random() * WORDS.length)];
    const t = word ?? ' x';
    text += t;
    const id = 1000 + Math.floor(random() * 30000);
    const logprob = -Math.round(random() * 8 * 1e7) / 1e7;
    const token = `{"id":${id},"text":${JSON.stringify(t)},"logprob":${logprob},"special":false}`;
    if (i < events) {
      batch += `data:{"index":${i},"token":${token},"generated_text":null,"details":null}\n\n`;
    } else {
      batch +=
        `data:{"index":${i},"token":${token},"generated_text":${JSON.stringify(text)},` +
        `"details":{"finish_reason":"length","generated_tokens":${events},"seed":null}}\n\n`;
    }
    if (batch.length > 1 << 20) {
      parts.push(batch);
      batch = '';
    }
  }
  parts.push(batch);
  return { bytes: Buffer.from(parts.join(''), 'utf8'), events };
}

/** Views of `bytes` of random sizes, 1 to `max` bytes, log-uniform. */
export function chunk(bytes: Uint8Array, max: number, seed = 11): Uint8Array[] {
  const random = seededRandom(seed);
  const out: Uint8Array[] = [];
  const logMax = Math.log(max);
  for (let at = 0; at < bytes.length; ) {
    const size = Math.min(max, Math.max(1, Math.floor(Math.exp(random() * logMax))));
    out.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
    at += size;
  }
  return out;
}

interface Pipeline {
  feed(chunk: Uint8Array): void;
  end(): void;
  readonly events: number;
  readonly findings: number;
}

/** tgc's incremental stream validation; nothing is kept. */
function tgcPipeline(contract: Contract, eventCount: number, maxEventBytes: number): Pipeline {
  let events = 0;
  let findings = 0;
  const decoder = createSseDecoder({
    maxEvents: eventCount + 1,
    maxEventBytes,
    onEvent: (event, index) => {
      events++;
      const parsed = parseJson(event.data);
      if (!parsed.ok) {
        findings++;
        return;
      }
      findings += contract.streamEvent(parsed.value, index).findings.length;
    },
    onFinding: () => {
      findings++;
    },
  });
  return {
    feed: (chunk) => decoder.feed(chunk),
    end: () => decoder.end(),
    get events() {
      return events;
    },
    get findings() {
      return findings;
    },
  };
}

/** The baseline: TextDecoder in stream mode, eventsource-parser, JSON.parse per event. */
function baselinePipeline(): Pipeline {
  let events = 0;
  const utf8 = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => {
      if (JSON.parse(event.data) !== undefined) events++;
    },
  });
  return {
    feed: (chunk) => parser.feed(utf8.decode(chunk, { stream: true })),
    end: () => parser.feed(utf8.decode()),
    get events() {
      return events;
    },
    findings: 0,
  };
}

/** Feeds every chunk to the pipeline; with `sampleHeap`, returns the peak heapUsed seen. */
function drain(pipeline: Pipeline, chunks: readonly Uint8Array[], sampleHeap = false): number {
  let peak = 0;
  for (let i = 0; i < chunks.length; i++) {
    pipeline.feed(chunks[i] as Uint8Array);
    if (sampleHeap && (i & 255) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  pipeline.end();
  return peak;
}

/** Chunks fed per timed block: both sides take turns block by block through one round. */
const BLOCK = 512;

export async function benchStream(): Promise<Record<string, unknown>> {
  const count = envInt('BENCH_STREAM_EVENTS', 1_000_000);
  const rounds = envInt('BENCH_ROUNDS', 3);
  const maxChunk = 64 * 1024;
  const { bytes } = syntheticStream(count);
  const chunks = chunk(bytes, maxChunk);
  // Limits raised for the benchmark: the final event carries the whole text.
  const maxEventBytes = 2 ** Math.ceil(Math.log2(bytes.length / 8 + 1024));
  log(`stream: ${count} events, ${(bytes.length / MiB).toFixed(1)} MiB in ${chunks.length} chunks (1 B–64 KiB, log-uniform), ${rounds} alternated rounds`);
  const contract = await loadContract();

  // Warm-up on the first 5% of the chunks (an unterminated tail is fine here).
  const warm = chunks.slice(0, Math.ceil(chunks.length / 20));
  drain(baselinePipeline(), warm);
  drain(tgcPipeline(contract, count, maxEventBytes), warm);

  // Each round streams every chunk through both pipelines, which take turns block by block
  // (the side that goes first alternating), so that the machine's load weighs on both alike.
  const base: Sample[] = [];
  const tgc: Sample[] = [];
  let baseEvents = 0;
  let tgcEvents = 0;
  let tgcFindings = 0;
  for (let r = 0; r < rounds; r++) {
    const b = baselinePipeline();
    const t = tgcPipeline(contract, count, maxEventBytes);
    const sb: Sample = { wallMs: 0, cpuMs: 0 };
    const st: Sample = { wallMs: 0, cpuMs: 0 };
    forceGc();
    for (let at = 0, k = 0; at <= chunks.length; at += BLOCK, k++) {
      const last = at + BLOCK > chunks.length;
      const run = (p: Pipeline, into: Sample): void => {
        const x = measure(() => {
          const end = Math.min(chunks.length, at + BLOCK);
          for (let i = at; i < end; i++) p.feed(chunks[i] as Uint8Array);
          if (last) p.end();
        });
        into.wallMs += x.sample.wallMs;
        into.cpuMs += x.sample.cpuMs;
      };
      if ((r + k) % 2 === 0) {
        run(b, sb);
        run(t, st);
      } else {
        run(t, st);
        run(b, sb);
      }
    }
    baseEvents = b.events;
    tgcEvents = t.events;
    tgcFindings = t.findings;
    base.push(sb);
    tgc.push(st);
    log(`stream: round ${r + 1}/${rounds}: eventsource-parser + JSON.parse ${sb.wallMs.toFixed(0)} ms, tgc ${st.wallMs.toFixed(0)} ms`);
  }
  if (baseEvents !== count || tgcEvents !== count) {
    throw new Error(`stream: expected ${count} events, baseline saw ${baseEvents}, tgc ${tgcEvents}`);
  }

  // Heap: one more tgc pass alone, between forced collections, with the peak sampled.
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const peakBytes = drain(tgcPipeline(contract, count, maxEventBytes), chunks, true);
  forceGc();
  const after = process.memoryUsage().heapUsed;
  const growthMB = (after - before) / MiB;
  const peakMB = (Math.max(peakBytes, after) - before) / MiB;

  const baseWall = median(base.map((s) => s.wallMs));
  const tgcWall = median(tgc.map((s) => s.wallMs));
  const baseEps = count / (baseWall / 1000);
  const tgcEps = count / (tgcWall / 1000);
  return {
    ratio: round(tgcEps / baseEps),
    heapGrowthMB: round(growthMB),
    target: { ratio: STREAM_RATIO_TARGET, heapGrowthMB: STREAM_HEAP_TARGET_MB },
    met: tgcEps / baseEps >= STREAM_RATIO_TARGET && growthMB <= STREAM_HEAP_TARGET_MB,
    metrics: [
      { key: 'stream.ratio', label: 'stream.ratio (tgc events/s ÷ eventsource-parser + JSON.parse)', value: round(tgcEps / baseEps), goal: STREAM_RATIO_TARGET, better: 'higher' },
      { key: 'stream.heapGrowthMB', label: 'stream.heapGrowthMB (1M events, after forced GC)', value: round(growthMB), goal: STREAM_HEAP_TARGET_MB, better: 'lower' },
    ] satisfies Metric[],
    cpuRatio: round(median(base.map((s) => s.cpuMs)) / median(tgc.map((s) => s.cpuMs))),
    events: count,
    bytes: bytes.length,
    chunks: chunks.length,
    rounds,
    eventsPerSecond: { baseline: round(baseEps), tgc: round(tgcEps) },
    medianMs: { baseline: round(baseWall), tgc: round(tgcWall) },
    samplesMs: { baseline: base.map((s) => round(s.wallMs)), tgc: tgc.map((s) => round(s.wallMs)) },
    heap: {
      forcedGc: hasGc(),
      beforeMB: round(before / MiB),
      afterMB: round(after / MiB),
      peakAboveStartMB: round(peakMB),
    },
    limits: { maxEvents: count + 1, maxEventBytes },
    findings: tgcFindings,
    timed:
      'tgc: createSseDecoder(bytes) + parseJson + contract.streamEvent per event (invariants not included: tgc applies them to the whole event list); ' +
      'baseline: TextDecoder(stream) + eventsource-parser createParser + JSON.parse per event',
  };
}

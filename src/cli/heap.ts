/**
 * How the `tgc` process sets V8's heap (`tuneHeap`, called once by main.ts before anything else;
 * the bench's runner child calls it too, so that it measures what users run).
 *
 * 1. The old generation grows by half at most between full collections. What a run holds is
 *    bounded (src/engine/retention.ts: counts, and the first findings of each kind), but V8 lets
 *    its heap grow to up to 4× the live data between full collections when they are cheap: a run
 *    of 10,000 cases then peaked near 300 MB resident for about 50 MB live. Growing by half at
 *    most keeps it near what it holds (bench/memory.ts), for a few more short collections.
 * 2. The young generation (its new space: two semi-spaces) is held at 16 MiB or near it, on any
 *    Node. While tgc holds large answers (a hostile server's 10 MiB bodies, 8 at once), most of
 *    what it allocates survives a scavenge, and V8 then doubles the young generation up to its
 *    maximum: 32 MiB on Node 20, 128 MiB on Node 24, where a 40-request flood of 2xx bodies
 *    without Content-Length peaked at 231-297 MB resident (the bound is 256 MB). The socket
 *    chunks of such a flood, dead at once, also wait for the next scavenge: a larger young
 *    generation holds more of them (external memory 55-87 MB against 19-44 MB). Node takes
 *    `--max-semi-space-size` only at start-up, but the growth factor at any time: after each
 *    collection (a `gc` performance observer) the factor is set to 1 (no growth) at the cap, and
 *    back to 2 (V8's default) below it, so that a young generation V8 shrank while idle (a long
 *    `tgc proxy`) may grow again. The observer reports after the collection, from the event
 *    loop: Node 24 may grow it once or twice more before (up to about 40 MiB).
 *
 * Measured (bench/memory.ts's flood; tgc run with 200 examples against tgc mock, 5 runs each, on
 * 2 cores): the flood 231-262 -> 198-230 MB resident on Node 24, 188-210 -> 168-188 MB on Node
 * 20; a clean run 178 -> 137 MB (Node 24) and 131 -> 116 MB (Node 20), with its CPU time within
 * the noise (Node 20 2.52-2.91 s against 2.58-3.30 s, Node 24 1.88-2.52 s against 2.27-2.48 s).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The young generation's cap: both semi-spaces, 8 MiB each (`--max-semi-space-size=8`). */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;

/** V8's default growth factor of the young generation. */
const DEFAULT_GROWTH_FACTOR = 2;

export interface YoungGenerationHooks {
  /** The young generation's size now, in bytes. */
  size(): number;
  /** Sets V8's `--semi-space-growth-factor`. */
  setGrowthFactor(factor: number): void;
}

/** The young generation's size now (its new space), in bytes. */
export function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

const v8Hooks: YoungGenerationHooks = {
  size: youngGenerationBytes,
  setGrowthFactor: (factor) => v8.setFlagsFromString(`--semi-space-growth-factor=${factor}`),
};

/**
 * What to do after a collection: stop the growth at the cap, allow it below. Returns a function
 * to call after each collection; it sets the factor only when the state changes.
 */
export function youngGenerationGovernor(cap: number, hooks: YoungGenerationHooks): () => void {
  let capped = false;
  return () => {
    const atCap = hooks.size() >= cap;
    if (atCap === capped) return;
    capped = atCap;
    hooks.setGrowthFactor(atCap ? 1 : DEFAULT_GROWTH_FACTOR);
  };
}

/** Sets both, for the rest of the process. */
export function tuneHeap(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
  capYoungGeneration();
}

/** Starts holding the young generation at `cap` for the rest of the process. */
export function capYoungGeneration(cap = YOUNG_GENERATION_CAP_BYTES, hooks: YoungGenerationHooks = v8Hooks): void {
  const afterCollection = youngGenerationGovernor(cap, hooks);
  afterCollection();
  // A gc observer neither keeps the process alive nor costs anything between collections.
  new PerformanceObserver(afterCollection).observe({ entryTypes: ['gc'] });
}

/**
 * Allocates as a run holding large answers does (most of each allocation survives a scavenge) and
 * prints the young generation's largest size seen, in bytes. `cap` as argv[2]: with it, the CLI's
 * cap is on; without, V8's defaults. Test code only (heap.e2e.test.ts).
 */
import { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES, youngGenerationBytes as youngSize } from '../heap.js';

if (process.argv[2] === 'cap') capYoungGeneration();
let max = youngSize();
// A ring of 32 MiB of 64 KiB strings, each replaced after 511 others: bodies held while read in chunks.
const ring: string[] = new Array<string>(512);
// A fresh flat string each time, as a socket chunk decoded to text is (not a rope of a shared one).
const chunk = Buffer.alloc(64 * 1024, 'x');
for (let round = 0; round < 8; round++) {
  for (let i = 0; i < ring.length; i++) {
    ring[i] = chunk.toString('latin1');
    max = Math.max(max, youngSize());
    // A turn of the event loop after each 64 KiB, as between socket reads: the observer reports
    // collections from there.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
max = Math.max(max, youngSize());
process.stdout.write(`${JSON.stringify({ max, cap: YOUNG_GENERATION_CAP_BYTES, held: ring.length })}\n`);

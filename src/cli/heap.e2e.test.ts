/**
 * The cap on V8's young generation (heap.ts) in a real process: the same allocations
 * grow it past the cap with V8's defaults, and not with the cap on.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'heap-child.ts');

function largestYoung(mode: 'cap' | 'default'): { max: number; cap: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim()) as { max: number; cap: number };
}

describe('the young generation cap', () => {
  test('holds the young generation at half what V8 lets it grow to, or less, near the cap', () => {
    // V8's defaults: 32 MiB on Node 20, 128 MiB on Node 24, for these allocations.
    const free = largestYoung('default');
    expect(free.max).toBeGreaterThan(free.cap);
    // Node 24 may grow it more than once between the collection and the observer's report.
    const capped = largestYoung('cap');
    expect(capped.max).toBeLessThanOrEqual(free.max / 2);
    expect(capped.max).toBeLessThanOrEqual(3 * capped.cap);
  }, 120_000);
});

/**
 * Users' baselines match across tgc versions: for fixed seeds, the report of a run against the
 * reference server (clean and with faults) has the same check rows, findings and dedupe keys as
 * the stored one (src/engine/__golden__/, written by the engine before the API became a unit of
 * the design). Timings, ports and dates aside.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GOLDEN_RUNS, goldenReport } from './__fixtures__/golden.js';

const dir = new URL('./__golden__/', import.meta.url);

describe('golden reports', () => {
  for (const run of GOLDEN_RUNS) {
    it(`${run.name}: the same report as the stored one`, async () => {
      const actual = await goldenReport(run);
      const file = new URL(`${run.name}.json`, dir);
      if (process.env['UPDATE_GOLDEN'] === '1') {
        await writeFile(file, `${JSON.stringify(actual, null, 1)}\n`);
        return;
      }
      const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
      expect(actual).toEqual(stored);
    }, 120_000);
  }
});

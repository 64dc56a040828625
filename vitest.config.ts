import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    // vitest's default (CPUs - 1) is a single worker on a 2-core machine: every file in series.
    // The end-to-end files wait on sockets much of the time, so two workers use both cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.e2e.test.ts', 'src/**/*.browser.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['src/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts', 'suites/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // report.html in a real browser (Debian's chromium + playwright-core); skips where it is absent.
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The contract as vitest suites, against TGC_URL (or the reference server in-process).
        test: {
          name: 'suites',
          include: ['suites/**/*.test.ts'],
          exclude: ['suites/**/*.e2e.test.ts'],
          // One conformance run per process (TGC_SHARD: a slice of it); one file per check family.
          globalSetup: ['suites/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});

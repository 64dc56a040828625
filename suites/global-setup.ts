/**
 * One conformance run per vitest process, whatever the number of suite files: the run (the
 * target from TGC_* variables, see target.ts; `TGC_SHARD=I/N` for a slice of it) happens here,
 * it writes its reports when TGC_REPORT_DIR is set, and each family's file judges its checks on
 * the report provided to it. A run that cannot start (a bad variable, a target that refuses the
 * connection) is reported by every test, not as a crash of vitest.
 */
import type { TestProject } from 'vitest/node';
import type { TgcReport } from '../src/report/report.js';
import { suiteTargetFromEnv } from './target.js';

export interface ProvidedRun {
  description: string;
  checkIds: readonly string[];
  report?: TgcReport;
  error?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    tgcRun: ProvidedRun;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  let provided: ProvidedRun;
  try {
    const target = suiteTargetFromEnv(process.env);
    provided = { description: target.description, checkIds: target.checkIds };
    try {
      provided.report = await target.run();
    } catch (e) {
      provided.error = `the conformance run did not complete: ${e instanceof Error ? e.message : String(e)}`;
    }
  } catch (e) {
    provided = { description: 'an invalid target', checkIds: [], error: e instanceof Error ? e.message : String(e) };
  }
  project.provide('tgcRun', provided);
}

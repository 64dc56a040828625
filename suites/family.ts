/**
 * One family of checks as vitest tests over the run of suites/global-setup.ts: a check fails
 * with its violations (message, case, reproduce command), is skipped with its reason, or passes
 * with its warnings as annotations.
 */
import { describe, expect, inject, it } from 'vitest';
import { familyChecks, type CheckFamily } from './families.js';
import { checkVerdict } from './verdict.js';

export function describeFamily(family: CheckFamily): void {
  const run = inject('tgcRun');
  const ids = run.error !== undefined ? familyChecks(family) : familyChecks(family).filter((id) => run.checkIds.includes(id));
  describe(`text-generation API contract, ${family}: ${run.description}`, () => {
    if (ids.length === 0) it.skip(`no check of the ${family} family selected (TGC_CHECKS, TGC_EXCLUDE_CHECKS)`, () => {});
    it.for(ids)('%s', async (id, { skip, annotate }) => {
      if (run.error !== undefined || !run.report) throw new Error(run.error ?? 'the conformance run did not complete');
      const verdict = checkVerdict(run.report, id);
      if (verdict.status === 'skip') return skip(verdict.reason);
      for (const note of verdict.notes) await annotate(note, 'notice');
      if (verdict.status === 'fail') expect.fail(verdict.message);
    });
  });
}

/**
 * The contract as vitest tests: one conformance run (the same engine as `tgc run`) in beforeAll,
 * then one test per check. A check fails with its violations (message, case, reproduce command),
 * is skipped with its reason, or passes with its warnings as annotations. The target comes from
 * the environment (TGC_URL, TGC_API, HF_TOKEN, TGC_SEED, TGC_MAX_EXAMPLES, …: see target.ts);
 * without TGC_URL it is the reference server, started in-process.
 *
 *   TGC_URL=http://127.0.0.1:8080 npx vitest run --project suites
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TgcReport } from '../src/report/report.js';
import { suiteTargetFromEnv } from './target.js';
import { checkVerdict } from './verdict.js';

const target = suiteTargetFromEnv(process.env);

describe(`text-generation API contract: ${target.description}`, () => {
  let report: TgcReport | undefined;

  beforeAll(async () => {
    report = await target.run();
  });

  it.for(target.checkIds)('%s', async (id, { skip, annotate }) => {
    if (!report) throw new Error('the conformance run did not complete (see beforeAll)');
    const verdict = checkVerdict(report, id);
    if (verdict.status === 'skip') return skip(verdict.reason);
    for (const note of verdict.notes) await annotate(note, 'notice');
    if (verdict.status === 'fail') expect.fail(verdict.message);
  });
});

/**
 * The scenarios checks of the contract (suites/families.ts), judged on the run of
 * suites/global-setup.ts. Target from the environment (TGC_URL, TGC_API, TGC_SEED, TGC_SHARD, …:
 * see target.ts); without TGC_URL, the reference server in-process.
 *
 *   TGC_URL=http://127.0.0.1:8080 npx vitest run --project suites
 */
import { describeFamily } from './family.js';

describeFamily('scenarios');
